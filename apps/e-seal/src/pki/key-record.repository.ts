import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { KeyRecord, KeyRecordStore } from '#pki';
import { KeyRecordEntity } from './key-record.entity.js';

/** The storage port of #pki's EncryptedKeyStore, on the e_seal.key_records table. */
@Injectable()
export class KeyRecordRepository implements KeyRecordStore {
  constructor(private readonly db: DataSource) {}

  async load(keyId: string): Promise<KeyRecord | undefined> {
    const row = await this.db.getRepository(KeyRecordEntity).findOneBy({ keyId });
    return row ? { ...row } : undefined;
  }

  async save(record: KeyRecord): Promise<void> {
    await this.db.getRepository(KeyRecordEntity).insert({ ...record });
  }
}
