import { Injectable } from '@nestjs/common';
import { AuditLog } from '#audit';
import type { Caller } from '#auth';
import { getLogger } from '#common';
import { CrlService } from '../pki/crl.service.js';
import { SealError, SealErrorCode } from '../shared/seal-error.js';
import { canManage, isOfficer, requireAccess } from './seal-access.js';
import { SealCertificateService, type MadeCredential } from './seal-certificate.service.js';
import type { SealEntity } from './seal.entity.js';
import { effectiveStatus, SealStatus, TRANSITIONS, type SealAction } from './seal-lifecycle.js';
import { SealRepository } from './seal.repository.js';

/**
 * The lifecycle steps after application: made and filed (备案) by platform officers, put in
 * use, suspended and resumed, cancelled (注销) by the owner or an officer. Each step is a
 * row in seal_events and an audit entry; suspension and cancellation re-issue the CRL in the
 * same transaction, so the registry and the CRL never disagree.
 */
@Injectable()
export class SealLifecycleService {
  private readonly log = getLogger('e-seal.lifecycle');

  constructor(
    private readonly seals: SealRepository,
    private readonly certificates: SealCertificateService,
    private readonly crl: CrlService,
    private readonly audit: AuditLog,
  ) {}

  async perform(
    caller: Caller,
    id: string,
    action: SealAction,
    note?: string,
    actor = caller.sub,
  ): Promise<SealEntity> {
    const current = await this.seals.findById(id);
    if (!current) throw new SealError(SealErrorCode.SealNotFound, 404, 'No such seal');
    this.authorise(caller, current, action, actor);
    if (action === 'file') await this.requireFilerNotMaker(current, actor);

    // Key generation and certificate issuance happen before the transaction: no long lock.
    const made = action === 'make' ? await this.certificates.make(current) : undefined;

    const seal = await this.seals.transaction(async (m) => {
      const seal = await this.seals.findForUpdate(id, m);
      if (!seal) throw new SealError(SealErrorCode.SealNotFound, 404, 'No such seal');
      const from = effectiveStatus(seal, new Date());
      const { from: allowed, to } = TRANSITIONS[action];
      if (!allowed.includes(from)) {
        throw new SealError(
          SealErrorCode.SealTransitionNotAllowed,
          409,
          `A seal that is ${from} cannot be ${action}d`,
          { status: from, action },
        );
      }
      const now = new Date();
      applyEffects(seal, action, now, made);
      seal.status = to;
      seal.updatedAt = now;
      await this.seals.save(seal, m);
      await this.seals.appendEvent(
        { sealId: seal.id, fromStatus: from, toStatus: to, actor, note: note ?? null, at: now },
        m,
      );
      await this.audit.append(
        {
          action: `seal.${action}`,
          actor,
          subject: `seal:${seal.id}`,
          details: { from, to, code: seal.code, certificateSerial: seal.certificateSerial },
        },
        m,
      );
      if (['suspend', 'resume', 'cancel'].includes(action) && seal.certificate) {
        await this.crl.reissue(m);
      }
      return seal;
    });
    this.log.info({ sealId: seal.id, action, status: seal.status }, 'seal lifecycle step');
    return seal;
  }

  /** 电子印章管理办法 (制作与备案分离): the officer who made the seal does not file it. */
  private async requireFilerNotMaker(seal: SealEntity, actor: string): Promise<void> {
    const maker = await this.seals.actorOf(seal.id, SealStatus.Made);
    if (maker === actor) {
      throw new SealError(
        SealErrorCode.SealSameMaker,
        409,
        'The seal must be filed by someone other than the officer who made it',
      );
    }
  }

  private authorise(caller: Caller, seal: SealEntity, action: SealAction, actor: string): void {
    switch (action) {
      case 'make':
        requireAccess(isOfficer(caller, seal.ownerUscc), 'make seals (seal:approve)');
        return;
      case 'file':
        requireAccess(isOfficer(caller, seal.ownerUscc), 'file seals (seal:approve)');
        // 电子印章管理办法: the filing officer is not the person who applied.
        if (actor === seal.appliedBy) {
          throw new SealError(
            SealErrorCode.SealSameApprover,
            409,
            'The seal must be filed by someone other than its applicant',
          );
        }
        return;
      case 'activate':
      case 'suspend':
      case 'resume':
      case 'cancel':
        requireAccess(canManage(caller, seal.ownerUscc), `${action} this seal`);
        return;
    }
  }
}

function applyEffects(seal: SealEntity, action: SealAction, now: Date, made?: MadeCredential) {
  switch (action) {
    case 'make':
      seal.keyId = made!.keyId;
      seal.certificate = made!.certificate;
      seal.certificateSerial = made!.serial;
      seal.certificateSha256 = made!.sha256;
      return;
    case 'suspend':
      // RFC 5280 5.3.1: certificateHold is the reversible reason.
      seal.revokedAt = now;
      seal.revocationReason = 'certificateHold';
      return;
    case 'resume':
      seal.revokedAt = null;
      seal.revocationReason = null;
      return;
    case 'cancel':
      if (seal.certificate) {
        seal.revokedAt = seal.revocationReason === 'certificateHold' ? seal.revokedAt : now;
        seal.revokedAt ??= now;
        seal.revocationReason = 'cessationOfOperation';
      }
      return;
    case 'file':
    case 'activate':
      return;
  }
}
