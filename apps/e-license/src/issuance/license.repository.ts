import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { ArchiveOutboxEntity } from '../archiving/archive-outbox.entity.js';
import { LicenseEventEntity } from '../lifecycle/license-event.entity.js';
import { LicenseDocumentEntity } from './license-document.entity.js';
import { LicenseEntity } from './license.entity.js';

/** The columns public verification reads. */
export type VerificationRow = Pick<
  LicenseEntity,
  | 'identifier'
  | 'licenseNumber'
  | 'name'
  | 'typeCode'
  | 'version'
  | 'issuerUscc'
  | 'issuerName'
  | 'status'
  | 'holderName'
  | 'holderCodeType'
  | 'issueDate'
  | 'validFrom'
  | 'validUntil'
  | 'verificationCodeHash'
>;

/** Licenses, their documents and events: the only code of issuance that writes SQL. */
@Injectable()
export class LicenseRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /**
   * The next serial of a region for a day, in its own short transaction (committed before the
   * slow rendering and sealing): the row lock of the upsert makes concurrent issuers wait for
   * each other, so a serial is never handed out twice. A failed issuance leaves a gap, never
   * a duplicate.
   */
  async nextSerial(regionCode: string, day: string): Promise<number> {
    const rows = (await this.db.query(
      `INSERT INTO "e_license"."serial_counter" ("region_code", "day", "last") VALUES ($1, $2, 1)
       ON CONFLICT ("region_code", "day") DO UPDATE SET "last" = "serial_counter"."last" + 1
       RETURNING "last"`,
      [regionCode, day],
    )) as { last: number }[];
    return rows[0]!.last;
  }

  byId(id: string, m?: EntityManager): Promise<LicenseEntity | null> {
    return (m ?? this.db.manager).getRepository(LicenseEntity).findOneBy({ id });
  }

  /** Locks the row for a lifecycle change inside a transaction. */
  byIdForUpdate(id: string, m: EntityManager): Promise<LicenseEntity | null> {
    return m
      .getRepository(LicenseEntity)
      .createQueryBuilder('l')
      .setLock('pessimistic_write')
      .where('l.id = :id', { id })
      .getOne();
  }

  byIdentifier(identifier: string): Promise<LicenseEntity | null> {
    return this.db.getRepository(LicenseEntity).findOneBy({ identifier });
  }

  /**
   * What public verification needs, by the unique index on the identifier, as one plain
   * query: the hot path of the service (bench/e-license.bench.mjs), kept free of the ORM's
   * per-query work.
   */
  async verificationRow(identifier: string): Promise<VerificationRow | null> {
    const rows = (await this.db.query(
      `SELECT "identifier", "license_number", "name", "type_code", "version", "issuer_uscc",
              "issuer_name", "status", "holder_name", "holder_code_type",
              to_char("issue_date", 'YYYY-MM-DD') AS "issue_date",
              to_char("valid_from", 'YYYY-MM-DD') AS "valid_from",
              to_char("valid_until", 'YYYY-MM-DD') AS "valid_until", "verification_code_hash"
       FROM "e_license"."license" WHERE "identifier" = $1`,
      [identifier],
    )) as Record<string, string | number | null>[];
    const r = rows[0];
    if (!r) return null;
    return {
      identifier: r.identifier as string,
      licenseNumber: r.license_number as string,
      name: r.name as string,
      typeCode: r.type_code as string,
      version: Number(r.version),
      issuerUscc: r.issuer_uscc as string,
      issuerName: r.issuer_name as string,
      status: r.status as LicenseEntity['status'],
      holderName: r.holder_name as string,
      holderCodeType: r.holder_code_type as string,
      issueDate: r.issue_date as string,
      validFrom: r.valid_from as string,
      validUntil: r.valid_until as string | null,
      verificationCodeHash: r.verification_code_hash as string,
    };
  }

  byDocument(sha256: string): Promise<LicenseEntity | null> {
    return this.db.getRepository(LicenseEntity).findOneBy({ documentSha256: sha256 });
  }

  byHolderHashes(hashes: string[]): Promise<LicenseEntity[]> {
    if (hashes.length === 0) return Promise.resolve([]);
    return this.db
      .getRepository(LicenseEntity)
      .createQueryBuilder('l')
      .where('l.holder_code_hash IN (:...hashes)', { hashes })
      .orderBy('l.issued_at', 'DESC')
      .getMany();
  }

  byIssuer(issuerUscc: string, limit: number, offset: number): Promise<LicenseEntity[]> {
    return this.db
      .getRepository(LicenseEntity)
      .find({ where: { issuerUscc }, order: { issuedAt: 'DESC' }, take: limit, skip: offset });
  }

  /** The versions of one license (same number), oldest first. */
  versions(licenseNumber: string): Promise<LicenseEntity[]> {
    return this.db
      .getRepository(LicenseEntity)
      .find({ where: { licenseNumber }, order: { version: 'ASC' } });
  }

  async document(sha256: string): Promise<Buffer | null> {
    const row = await this.db.getRepository(LicenseDocumentEntity).findOneBy({ sha256 });
    return row ? row.bytes : null;
  }

  async saveDocument(m: EntityManager, sha256: string, bytes: Buffer): Promise<void> {
    await m
      .createQueryBuilder()
      .insert()
      .into(LicenseDocumentEntity)
      .values({ sha256, bytes, size: bytes.length })
      .orIgnore()
      .execute();
  }

  async insert(m: EntityManager, license: LicenseEntity): Promise<void> {
    // jsonb columns typed as records do not fit TypeORM's deep-partial type; the row is complete.
    await m.getRepository(LicenseEntity).insert(license as QueryDeepPartialEntity<LicenseEntity>);
  }

  async updateStatus(m: EntityManager, id: string, status: string): Promise<void> {
    await m
      .getRepository(LicenseEntity)
      .update({ id }, { status: status as LicenseEntity['status'], updatedAt: new Date() });
  }

  async addEvent(m: EntityManager, event: Omit<LicenseEventEntity, 'id'>): Promise<void> {
    await m
      .getRepository(LicenseEventEntity)
      .insert(event as QueryDeepPartialEntity<LicenseEventEntity>);
  }

  events(licenseIds: string[]): Promise<LicenseEventEntity[]> {
    return this.db
      .getRepository(LicenseEventEntity)
      .createQueryBuilder('e')
      .where('e.license_id IN (:...ids)', { ids: licenseIds })
      .orderBy('e.id', 'ASC')
      .getMany();
  }

  async enqueueArchive(m: EntityManager, licenseId: string, documentSha256: string): Promise<void> {
    await m
      .getRepository(ArchiveOutboxEntity)
      .insert({ licenseId, documentSha256, attempts: 0, nextAttemptAt: new Date() });
  }

  /** Licenses past their end date still marked valid or suspended (the expiry sweep). */
  async dueForExpiry(today: string, limit: number): Promise<LicenseEntity[]> {
    return this.db
      .getRepository(LicenseEntity)
      .createQueryBuilder('l')
      .where(`l.status IN ('valid', 'suspended')`)
      .andWhere('l.valid_until < :today', { today })
      .limit(limit)
      .getMany();
  }
}
