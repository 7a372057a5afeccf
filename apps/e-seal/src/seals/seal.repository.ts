import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, Not, type EntityManager } from 'typeorm';
import type { SealStatus } from './seal-lifecycle.js';
import { SealEntity, SealEventEntity } from './seal.entity.js';

/** The seal registry's tables: seals and their lifecycle events. */
@Injectable()
export class SealRepository {
  constructor(private readonly db: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  findById(id: string, m?: EntityManager): Promise<SealEntity | null> {
    return (m ?? this.db.manager).getRepository(SealEntity).findOneBy({ id });
  }

  /** Locks the row for a lifecycle change (SELECT ... FOR UPDATE). */
  findForUpdate(id: string, m: EntityManager): Promise<SealEntity | null> {
    return m
      .getRepository(SealEntity)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.id = :id', { id })
      .getOne();
  }

  findByCertificateSha256(sha256: string): Promise<SealEntity | null> {
    return this.db.getRepository(SealEntity).findOneBy({ certificateSha256: sha256 });
  }

  findByOwner(ownerUscc: string): Promise<SealEntity[]> {
    return this.db.getRepository(SealEntity).find({ where: { ownerUscc }, order: { code: 'ASC' } });
  }

  findAll(): Promise<SealEntity[]> {
    return this.db.getRepository(SealEntity).find({ order: { code: 'ASC' } });
  }

  /** Seals whose certificates are on the CRL (suspended: on hold; cancelled: revoked). */
  findRevoked(m?: EntityManager): Promise<SealEntity[]> {
    return (m ?? this.db.manager)
      .getRepository(SealEntity)
      .find({ where: { revokedAt: Not(IsNull()) }, order: { revokedAt: 'ASC' } });
  }

  async nextCodeSequence(m: EntityManager): Promise<number> {
    const rows: { n: string }[] = await m.query(`SELECT nextval('e_seal.seal_code_seq') AS n`);
    return Number(rows[0]!.n);
  }

  async insert(seal: SealEntity, m: EntityManager): Promise<void> {
    await m.getRepository(SealEntity).insert(seal);
  }

  async save(seal: SealEntity, m: EntityManager): Promise<void> {
    await m.getRepository(SealEntity).save(seal);
  }

  async appendEvent(event: Omit<SealEventEntity, 'id'>, m: EntityManager): Promise<void> {
    await m.getRepository(SealEventEntity).insert(event);
  }

  /** Who took the seal to `toStatus` most recently (the maker for 'made'), if anyone did. */
  async actorOf(
    sealId: string,
    toStatus: SealStatus,
    m?: EntityManager,
  ): Promise<string | undefined> {
    const event = await (m ?? this.db.manager)
      .getRepository(SealEventEntity)
      .findOne({ where: { sealId, toStatus }, order: { at: 'DESC', id: 'DESC' } });
    return event?.actor;
  }

  events(sealId: string): Promise<SealEventEntity[]> {
    return this.db
      .getRepository(SealEventEntity)
      .find({ where: { sealId }, order: { at: 'ASC', id: 'ASC' } });
  }
}
