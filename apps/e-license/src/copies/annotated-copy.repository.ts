import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AnnotatedCopyEntity } from './annotated-copy.entity.js';

@Injectable()
export class AnnotatedCopyRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  byId(id: string): Promise<AnnotatedCopyEntity | null> {
    return this.db.getRepository(AnnotatedCopyEntity).findOneBy({ id });
  }

  byDocument(sha256: string): Promise<AnnotatedCopyEntity | null> {
    return this.db.getRepository(AnnotatedCopyEntity).findOneBy({ documentSha256: sha256 });
  }

  forLicense(licenseId: string): Promise<AnnotatedCopyEntity[]> {
    return this.db
      .getRepository(AnnotatedCopyEntity)
      .find({ where: { licenseId }, order: { createdAt: 'DESC' } });
  }

  async insert(m: EntityManager, row: AnnotatedCopyEntity): Promise<void> {
    await m.getRepository(AnnotatedCopyEntity).insert(row);
  }
}
