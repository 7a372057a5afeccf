import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { AuditLog } from '#audit';
import { getLogger, SUITE_CONTEXT, type SuiteContext } from '#common';
import { IssuingAuthorityService } from '../authority/issuing-authority.service.js';
import { LicenseTypeRepository } from '../catalogue/license-type.repository.js';
import { newVerificationCode } from '../crypto/holder-code-protector.js';
import { chinaDate } from '../issuance/dates.js';
import { IssuanceService } from '../issuance/issuance.service.js';
import type { LicenseEntity } from '../issuance/license.entity.js';
import { LicenseRepository } from '../issuance/license.repository.js';
import { LicenseError, LicenseErrorCode } from '../license.error.js';
import { effectiveStatus, LicenseStatus } from '../lifecycle/license-status.js';
import { AnnotatedCopyEntity } from './annotated-copy.entity.js';
import { AnnotatedCopyRepository } from './annotated-copy.repository.js';

export interface CopyView {
  id: string;
  licenseId: string;
  purpose: string;
  recipient: string;
  validUntil: string;
  documentSha256: string;
  verifyUrl?: string;
  verificationCode?: string;
  createdAt: string;
}

/**
 * 加注件: a copy of a valid license for one purpose and one recipient, valid until a date.
 * The face is rendered again with the annotation on every page and sealed anew (adding a
 * watermark to the sealed original would break its seal).
 */
@Injectable()
export class AnnotatedCopyService {
  private readonly log = getLogger('e-license.copies');

  constructor(
    @Inject(SUITE_CONTEXT) private readonly ctx: SuiteContext,
    private readonly copies: AnnotatedCopyRepository,
    private readonly licenses: LicenseRepository,
    private readonly typeRows: LicenseTypeRepository,
    private readonly authorities: IssuingAuthorityService,
    private readonly issuance: IssuanceService,
    private readonly audit: AuditLog,
  ) {}

  async create(
    license: LicenseEntity,
    dto: { purpose: string; recipient: string; validUntil: string },
    actor: string,
  ): Promise<CopyView> {
    const today = chinaDate();
    if (effectiveStatus(license.status, license.validUntil, today) !== LicenseStatus.Valid) {
      throw new LicenseError(
        LicenseErrorCode.InvalidCopy,
        409,
        'Only a valid license can be copied',
      );
    }
    const limit = license.validUntil;
    if (dto.validUntil < today || (limit !== null && dto.validUntil > limit)) {
      throw new LicenseError(
        LicenseErrorCode.InvalidCopy,
        400,
        'validUntil must be from today to the end of the license validity',
        { errors: [{ field: 'validUntil', message: `${today}..${limit ?? 'long-term'}` }] },
      );
    }
    const type = (await this.typeRows.byId(license.typeId))!;
    const authority = await this.authorities.get(license.issuerUscc);
    const id = randomUUID();
    const verificationCode = newVerificationCode();
    const verifyUrl = `${this.ctx.publicUrls['e-license']}/verify/copy/${id}?code=${verificationCode}`;
    const pdf = await this.issuance.sealFace({
      type,
      authority,
      holder: {
        name: license.holderName,
        code: this.issuance.protector.decrypt(license.holderCodeType, license.holderCodeEnc),
      },
      fields: license.fields,
      licenseNumber: license.licenseNumber,
      validFrom: license.validFrom,
      validUntil: license.validUntil,
      issueDate: license.issueDate,
      identifier: license.identifier,
      verificationCode,
      verifyUrl,
      annotation: [
        `仅供${dto.purpose}使用，提交给${dto.recipient}，${dto.validUntil}前有效`,
        `Annotated copy for ${dto.purpose}, valid until ${dto.validUntil}`,
      ],
    });
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const row = Object.assign(new AnnotatedCopyEntity(), {
      id,
      licenseId: license.id,
      purpose: dto.purpose,
      recipient: dto.recipient,
      validUntil: dto.validUntil,
      documentSha256: sha256,
      verificationCodeHash: this.issuance.protector.verificationCodeHash(verificationCode),
      createdBy: actor,
      createdAt: new Date(),
    });
    await this.licenses.transaction(async (m) => {
      await this.licenses.saveDocument(m, sha256, pdf);
      await this.copies.insert(m, row);
      await this.audit.append(
        {
          action: 'license.copy',
          actor,
          subject: `license:${license.id}`,
          details: { copyId: id },
        },
        m,
      );
    });
    this.log.info({ licenseId: license.id, copyId: id }, 'annotated copy made');
    return { ...toCopyView(row), verifyUrl, verificationCode };
  }

  async pdf(
    copyId: string,
    licenseIds: string[],
  ): Promise<{ copy: AnnotatedCopyEntity; pdf: Buffer }> {
    const copy = await this.copies.byId(copyId);
    if (!copy || !licenseIds.includes(copy.licenseId)) {
      throw new LicenseError(LicenseErrorCode.CopyNotFound, 404, 'No such annotated copy');
    }
    return { copy, pdf: (await this.licenses.document(copy.documentSha256))! };
  }

  async list(licenseId: string): Promise<CopyView[]> {
    return (await this.copies.forLicense(licenseId)).map(toCopyView);
  }
}

export function toCopyView(c: AnnotatedCopyEntity): CopyView {
  return {
    id: c.id,
    licenseId: c.licenseId,
    purpose: c.purpose,
    recipient: c.recipient,
    validUntil: c.validUntil,
    documentSha256: c.documentSha256,
    createdAt: new Date(c.createdAt).toISOString(),
  };
}
