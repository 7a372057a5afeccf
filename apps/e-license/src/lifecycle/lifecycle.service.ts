import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AuditLog } from '#audit';
import type { Caller } from '#auth';
import { getLogger } from '#common';
import { IssuingAuthorityService } from '../authority/issuing-authority.service.js';
import { checkFields } from '../catalogue/field-schema.js';
import { LicenseTypeService } from '../catalogue/license-type.service.js';
import { LicenseTypeRepository } from '../catalogue/license-type.repository.js';
import { addDays, chinaDate, validityEnd } from '../issuance/dates.js';
import { IssuanceService, type IssuedLicense } from '../issuance/issuance.service.js';
import type { ChangeLicenseDto, RenewLicenseDto } from '../issuance/license.dto.js';
import type { LicenseEntity } from '../issuance/license.entity.js';
import { LicenseRepository } from '../issuance/license.repository.js';
import { toLicenseView, type LicenseView } from '../issuance/license-view.js';
import { LicenseError, LicenseErrorCode } from '../license.error.js';
import { effectiveStatus, LicenseStatus, LifecycleAction, nextStatus } from './license-status.js';

const SWEEP_INTERVAL_MS = 60_000;

/**
 * The lifecycle of an issued license: change and renewal (a new sealed version, the old one
 * superseded), suspension and restoration, revocation, cancellation and expiry. Each is an
 * event with actor, time and reason, and only the transitions of TRANSITIONS are allowed.
 */
