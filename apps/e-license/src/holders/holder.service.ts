import { Injectable } from '@nestjs/common';
import { hasRole, type Caller } from '#auth';
import { getLogger } from '#common';
import { IssuanceService } from '../issuance/issuance.service.js';
import type { LicenseEntity } from '../issuance/license.entity.js';
import { LicenseRepository } from '../issuance/license.repository.js';
import { LicenseError, LicenseErrorCode } from '../license.error.js';
import type { CreateGrantDto } from './holder.dto.js';
import type { UsageGrantEntity } from './usage-grant.entity.js';
import { UsageRepository } from './usage.repository.js';
import { UsageLogService, type UsagePage } from './usage-log.service.js';

export const HOLDER_ROLE = 'license:holder';

export interface GrantView {
  id: string;
  licenseId: string;
  clientId: string;
  purpose: string;
  validUntil: string;
  active: boolean;
  createdAt: string;
  revokedAt: string | null;
}

/**
 * A holder's own licenses: a person matched by the verified identity document in the token
 * (`id_document`, only with the `idcard` scope), an agent by the organisation it acts for
 * (`org.uscc`, with `license:holder` for that organisation). The match is on the keyed hash,
 * so the database is never searched by a clear ID number.
 */
@Injectable()
export class HolderService {
  private readonly log = getLogger('e-license.holders');

  constructor(
    private readonly licenses: LicenseRepository,
    private readonly usage: UsageRepository,
    private readonly usageLogs: UsageLogService,
    private readonly issuance: IssuanceService,
  ) {}

  holderHashes(caller: Caller): string[] {
    const hashes: string[] = [];
    const p = this.issuance.protector;
    if (caller.kind === 'person' && caller.idDocument) {
      hashes.push(p.lookupHash(caller.idDocument.type, caller.idDocument.number));
    }
    if (caller.org && hasRole(caller, HOLDER_ROLE, caller.org.uscc)) {
      hashes.push(p.lookupHash('001', caller.org.uscc));
    }
    return hashes;
  }

  async licensesOf(caller: Caller): Promise<LicenseEntity[]> {
    return this.licenses.byHolderHashes(this.holderHashes(caller));
  }

  async own(caller: Caller, id: string): Promise<LicenseEntity> {
    const row = await this.licenses.byId(id);
    if (!row || !this.holderHashes(caller).includes(row.holderCodeHash)) {
      // The same answer for "not yours" and "does not exist": no probing of other holders.
      throw new LicenseError(LicenseErrorCode.LicenseNotFound, 404, 'No such license among yours');
    }
    return row;
  }

  async grant(caller: Caller, dto: CreateGrantDto): Promise<GrantView> {
    const license = await this.own(caller, dto.licenseId);
    const until = new Date(dto.validUntil);
    if (Number.isNaN(until.getTime()) || until.getTime() <= Date.now()) {
      throw new LicenseError(
        LicenseErrorCode.InvalidGrant,
        400,
        'validUntil must be in the future',
        {
          errors: [{ field: 'validUntil', message: 'in the past' }],
        },
      );
    }
    const row = await this.usage.addGrant({
      licenseId: license.id,
      clientId: dto.clientId,
      purpose: dto.purpose,
      validUntil: until,
      grantedBy: caller.sub,
    });
    this.log.info({ licenseId: license.id, clientId: dto.clientId, grantId: row.id }, 'grant made');
    return toGrantView(row);
  }

  async grants(caller: Caller): Promise<GrantView[]> {
    const mine = await this.licensesOf(caller);
    return (await this.usage.grantsFor(mine.map((l) => l.id))).map(toGrantView);
  }

  async revokeGrant(caller: Caller, id: string): Promise<GrantView> {
    const grant = await this.usage.grant(id);
    if (!grant) throw new LicenseError(LicenseErrorCode.GrantNotFound, 404, 'No such grant');
    await this.own(caller, grant.licenseId).catch(() => {
      throw new LicenseError(LicenseErrorCode.GrantNotFound, 404, 'No such grant');
    });
    await this.usage.revokeGrant(id);
    this.log.info({ grantId: id, clientId: grant.clientId }, 'grant revoked');
    return toGrantView((await this.usage.grant(id))!);
  }

  async usageLog(caller: Caller, limit: number, before?: string): Promise<UsagePage> {
    const mine = await this.licensesOf(caller);
    return this.usageLogs.page(
      mine.map((l) => l.id),
      limit,
      before,
    );
  }

  async logHolderAccess(caller: Caller, licenseId: string, action: string): Promise<void> {
    await this.usage.log({
      licenseId,
      accessorKind: 'holder',
      accessor: caller.sub,
      action,
      purpose: null,
      basis: 'holder',
    });
  }
}

export function toGrantView(g: UsageGrantEntity): GrantView {
  const until = new Date(g.validUntil);
  return {
    id: g.id,
    licenseId: g.licenseId,
    clientId: g.clientId,
    purpose: g.purpose,
    validUntil: until.toISOString(),
    active: g.revokedAt === null && until.getTime() > Date.now(),
    createdAt: new Date(g.createdAt).toISOString(),
    revokedAt: g.revokedAt ? new Date(g.revokedAt).toISOString() : null,
  };
}
