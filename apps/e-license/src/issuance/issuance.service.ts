import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '#audit';
import type { Caller } from '#auth';
import { getLogger, SUITE_CONTEXT, type SuiteContext } from '#common';
import type { IssuingAuthorityEntity } from '../authority/issuing-authority.entity.js';
import { IssuingAuthorityService } from '../authority/issuing-authority.service.js';
import { checkFields } from '../catalogue/field-schema.js';
import type { LicenseTypeEntity } from '../catalogue/license-type.entity.js';
import { LicenseTypeService } from '../catalogue/license-type.service.js';
import { HolderCodeProtector, newVerificationCode } from '../crypto/holder-code-protector.js';
import { formatLicenseIdentifier } from '../identifier/license-identifier.js';
import { LicenseStatus, LifecycleAction } from '../lifecycle/license-status.js';
import { chinaDate, chineseDate, validityEnd } from './dates.js';
import { ESealClient } from './e-seal.client.js';
import { checkHolderCode } from './holder-code.js';
import { renderLicenseFace } from './license-face.js';
import type { IssueLicenseDto } from './license.dto.js';
import { LicenseEntity } from './license.entity.js';
import { LicenseRepository } from './license.repository.js';
import { toLicenseView, type LicenseView } from './license-view.js';

/** Everything a new version needs before it is rendered and sealed. */
export interface VersionInput {
  type: LicenseTypeEntity;
  authority: IssuingAuthorityEntity;
  holder: { name: string; codeType: string; code: string };
  fields: Record<string, unknown>;
  validFrom: string;
  validUntil: string | null;
  serial: string;
  licenseNumber: string;
  version: number;
  previousId: string | null;
  actor: string;
}

export interface FaceInput {
  type: LicenseTypeEntity;
  authority: IssuingAuthorityEntity;
  holder: { name: string; code: string };
  fields: Record<string, unknown>;
  licenseNumber: string;
  validFrom: string;
  validUntil: string | null;
  issueDate: string;
  identifier: string;
  verificationCode: string;
  verifyUrl: string;
  annotation?: string[];
}

/** A rendered and sealed version, not yet stored. */
export interface SealedVersion {
  license: LicenseEntity;
  pdf: Buffer;
  verificationCode: string;
}

export interface IssuedLicense {
  license: LicenseView;
  /** Printed on the face; returned once so the clerk can hand it over. */
  verificationCode: string;
}

/**
 * Issuance: check the request, allocate the serial, render the face, have e-seal seal it
 * (outside any transaction), then store the license, its PDF, its event and its archiving
 * job in one transaction. A failure before that transaction leaves no license behind.
 */
@Injectable()
export class IssuanceService {
  private readonly log = getLogger('e-license.issuance');
  readonly protector: HolderCodeProtector;

  constructor(
    @Inject(SUITE_CONTEXT) private readonly ctx: SuiteContext,
    private readonly types: LicenseTypeService,
    private readonly authorities: IssuingAuthorityService,
    private readonly licenses: LicenseRepository,
    private readonly eSeal: ESealClient,
    private readonly audit: AuditLog,
  ) {
    this.protector = new HolderCodeProtector(ctx.masterKey);
  }

  async issue(dto: IssueLicenseDto, caller: Caller): Promise<IssuedLicense> {
    const type = await this.types.get(dto.typeCode);
    const authority = await this.authorities.get(dto.issuerUscc);
    this.authorities.requireClerk(caller, authority);
    const code = checkHolderCode(dto.holder.codeType, dto.holder.code, type.holderCategory);
    checkFields(type.id, type.fieldsSchema, dto.fields);

    const today = chinaDate();
    const validFrom = dto.validFrom ?? today;
    const validUntil =
      type.validityYears === null ? null : validityEnd(validFrom, type.validityYears);
    const day = today.replace(/-/g, '');
    const seq = await this.licenses.nextSerial(authority.regionCode, day);
    const serial = `${day}${String(seq).padStart(4, '0')}`;

    const sealed = await this.sealVersion({
      type,
      authority,
      holder: { name: dto.holder.name.trim(), codeType: dto.holder.codeType, code },
      fields: dto.fields,
      validFrom,
      validUntil,
      serial,
      licenseNumber: `${authority.regionCode}${serial}`,
      version: 1,
      previousId: null,
      actor: caller.sub,
    });
    await this.licenses.transaction((m) =>
      this.store(m, sealed, {
        action: LifecycleAction.Issue,
        fromStatus: null,
        reason: null,
        actor: caller.sub,
      }),
    );
    this.log.info(
      {
        licenseId: sealed.license.id,
        typeCode: type.code,
        issuerUscc: authority.uscc,
        clientId: caller.clientId,
      },
      'license issued',
    );
    return { license: toLicenseView(sealed.license), verificationCode: sealed.verificationCode };
  }

