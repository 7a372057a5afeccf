import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { getLogger } from '#common';
import {
  changesBeyondPermissions,
  compareRevisions,
  digestByteRange,
  PdfDocument,
  readSignatures,
  type PdfSignatureInfo,
} from '#pdf';
import { verifyCmsSignature, type CmsVerificationReport } from '#pki';
import { SEAL_CONFIG, type SealConfig } from '../config/seal-variables.js';
import { CrlService } from '../pki/crl.service.js';
import { PlatformPkiService } from '../pki/platform-pki.service.js';
import { SealRegistryService } from '../seals/seal-registry.service.js';
import { SealRepository } from '../seals/seal.repository.js';
import { toSealErrorFromPdf } from '../shared/pdf-errors.js';
import { SealError, SealErrorCode } from '../shared/seal-error.js';
import { indicationOf, overallIndication } from './indication.js';
import type { SignatureReport, VerificationReport } from './verification-report.js';

/**
 * Verifies every signature and document time-stamp of a PDF: the byte range (stricter than
 * poppler: a range leaving bytes uncovered fails), the CMS (via #pki), the chain to the
 * platform root, validity and revocation at signing time and now, the seal's registry status,
 * and changes made after each signature beyond its permissions (via #pdf).
 */
@Injectable()
export class VerificationService {
  private readonly log = getLogger('e-seal.verification');

  constructor(
    private readonly pki: PlatformPkiService,
    private readonly crl: CrlService,
    private readonly seals: SealRepository,
    private readonly registry: SealRegistryService,
    @Inject(SEAL_CONFIG) private readonly config: SealConfig,
  ) {}

  async verify(pdf: Buffer, maxBytes: number): Promise<VerificationReport> {
    let doc: PdfDocument;
    let infos: PdfSignatureInfo[];
    try {
      doc = PdfDocument.load(pdf, { maxBytes });
      infos = readSignatures(doc);
    } catch (err) {
      throw toSealErrorFromPdf(err);
    }
    // Each signature costs a CMS check and a parse of its revision: the count is bounded
    // before any of that work starts, so one upload cannot buy unbounded CPU.
    const max = this.config.E_SEAL_MAX_SIGNATURES;
    if (infos.length > max) {
      throw new SealError(
        SealErrorCode.PdfTooManySignatures,
        422,
        `The PDF has ${infos.length} signatures; at most ${max} are verified`,
        { signatures: infos.length, max },
      );
    }
    const now = new Date();
    const crls = [await this.crl.current()];
    const certification = infos.find((s) => s.docMdp !== undefined)?.docMdp;

    const signatures: SignatureReport[] = [];
    for (const [index, info] of infos.entries()) {
      signatures.push(await this.verifyOne(pdf, doc, info, index, now, crls, certification));
    }
    const indication = overallIndication(signatures);
    this.log.info({ signatures: signatures.length, indication }, 'PDF verified');
    return {
      fileSha256: createHash('sha256').update(pdf).digest('hex'),
      fileSize: pdf.length,
      verifiedAt: now.toISOString(),
      signatureCount: signatures.filter((s) => s.kind === 'signature').length,
      documentTimestampCount: signatures.filter((s) => s.kind === 'timestamp').length,
      signatures,
      indication,
      summary: summaryOf(indication, signatures.length),
    };
  }

  private async verifyOne(
    pdf: Buffer,
    doc: PdfDocument,
    info: PdfSignatureInfo,
    index: number,
    now: Date,
    crls: Buffer[],
    certification?: number,
  ): Promise<SignatureReport> {
    const problems: string[] = [];
    const warnings: string[] = [];
    let cms: CmsVerificationReport | undefined;
    try {
      cms = await verifyCmsSignature(
        info.contents,
        (hash) => safeDigest(pdf, info.byteRange, hash),
        { trustRoots: [this.pki.root], crls, at: now, claimedSigningTime: info.signingTime },
      );
      problems.push(...cms.problems);
    } catch (err) {
      this.log.debug({ err, index }, 'signature container unreadable');
      problems.push('cmsMalformed');
    }

    const modifications = this.modificationsAfter(pdf, doc, info, certification);
    const revocation = cms?.revocation;
    const proven = cms?.signingTime.proven ?? false;
    const signingTime = cms?.signingTime.time;
    const revocationState = revocationAtSigningTime(revocation, proven, signingTime);
    if (revocationState === 'revokedAfterSigning') warnings.push('revokedAfterSigning');
    if (cms && !proven) warnings.push('signingTimeUnproven');
    if (cms?.validityNow === 'expired') warnings.push('certificateExpiredNow');
    if (!info.coversWholeFile && info.coversRevision) warnings.push('laterRevisionsPresent');

    // Time-stamps carry whole seconds (RFC 3161 2.4.2, genTime truncated): the signature
    // was made before the end of that second, so the registry is asked about its last moment.
    // An unproven time proves nothing to the registry either: it is asked about now.
    const registryTime = proven && signingTime ? new Date(signingTime.getTime() + 999) : now;
    const seal = cms?.signer ? await this.sealOf(cms.signer.certificate, registryTime) : undefined;
    if (seal && !seal.validAtSigningTime) warnings.push('sealNotInUseAtSigningTime');

    const facts: Omit<SignatureReport, 'indication' | 'subIndication'> = {
      index,
      fieldName: info.fieldName,
      kind: info.kind,
      subFilter: info.subFilter,
      reason: info.reason,
      claimedSigningTime: info.signingTime?.toISOString(),
      integrity: {
        coversWholeFile: info.coversWholeFile,
        coversRevision: info.coversRevision,
        anomalies: [...info.anomalies],
        digestMatches: cms?.digestMatches ?? false,
        signatureValid: cms?.signatureValid ?? false,
        intact: info.anomalies.length === 0 && !!cms?.digestMatches && !!cms.signatureValid,
      },
      signer: cms?.signer && {
        commonName: cms.signer.subject.commonName,
        organisationName: cms.signer.subject.organisationName,
        uscc: cms.signer.subject.uscc,
        sealCode: cms.signer.subject.sealCode,
        serialNumber: cms.signer.serialNumber,
        notBefore: cms.signer.notBefore.toISOString(),
        notAfter: cms.signer.notAfter.toISOString(),
      },
      chain: {
        issuedByThisPlatform: cms?.chain.trusted ?? false,
        note: cms?.chain.trusted ? undefined : '非本平台签发 not issued by this platform',
      },
      certificate: {
        validityAtSigningTime: cms?.validityAtSigningTime,
        validityNow: cms?.validityNow,
        revocationAtSigningTime: revocationState,
        revokedNow: revocation?.status === 'revoked' || revocation?.status === 'revokedAfter',
        revocationDate:
          revocation && 'revocationDate' in revocation
            ? revocation.revocationDate?.toISOString()
            : undefined,
        revocationReason: revocation && 'reason' in revocation ? revocation.reason : undefined,
      },
      signingTime: {
        time: signingTime?.toISOString(),
        source: cms?.signingTime.source ?? 'none',
        proven,
      },
      timestamp: cms?.timestamp.present
        ? {
            present: true,
            valid: cms.timestamp.valid,
            trusted: cms.timestamp.trusted,
            genTime: cms.timestamp.genTime.toISOString(),
          }
        : { present: false },
      seal,
      modifications,
      problems,
      warnings,
    };
    const verdict = indicationOf(facts);
    if (cms && !cms.valid && verdict.indication === 'TOTAL_PASSED') {
      // Every reason `valid` can be false has a verdict in indicationOf; reaching here is a bug.
      this.log.error({ index, problems }, 'CMS not valid but no failing fact found');
      return { ...facts, indication: 'INDETERMINATE', subIndication: 'SIG_CONSTRAINTS_FAILURE' };
    }
    return { ...facts, ...verdict };
  }

