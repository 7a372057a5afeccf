import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CrlStateEntity } from './crl-state.entity.js';
import { PlatformCredentialEntity } from './platform-credential.entity.js';

/** Certificates of the platform PKI and the issuing CA's current CRL. */
@Injectable()
export class PlatformCredentialRepository {
  constructor(private readonly db: DataSource) {}

  async all(): Promise<PlatformCredentialEntity[]> {
    return this.db.getRepository(PlatformCredentialEntity).find();
  }

  /**
   * Stores the three credentials unless another replica stored them first (then its set wins;
   * the keys this process generated stay unused in the store).
   */
  async insertIfAbsent(rows: Omit<PlatformCredentialEntity, 'createdAt'>[]): Promise<void> {
    await this.db.transaction(async (m) => {
      const existing = await m.getRepository(PlatformCredentialEntity).count();
      if (existing > 0) return;
      const now = new Date();
      for (const row of rows) {
        await m.getRepository(PlatformCredentialEntity).insert({ ...row, createdAt: now });
      }
    });
  }

  async currentCrl(issuer: string, m?: EntityManager): Promise<CrlStateEntity | null> {
    return (m ?? this.db.manager).getRepository(CrlStateEntity).findOneBy({ issuer });
  }

  async saveCrl(row: CrlStateEntity, m?: EntityManager): Promise<void> {
    await (m ?? this.db.manager).getRepository(CrlStateEntity).save(row);
  }

  /** Serialises CRL issuance across replicas (transaction-scoped advisory lock). */
  async lockCrl(m: EntityManager): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('e_seal.crl'))`);
  }
}