  /** Renders and seals one version (no database writes: safe to fail). */
  async sealVersion(input: VersionInput): Promise<SealedVersion> {
    const { type, authority } = input;
    const identifier = formatLicenseIdentifier({
      typeCode: type.code,
      issuerUscc: authority.uscc,
      serial: input.serial,
      version: input.version,
    });
    const verificationCode = newVerificationCode();
    const verifyUrl = `${this.ctx.publicUrls['e-license']}/verify/${encodeURIComponent(identifier)}?code=${verificationCode}`;
    const today = chinaDate();
    const pdf = await this.sealFace({
      type,
      authority,
      holder: input.holder,
      fields: input.fields,
      licenseNumber: input.licenseNumber,
      validFrom: input.validFrom,
      validUntil: input.validUntil,
      issueDate: today,
      identifier,
      verificationCode,
      verifyUrl,
    });

    const now = new Date();
    const license = Object.assign(new LicenseEntity(), {
      id: randomUUID(),
      identifier,
      licenseNumber: input.licenseNumber,
      typeId: type.id,
      typeCode: type.code,
      typeVersion: type.version,
      name: type.name,
      issuerUscc: authority.uscc,
      issuerName: authority.name,
      serial: input.serial,
      version: input.version,
      status: LicenseStatus.Valid,
      holderName: input.holder.name,
      holderCodeType: input.holder.codeType,
      holderCodeEnc: this.protector.encrypt(input.holder.codeType, input.holder.code),
      holderCodeHash: this.protector.lookupHash(input.holder.codeType, input.holder.code),
      fields: input.fields,
      issueDate: today,
      validFrom: input.validFrom,
      validUntil: input.validUntil,
      issuedAt: now,
      issuedBy: input.actor,
      verificationCodeHash: this.protector.verificationCodeHash(verificationCode),
      documentSha256: createHash('sha256').update(pdf).digest('hex'),
      previousId: input.previousId,
      updatedAt: now,
    });
    return { license, pdf, verificationCode };
  }

  /** Renders a face (of a license, or of an annotated copy) and has e-seal seal it. */
  async sealFace(f: FaceInput): Promise<Buffer> {
    const { type, authority } = f;
    const validity =
      f.validUntil === null
        ? `${chineseDate(f.validFrom)} 至 长期`
        : `${chineseDate(f.validFrom)} 至 ${chineseDate(f.validUntil)}`;
    const values: Record<string, string> = {
      $holderName: f.holder.name,
      $holderCode: f.holder.code,
      $licenseNumber: f.licenseNumber,
      $issuerName: authority.name,
      $issueDate: chineseDate(f.issueDate),
      $validity: validity,
    };
    for (const [k, v] of Object.entries(f.fields)) {
      values[k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
    const face = await renderLicenseFace(type.layout, {
      title: type.name,
      values,
      identifier: f.identifier,
      verificationCode: f.verificationCode,
      verifyUrl: f.verifyUrl,
      metadata: {
        subject: `${type.name} ${f.licenseNumber}`,
        // GB/T 36903 core metadata that carries no personal identifier.
        keywords: [f.identifier, type.code, f.licenseNumber, authority.uscc, f.issueDate],
        author: authority.name,
      },
      annotation: f.annotation,
    });
    return this.eSeal.seal(face, {
      sealId: type.sealId ?? authority.sealId,
      page: 1,
      x: type.layout.seal.x - 59.5,
      y: type.layout.seal.y - 59.5,
      reason: f.annotation ? `电子证照加注件 ${f.identifier}` : `电子证照签发 ${f.identifier}`,
    });
  }

  /** Writes a sealed version with its event, audit entry and archiving job (caller's tx). */
  async store(
    m: EntityManager,
    sealed: SealedVersion,
    event: {
      action: LifecycleAction;
      fromStatus: string | null;
      reason: string | null;
      actor: string;
    },
  ): Promise<void> {
    const { license, pdf } = sealed;
    await this.licenses.saveDocument(m, license.documentSha256!, pdf);
    await this.licenses.insert(m, license);
    await this.licenses.addEvent(m, {
      licenseId: license.id,
      action: event.action,
      fromStatus: event.fromStatus,
      toStatus: LicenseStatus.Valid,
      actor: event.actor,
      reason: event.reason,
      details: { identifier: license.identifier, documentSha256: license.documentSha256 },
      at: license.issuedAt,
    });
    await this.licenses.enqueueArchive(m, license.id, license.documentSha256!);
    await this.audit.append(
      {
        action: `license.${event.action}`,
        actor: event.actor,
        subject: `license:${license.id}`,
        details: { identifier: license.identifier, documentSha256: license.documentSha256 },
      },
      m,
    );
  }
}
