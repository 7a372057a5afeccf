import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { IssuingAuthorityEntity } from './issuing-authority.entity.js';

@Injectable()
export class IssuingAuthorityRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  list(): Promise<IssuingAuthorityEntity[]> {
    return this.db.getRepository(IssuingAuthorityEntity).find({ order: { name: 'ASC' } });
  }

  byUscc(uscc: string): Promise<IssuingAuthorityEntity | null> {
    return this.db.getRepository(IssuingAuthorityEntity).findOneBy({ uscc });
  }

  /** Inserts or replaces (name, region, level, seal) of an authority. */
  async upsert(row: IssuingAuthorityEntity, manager?: EntityManager): Promise<void> {
    await (manager ?? this.db.manager).getRepository(IssuingAuthorityEntity).upsert(row, ['uscc']);
  }

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }
}