  /** ETSI EN 319 142-1 5.4: what changed after the signed revision, against the permissions. */
  private modificationsAfter(
    pdf: Buffer,
    doc: PdfDocument,
    info: PdfSignatureInfo,
    certification?: number,
  ) {
    const end = info.revision?.end;
    if (info.coversWholeFile || end === undefined || !info.coversRevision) {
      return { laterRevisions: false, permissions: certification, beyondPermissions: [] };
    }
    const permissions = (info.docMdp ?? certification ?? 2) as 1 | 2 | 3;
    try {
      // The whole file is parsed once per verification, only each signed revision anew.
      const changes = compareRevisions(pdf, end, { after: doc });
      return {
        laterRevisions: true,
        permissions,
        beyondPermissions: changesBeyondPermissions(changes, permissions),
      };
    } catch (err) {
      this.log.debug({ err }, 'revision comparison failed');
      return { laterRevisions: true, permissions, beyondPermissions: ['revisions not comparable'] };
    }
  }

  private async sealOf(certificate: Buffer, at: Date): Promise<SignatureReport['seal']> {
    const sha = createHash('sha256').update(certificate).digest('hex');
    const seal = await this.seals.findByCertificateSha256(sha);
    if (!seal) return undefined;
    const status = await this.registry.statusAt(seal.id, at);
    return {
      sealId: seal.id,
      code: seal.code,
      name: seal.name,
      ownerName: seal.ownerName,
      ownerUscc: seal.ownerUscc,
      statusAtSigningTime: status.statusAt,
      validAtSigningTime: status.validAt,
      currentStatus: status.currentStatus,
    };
  }
}

/**
 * The certificate's revocation as the report shows it. The CMS check judged it at the proven
 * signing time, else now; a revocation found without proof of time is `revoked` when the
 * signer's own claimed time is after it, else `revokedNoProofOfTime`.
 */
function revocationAtSigningTime(
  revocation: CmsVerificationReport['revocation'] | undefined,
  proven: boolean,
  claimed: Date | undefined,
): string {
  if (!revocation) return 'notChecked';
  if (revocation.status === 'revokedAfter') return 'revokedAfterSigning';
  if (revocation.status !== 'revoked' || proven) return revocation.status;
  const date = revocation.revocationDate;
  return claimed && date && claimed >= date ? 'revoked' : 'revokedNoProofOfTime';
}

function summaryOf(indication: string, count: number): { zh: string; en: string } {
  switch (indication) {
    case 'TOTAL_PASSED':
      return { zh: `全部 ${count} 个签章有效`, en: `All ${count} signatures are valid` };
    case 'TOTAL_FAILED':
      return { zh: '至少一个签章无效', en: 'At least one signature is invalid' };
    case 'INDETERMINATE':
      return { zh: '至少一个签章无法确认', en: 'At least one signature could not be confirmed' };
    default:
      return { zh: '文件没有签章', en: 'The document has no signature' };
  }
}

/** A malformed byte range has no digest: zeros never match a message digest. */
function safeDigest(pdf: Buffer, range: readonly number[] | undefined, hash: string): Buffer {
  try {
    return digestByteRange(pdf, range ?? [], hash);
  } catch {
    return Buffer.alloc(
      hash === 'sha1' ? 20 : hash === 'sha384' ? 48 : hash === 'sha512' ? 64 : 32,
    );
  }
}
