import { Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { getLogger } from '#common';
import { AnnotatedCopyRepository } from '../copies/annotated-copy.repository.js';
import type { AnnotatedCopyEntity } from '../copies/annotated-copy.entity.js';
import { parseLicenseIdentifier } from '../identifier/license-identifier.js';
import { chinaDate } from '../issuance/dates.js';
import { ESealClient, type SealVerificationReport } from '../issuance/e-seal.client.js';
import { maskName } from '../issuance/holder-code.js';
import { IssuanceService } from '../issuance/issuance.service.js';
import type { LicenseEntity } from '../issuance/license.entity.js';
import { LicenseRepository, type VerificationRow } from '../issuance/license.repository.js';
import { LicenseError, LicenseErrorCode } from '../license.error.js';
import { effectiveStatus, LicenseStatus } from '../lifecycle/license-status.js';
import { STATUS_TEXT, type VerificationResult } from './verification-result.js';

const NOT_FOUND: VerificationResult = {
  valid: false,
  outcome: 'not-found',
  message: {
    zh: '未找到与该标识和验证码相符的电子证照',
    en: 'No license matches this identifier and verification code',
  },
};

export interface DocumentVerification {
  fileSha256: string;
  /** The file is byte for byte the one this service issued (or an annotated copy of it). */
  issuedHere: boolean;
  seal: { indication: string; summary?: unknown };
  license?: VerificationResult;
  valid: boolean;
}

/**
 * Public verification (核验). A holder's name is masked and the holder's code never leaves;
 * an identifier without its verification code is answered like one that does not exist, so
 * the endpoint cannot be used to learn which licenses exist.
 */
@Injectable()
export class VerificationService {
  private readonly log = getLogger('e-license.verification');

  constructor(
    private readonly licenses: LicenseRepository,
    private readonly copies: AnnotatedCopyRepository,
    private readonly issuance: IssuanceService,
    private readonly eSeal: ESealClient,
  ) {}

  async byIdentifier(identifier: string, code: string): Promise<VerificationResult> {
    const parsed = parseLicenseIdentifier(identifier);
    if (!parsed.valid) {
      throw new LicenseError(
        LicenseErrorCode.InvalidIdentifier,
        400,
        'Not a GB/T 36904 license identifier',
        {
          problem: parsed.problem,
        },
      );
    }
    const row = await this.licenses.verificationRow(identifier.trim().toUpperCase());
    if (!row || !this.codeMatches(row.verificationCodeHash, code)) return NOT_FOUND;
    return this.describe(row);
  }

  async copy(id: string, code: string): Promise<VerificationResult> {
    const copy = /^[0-9a-f-]{36}$/i.test(id) ? await this.copies.byId(id) : null;
    if (!copy || !this.codeMatches(copy.verificationCodeHash, code)) return NOT_FOUND;
    const license = await this.licenses.byId(copy.licenseId);
    return this.describeCopy(copy, license!);
  }

  /** Upload: the seal checked by e-seal, the bytes compared with what was issued, the status. */
  async document(pdf: Buffer): Promise<DocumentVerification> {
    if (pdf.subarray(0, 1024).indexOf('%PDF-') < 0) {
      throw new LicenseError(LicenseErrorCode.NotAPdf, 400, 'The file is not a PDF');
    }
    const fileSha256 = createHash('sha256').update(pdf).digest('hex');
    const report: SealVerificationReport = await this.eSeal.verify(pdf);
    const seal = { indication: String(report.indication ?? 'UNKNOWN'), summary: report.summary };
    const sealOk = seal.indication === 'TOTAL_PASSED';

    const license = await this.licenses.byDocument(fileSha256);
    if (license) {
      const result = this.describe(license);
      return { fileSha256, issuedHere: true, seal, license: result, valid: sealOk && result.valid };
    }
    const copy = await this.copies.byDocument(fileSha256);
    if (copy) {
      const result = this.describeCopy(copy, (await this.licenses.byId(copy.licenseId))!);
      return { fileSha256, issuedHere: true, seal, license: result, valid: sealOk && result.valid };
    }
    this.log.info({ fileSha256 }, 'uploaded file is not one issued here');
    return { fileSha256, issuedHere: false, seal, valid: false };
  }

  describe(row: VerificationRow): VerificationResult {
    const status = effectiveStatus(row.status, row.validUntil, chinaDate());
    const valid = status === LicenseStatus.Valid;
    const text = STATUS_TEXT[status];
    return {
      valid,
      outcome: valid ? 'valid' : 'not-valid',
      status,
      identifier: row.identifier,
      licenseNumber: row.licenseNumber,
      name: row.name,
      typeCode: row.typeCode,
      version: row.version,
      issuer: { name: row.issuerName, uscc: row.issuerUscc },
      issueDate: row.issueDate,
      validity: { from: row.validFrom, until: row.validUntil, longTerm: row.validUntil === null },
      holderName: row.holderCodeType === '001' ? row.holderName : maskName(row.holderName),
      message: { zh: `该电子证照${text.zh}`, en: `This license is ${text.en}` },
    };
  }

  private describeCopy(copy: AnnotatedCopyEntity, license: LicenseEntity): VerificationResult {
    const base = this.describe(license);
    const expired = copy.validUntil < chinaDate();
    const valid = base.valid && !expired;
    return {
      ...base,
      valid,
      outcome: valid ? 'valid' : 'not-valid',
      copy: {
        purpose: copy.purpose,
        recipient: copy.recipient,
        validUntil: copy.validUntil,
        expired,
      },
      message: expired
        ? {
            zh: `该加注件已于 ${copy.validUntil} 过期（用途：${copy.purpose}）`,
            en: `Annotated copy for ${copy.purpose}: expired after ${copy.validUntil}`,
          }
        : {
            zh: `加注件，仅用于“${copy.purpose}”，有效期至 ${copy.validUntil}；原证照${STATUS_TEXT[base.status!].zh}`,
            en: `Annotated copy for ${copy.purpose}, valid until ${copy.validUntil}; the license is ${STATUS_TEXT[base.status!].en}`,
          },
    };
  }

  private codeMatches(storedHash: string, code: string): boolean {
    const given = Buffer.from(this.issuance.protector.verificationCodeHash(code ?? ''), 'hex');
    return timingSafeEqual(given, Buffer.from(storedHash, 'hex'));
  }
}
