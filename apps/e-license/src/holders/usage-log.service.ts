import { Injectable } from '@nestjs/common';
import type { Caller } from '#auth';
import type { IssuingAuthorityEntity } from '../authority/issuing-authority.entity.js';
import type { LicenseEntity } from '../issuance/license.entity.js';
import { UsageRepository } from './usage.repository.js';
import type { UsageLogEntity } from './usage-log.entity.js';

export const USAGE_PAGE_DEFAULT = 50;
export const USAGE_PAGE_MAX = 200;

export interface UsageEntryView {
  id: string;
  licenseId: string;
  who: { kind: string; id: string; unit?: { uscc: string; name: string | null } };
  action: string;
  purpose: string | null;
  basis: string | null;
  at: string;
}

export interface UsagePage {
  items: UsageEntryView[];
  /** Cursor of the next (older) page, absent on the last page. */
  before?: string;
}

/**
 * 用证记录 sees every access to a license that is not public verification: business systems,
 * the holder, and the issuing authority's clerks (a clerk's read decrypts the holder code).
 * The entry is written before the answer is sent, so a read that cannot be logged fails.
 */
@Injectable()
export class UsageLogService {
  constructor(private readonly usage: UsageRepository) {}

  async clerkRead(
    caller: Caller,
    license: LicenseEntity,
    authority: IssuingAuthorityEntity,
    action: 'read-data' | 'read-pdf' | 'read-copy-pdf',
  ): Promise<void> {
    await this.usage.log({
      licenseId: license.id,
      accessorKind: 'clerk',
      accessor: caller.sub,
      accessorUnit: authority.uscc,
      accessorUnitName: authority.name,
      action,
      purpose: null,
      basis: `authority:${authority.uscc}`,
    });
  }

  /** Newest first; `limit` is capped at USAGE_PAGE_MAX. */
  async page(licenseIds: string[], limit: number, before?: string): Promise<UsagePage> {
    const size = Math.min(Math.max(Math.trunc(limit) || USAGE_PAGE_DEFAULT, 1), USAGE_PAGE_MAX);
    const rows = await this.usage.logFor(licenseIds, size + 1, before);
    const items = rows.slice(0, size).map(toUsageView);
    return rows.length > size ? { items, before: items[items.length - 1]!.id } : { items };
  }
}

function toUsageView(u: UsageLogEntity): UsageEntryView {
  return {
    id: String(u.id),
    licenseId: u.licenseId,
    who: {
      kind: u.accessorKind,
      id: u.accessor,
      ...(u.accessorUnit ? { unit: { uscc: u.accessorUnit, name: u.accessorUnitName } } : {}),
    },
    action: u.action,
    purpose: u.purpose,
    basis: u.basis,
    at: new Date(u.at).toISOString(),
  };
}
