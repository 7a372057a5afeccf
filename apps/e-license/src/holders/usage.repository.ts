import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, type DataSource } from 'typeorm';
import { StandingPermissionEntity } from '../business/standing-permission.entity.js';
import { UsageGrantEntity } from './usage-grant.entity.js';
import { UsageLogEntity } from './usage-log.entity.js';

/** Grants (用证授权), standing permissions and the usage log (用证记录). */
@Injectable()
export class UsageRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async addGrant(
    row: Omit<UsageGrantEntity, 'id' | 'createdAt' | 'revokedAt'>,
  ): Promise<UsageGrantEntity> {
    const grant = Object.assign(new UsageGrantEntity(), row, {
      id: randomUUID(),
      createdAt: new Date(),
      revokedAt: null,
    });
    await this.db.getRepository(UsageGrantEntity).insert(grant);
    return grant;
  }

  grant(id: string): Promise<UsageGrantEntity | null> {
    return this.db.getRepository(UsageGrantEntity).findOneBy({ id });
  }

  grantsFor(licenseIds: string[]): Promise<UsageGrantEntity[]> {
    if (licenseIds.length === 0) return Promise.resolve([]);
    return this.db
      .getRepository(UsageGrantEntity)
      .createQueryBuilder('g')
      .where('g.license_id IN (:...licenseIds)', { licenseIds })
      .orderBy('g.created_at', 'DESC')
      .getMany();
  }

  grantsOfClient(clientId: string): Promise<UsageGrantEntity[]> {
    return this.db
      .getRepository(UsageGrantEntity)
      .createQueryBuilder('g')
      .where('g.client_id = :clientId', { clientId })
      .andWhere('g.revoked_at IS NULL')
      .andWhere('g.valid_until > now()')
      .orderBy('g.created_at', 'DESC')
      .getMany();
  }

  /** The active grant of a client for a license, if any. */
  activeGrant(licenseId: string, clientId: string): Promise<UsageGrantEntity | null> {
    return this.db
      .getRepository(UsageGrantEntity)
      .createQueryBuilder('g')
      .where('g.license_id = :licenseId AND g.client_id = :clientId', { licenseId, clientId })
      .andWhere('g.revoked_at IS NULL')
      .andWhere('g.valid_until > now()')
      .orderBy('g.valid_until', 'DESC')
      .getOne();
  }

  async revokeGrant(id: string): Promise<void> {
    await this.db
      .getRepository(UsageGrantEntity)
      .update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  async addPermission(
    row: Omit<StandingPermissionEntity, 'id' | 'createdAt' | 'revokedAt'>,
  ): Promise<StandingPermissionEntity> {
    const p = Object.assign(new StandingPermissionEntity(), row, {
      id: randomUUID(),
      createdAt: new Date(),
      revokedAt: null,
    });
    await this.db.getRepository(StandingPermissionEntity).insert(p);
    return p;
  }

  permissions(): Promise<StandingPermissionEntity[]> {
    return this.db.getRepository(StandingPermissionEntity).find({ order: { createdAt: 'DESC' } });
  }

  activePermission(clientId: string, typeCode: string): Promise<StandingPermissionEntity | null> {
    return this.db
      .getRepository(StandingPermissionEntity)
      .findOneBy({ clientId, typeCode, revokedAt: IsNull() });
  }

  async revokePermission(id: string): Promise<boolean> {
    const r = await this.db
      .getRepository(StandingPermissionEntity)
      .update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (r.affected ?? 0) > 0;
  }

  async log(
    row: Omit<UsageLogEntity, 'id' | 'at' | 'accessorUnit' | 'accessorUnitName'> &
      Partial<Pick<UsageLogEntity, 'accessorUnit' | 'accessorUnitName'>>,
  ): Promise<void> {
    await this.db.getRepository(UsageLogEntity).insert({
      accessorUnit: null,
      accessorUnitName: null,
      ...row,
      at: new Date(),
    });
  }

  /** Newest first, `limit` rows with an id below `before` (keyset paging on the id). */
  logFor(licenseIds: string[], limit: number, before?: string): Promise<UsageLogEntity[]> {
    if (licenseIds.length === 0) return Promise.resolve([]);
    const q = this.db
      .getRepository(UsageLogEntity)
      .createQueryBuilder('u')
      .where('u.license_id IN (:...licenseIds)', { licenseIds });
    if (before !== undefined) q.andWhere('u.id < :before', { before });
    return q.orderBy('u.id', 'DESC').limit(limit).getMany();
  }
}
