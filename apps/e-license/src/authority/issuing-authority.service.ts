import { Injectable } from '@nestjs/common';
import { getLogger, isValidDivisionCode, parseUscc } from '#common';
import { AuditLog } from '#audit';
import { hasRole, type Caller } from '#auth';
import { LicenseError, LicenseErrorCode } from '../license.error.js';
import type { CreateIssuingAuthorityDto, IssuingAuthorityView } from './issuing-authority.dto.js';
import { IssuingAuthorityEntity } from './issuing-authority.entity.js';
import { IssuingAuthorityRepository } from './issuing-authority.repository.js';

export const ISSUE_ROLE = 'license:issue';

@Injectable()
export class IssuingAuthorityService {
  private readonly log = getLogger('e-license.authority');

  constructor(
    private readonly authorities: IssuingAuthorityRepository,
    private readonly audit: AuditLog,
  ) {}

  async list(): Promise<IssuingAuthorityView[]> {
    return (await this.authorities.list()).map(toView);
  }

  async get(uscc: string): Promise<IssuingAuthorityEntity> {
    const row = await this.authorities.byUscc(uscc.toUpperCase());
    if (!row) {
      throw new LicenseError(LicenseErrorCode.UnknownAuthority, 404, 'No such issuing authority', {
        issuerUscc: uscc,
      });
    }
    return row;
  }

  async save(dto: CreateIssuingAuthorityDto, actor: string): Promise<IssuingAuthorityView> {
    const uscc = parseUscc(dto.uscc);
    if (!uscc.valid) {
      throw new LicenseError(
        LicenseErrorCode.InvalidAuthority,
        400,
        'uscc is not valid (GB 32100)',
        {
          errors: [{ field: 'uscc', message: uscc.problem }],
        },
      );
    }
    if (!isValidDivisionCode(dto.regionCode)) {
      throw new LicenseError(
        LicenseErrorCode.InvalidAuthority,
        400,
        'regionCode is not a GB/T 2260 code',
        {
          errors: [{ field: 'regionCode', message: 'unknown division' }],
        },
      );
    }
    const row = Object.assign(new IssuingAuthorityEntity(), {
      uscc: uscc.normalized,
      name: dto.name,
      regionCode: dto.regionCode,
      level: dto.level,
      sealId: dto.sealId,
    });
    await this.authorities.transaction(async (m) => {
      await this.authorities.upsert(row, m);
      await this.audit.append(
        {
          action: 'authority.saved',
          actor,
          subject: `authority:${row.uscc}`,
          details: { sealId: row.sealId },
        },
        m,
      );
    });
    this.log.info({ issuerUscc: row.uscc }, 'issuing authority saved');
    return toView(row);
  }

  /** A clerk acts for an authority through `license:issue` with unit = the authority's USCC. */
  requireClerk(caller: Caller, authority: IssuingAuthorityEntity): void {
    if (!hasRole(caller, ISSUE_ROLE, authority.uscc)) {
      throw new LicenseError(
        LicenseErrorCode.NotActingForAuthority,
        403,
        'The caller does not act for this issuing authority',
        { issuerUscc: authority.uscc, role: ISSUE_ROLE },
      );
    }
  }
}

export function toView(a: IssuingAuthorityEntity): IssuingAuthorityView {
  return { uscc: a.uscc, name: a.name, regionCode: a.regionCode, level: a.level, sealId: a.sealId };
}