@Injectable()
export class LifecycleService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = getLogger('e-license.lifecycle');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly licenses: LicenseRepository,
    private readonly issuance: IssuanceService,
    private readonly authorities: IssuingAuthorityService,
    private readonly types: LicenseTypeService,
    private readonly typeRows: LicenseTypeRepository,
    private readonly audit: AuditLog,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.expireDue().catch((err: unknown) => this.log.error({ err }, 'expiry sweep failed'));
    }, SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async get(id: string): Promise<LicenseEntity> {
    const row = await this.licenses.byId(id);
    if (!row) throw new LicenseError(LicenseErrorCode.LicenseNotFound, 404, 'No such license');
    return row;
  }

  /** 变更: a new version with new fields or holder name; the old one is superseded. */
  async change(id: string, dto: ChangeLicenseDto, caller: Caller): Promise<IssuedLicense> {
    const old = await this.checked(id, LifecycleAction.Change, caller);
    const type = await this.typeRows.byId(old.typeId);
    const fields = dto.fields ?? old.fields;
    checkFields(type!.id, type!.fieldsSchema, fields);
    return this.replace(old, caller, LifecycleAction.Change, dto.reason, {
      typeCode: old.typeCode,
      typeVersion: old.typeVersion,
      fields,
      holderName: dto.holderName ?? old.holderName,
      validFrom: old.validFrom,
      validUntil: old.validUntil,
    });
  }

  /** 延续: a new version whose validity follows the old one (or starts today if it ended). */
  async renew(id: string, dto: RenewLicenseDto, caller: Caller): Promise<IssuedLicense> {
    const old = await this.checked(id, LifecycleAction.Renew, caller);
    const type = await this.types.get(old.typeCode);
    checkFields(type.id, type.fieldsSchema, old.fields);
    const years = dto.years ?? type.validityYears;
    const today = chinaDate();
    const from =
      old.validUntil !== null && old.validUntil >= today ? addDays(old.validUntil, 1) : today;
    return this.replace(old, caller, LifecycleAction.Renew, dto.reason ?? '延续 renewal', {
      typeCode: type.code,
      typeVersion: type.version,
      fields: old.fields,
      holderName: old.holderName,
      validFrom: from,
      validUntil: years === null ? null : validityEnd(from, years),
    });
  }

  suspend(id: string, reason: string, caller: Caller): Promise<LicenseView> {
    return this.transition(id, LifecycleAction.Suspend, reason, caller);
  }

  restore(id: string, reason: string, caller: Caller): Promise<LicenseView> {
    return this.transition(id, LifecycleAction.Restore, reason, caller);
  }

  revoke(id: string, reason: string, caller: Caller): Promise<LicenseView> {
    return this.transition(id, LifecycleAction.RevokePenalty, reason, caller);
  }

  withdraw(id: string, reason: string, caller: Caller): Promise<LicenseView> {
    return this.transition(id, LifecycleAction.Withdraw, reason, caller);
  }

  cancel(id: string, reason: string, caller: Caller): Promise<LicenseView> {
    return this.transition(id, LifecycleAction.Cancel, reason, caller);
  }

  /** Records expiry of every license past its end date (the sweep; verification does not wait). */
  async expireDue(): Promise<number> {
    const today = chinaDate();
    let count = 0;
    for (;;) {
      const due = await this.licenses.dueForExpiry(today, 200);
      if (due.length === 0) return count;
      for (const l of due) {
        await this.licenses.transaction(async (m) => {
          const row = await this.licenses.byIdForUpdate(l.id, m);
          if (!row || !nextStatus(row.status, LifecycleAction.Expire)) return;
          if (row.validUntil === null || row.validUntil >= today) return;
          await this.write(
            m,
            row,
            LifecycleAction.Expire,
            LicenseStatus.Expired,
            'system',
            `有效期届满 ${row.validUntil}`,
          );
          count++;
        });
      }
    }
  }

  /** Loads a license, checks the clerk acts for its issuer and the action is allowed now. */
  private async checked(
    id: string,
    action: LifecycleAction,
    caller: Caller,
  ): Promise<LicenseEntity> {
    const row = await this.get(id);
    this.authorities.requireClerk(caller, await this.authorities.get(row.issuerUscc));
    this.allowed(row, action);
    return row;
  }

  private allowed(row: LicenseEntity, action: LifecycleAction): LicenseStatus {
    const from = effectiveStatus(row.status, row.validUntil, chinaDate());
    const to = nextStatus(from, action);
    if (!to) {
      throw new LicenseError(
        LicenseErrorCode.TransitionNotAllowed,
        409,
        `A ${from} license cannot be ${action}d`,
        { status: from, action },
      );
    }
    return to;
  }

  private async transition(
    id: string,
    action: LifecycleAction,
    reason: string,
    caller: Caller,
  ): Promise<LicenseView> {
    await this.checked(id, action, caller);
    const updated = await this.licenses.transaction(async (m) => {
      const row = (await this.licenses.byIdForUpdate(id, m))!;
      // Expiry first, when the sweep has not recorded it yet, so the history stays complete.
      if (effectiveStatus(row.status, row.validUntil, chinaDate()) !== row.status) {
        await this.write(
          m,
          row,
          LifecycleAction.Expire,
          LicenseStatus.Expired,
          'system',
          `有效期届满 ${row.validUntil}`,
        );
        row.status = LicenseStatus.Expired;
      }
      const to = this.allowed(row, action);
      await this.write(m, row, action, to, caller.sub, reason);
      return { ...row, status: to };
    });
    this.log.info({ licenseId: id, action, clientId: caller.clientId }, 'license status changed');
    return toLicenseView(updated as LicenseEntity);
  }

  private async write(
    m: Parameters<Parameters<LicenseRepository['transaction']>[0]>[0],
    row: LicenseEntity,
    action: LifecycleAction,
    to: LicenseStatus,
    actor: string,
    reason: string,
  ): Promise<void> {
    await this.licenses.updateStatus(m, row.id, to);
    await this.licenses.addEvent(m, {
      licenseId: row.id,
      action,
      fromStatus: row.status,
      toStatus: to,
      actor,
      reason,
      details: {},
      at: new Date(),
    });
    await this.audit.append(
      {
        action: `license.${action}`,
        actor,
        subject: `license:${row.id}`,
        details: { from: row.status, to },
      },
      m,
    );
  }

  /** Seals the new version first (no transaction open), then swaps both rows in one. */
  private async replace(
    old: LicenseEntity,
    caller: Caller,
    action: LifecycleAction.Change | LifecycleAction.Renew,
    reason: string,
    next: {
      typeCode: string;
      typeVersion: number;
      fields: Record<string, unknown>;
      holderName: string;
      validFrom: string;
      validUntil: string | null;
    },
  ): Promise<IssuedLicense> {
    if (old.version >= 999) {
      throw new LicenseError(
        LicenseErrorCode.TransitionNotAllowed,
        409,
        'GB/T 36904 allows 999 versions',
      );
    }
    const type = await this.types.get(next.typeCode, next.typeVersion);
    const authority = await this.authorities.get(old.issuerUscc);
    const code = this.issuance.protector.decrypt(old.holderCodeType, old.holderCodeEnc);
    const sealed = await this.issuance.sealVersion({
      type,
      authority,
      holder: { name: next.holderName, codeType: old.holderCodeType, code },
      fields: next.fields,
      validFrom: next.validFrom,
      validUntil: next.validUntil,
      serial: old.serial,
      licenseNumber: old.licenseNumber,
      version: old.version + 1,
      previousId: old.id,
      actor: caller.sub,
    });
    await this.licenses.transaction(async (m) => {
      const row = (await this.licenses.byIdForUpdate(old.id, m))!;
      const from = effectiveStatus(row.status, row.validUntil, chinaDate());
      if (from !== row.status) {
        await this.write(
          m,
          row,
          LifecycleAction.Expire,
          from,
          'system',
          `有效期届满 ${row.validUntil}`,
        );
        row.status = from;
      }
      const to = this.allowed(row, action);
      await this.write(m, row, action, to, caller.sub, reason);
      await this.issuance.store(m, sealed, { action, fromStatus: null, reason, actor: caller.sub });
    });
    this.log.info(
      { licenseId: sealed.license.id, previousId: old.id, action },
      'license version issued',
    );
    return { license: toLicenseView(sealed.license), verificationCode: sealed.verificationCode };
  }
}
