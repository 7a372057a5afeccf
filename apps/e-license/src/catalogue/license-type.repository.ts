import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { LicenseTypeEntity } from './license-type.entity.js';

@Injectable()
export class LicenseTypeRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The latest version of each type, by code. */
  async listCurrent(): Promise<LicenseTypeEntity[]> {
    return this.db
      .getRepository(LicenseTypeEntity)
      .createQueryBuilder('t')
      .distinctOn(['t.code'])
      .orderBy('t.code')
      .addOrderBy('t.version', 'DESC')
      .getMany();
  }

  async current(code: string): Promise<LicenseTypeEntity | null> {
    return this.db
      .getRepository(LicenseTypeEntity)
      .findOne({ where: { code }, order: { version: 'DESC' } });
  }

  async byVersion(code: string, version: number): Promise<LicenseTypeEntity | null> {
    return this.db.getRepository(LicenseTypeEntity).findOneBy({ code, version });
  }

  async byId(id: string): Promise<LicenseTypeEntity | null> {
    return this.db.getRepository(LicenseTypeEntity).findOneBy({ id });
  }

  async versions(code: string): Promise<LicenseTypeEntity[]> {
    return this.db
      .getRepository(LicenseTypeEntity)
      .find({ where: { code }, order: { version: 'ASC' } });
  }

  /** Inserts the next version; the (code, version) key refuses a concurrent duplicate. */
  async insert(row: LicenseTypeEntity, manager?: EntityManager): Promise<LicenseTypeEntity> {
    return (manager ?? this.db.manager).getRepository(LicenseTypeEntity).save(row);
  }

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }
}
