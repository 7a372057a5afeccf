import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { SealUsageEntity } from './usage.entity.js';

/** The seal usage log: appended on every use, read by the owner organisation. */
@Injectable()
export class SealUsageRepository {
  constructor(private readonly db: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async insert(rows: SealUsageEntity[], m: EntityManager): Promise<void> {
    await m.getRepository(SealUsageEntity).insert(rows);
  }

  forSeal(sealId: string, limit: number, before?: Date): Promise<SealUsageEntity[]> {
    const q = this.db
      .getRepository(SealUsageEntity)
      .createQueryBuilder('u')
      .where('u.seal_id = :sealId', { sealId })
      .orderBy('u.at', 'DESC')
      .limit(limit);
    if (before) q.andWhere('u.at < :before', { before });
    return q.getMany();
  }

  countForSeal(sealId: string): Promise<number> {
    return this.db.getRepository(SealUsageEntity).countBy({ sealId });
  }
}
