import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { AuditLog } from '#audit';
import type { Caller } from '#auth';
import { getLogger } from '#common';
import { signPdf, type CmsSigner } from '#pdf';
import { createCadesSignature } from '#pki';
import { PlatformPkiService } from '../pki/platform-pki.service.js';
import { canUse, requireAccess } from '../seals/seal-access.js';
import type { SealEntity } from '../seals/seal.entity.js';
import { effectiveStatus, SealStatus } from '../seals/seal-lifecycle.js';
import { SealRepository } from '../seals/seal.repository.js';
import { toSealErrorFromPdf } from '../shared/pdf-errors.js';
import { SealError, SealErrorCode } from '../shared/seal-error.js';
import { SealAppearanceCache } from './appearance-cache.js';
import { rectOf, type Placement } from './placement.js';
import { SealUsageEntity } from './usage.entity.js';
import { SealUsageRepository } from './usage.repository.js';

export interface SealingRequest {
  sealId: string;
  placement: Placement;
  reason?: string;
  /** Make this the certification signature (DocMDP P=2: form filling and signing allowed). */
  certify?: boolean;
}

export interface SealedDocument {
  fileName?: string;
  /** 1-based page the seal was put on. */
  page: number;
  pdf: Buffer;
  usageId: string;
  fieldName: string;
  sha256Before: string;
  sha256After: string;
}

/**
 * Sealing (盖章): a visible seal and a PAdES B-T signature (ETSI EN 319 142-1: CAdES
 * detached, signing-certificate-v2, signature time-stamp from the platform TSA, in process),
 * each an incremental update so earlier signatures stay valid. The usage log is written only
 * after every document of the call is sealed: a failure stores nothing.
 */
@Injectable()
export class SealingService {
  private readonly log = getLogger('e-seal.sealing');

  constructor(
    private readonly pki: PlatformPkiService,
    private readonly seals: SealRepository,
    private readonly usages: SealUsageRepository,
    private readonly audit: AuditLog,
    private readonly appearances: SealAppearanceCache,
  ) {}

  async seal(
    caller: Caller,
    request: SealingRequest,
    documents: { pdf: Buffer; fileName?: string }[],
    maxBytes: number,
  ): Promise<SealedDocument[]> {
    const seal = await this.usableSeal(caller, request.sealId);
    const batchId = documents.length > 1 ? randomUUID() : null;

    const sealed: SealedDocument[] = [];
    for (const [index, doc] of documents.entries()) {
      try {
        sealed.push(await this.sealOne(seal, request, doc.pdf, maxBytes, doc.fileName));
      } catch (err) {
        const mapped = toSealErrorFromPdf(err);
        if (mapped instanceof SealError && documents.length > 1) {
          // Name the document that failed; the whole batch is refused.
          throw new SealError(mapped.code, mapped.status, mapped.message, {
            ...mapped.extensions,
            documentIndex: index,
            fileName: doc.fileName,
          });
        }
        throw mapped;
      }
    }

    const at = new Date();
    await this.usages.transaction(async (m) => {
      await this.usages.insert(
        sealed.map((s) => usageRow(s, seal, caller, request, batchId, at)),
        m,
      );
      for (const s of sealed) {
        await this.audit.append(
          {
            action: 'seal.used',
            actor: caller.sub,
            subject: `seal:${seal.id}`,
            details: {
              usageId: s.usageId,
              clientId: caller.clientId,
              sha256Before: s.sha256Before,
              sha256After: s.sha256After,
              batchId,
            },
          },
          m,
        );
      }
    });
    this.log.info(
      { sealId: seal.id, clientId: caller.clientId, documents: sealed.length, batchId },
      'documents sealed',
    );
    return sealed;
  }

  private async usableSeal(caller: Caller, sealId: string): Promise<SealEntity> {
    const seal = /^[0-9a-f-]{36}$/i.test(sealId) ? await this.seals.findById(sealId) : null;
    if (!seal) throw new SealError(SealErrorCode.SealNotFound, 404, 'No such seal');
    requireAccess(canUse(caller, seal), 'use this seal');
    const now = new Date();
    const status = effectiveStatus(seal, now);
    if (status === SealStatus.Expired) {
      throw new SealError(SealErrorCode.SealExpired, 409, 'The seal has expired', { status });
    }
    if (status !== SealStatus.InUse || now < seal.validFrom || !seal.keyId || !seal.certificate) {
      throw new SealError(SealErrorCode.SealNotActive, 409, `The seal is ${status}, not in use`, {
        status,
      });
    }
    return seal;
  }

  private async sealOne(
    seal: SealEntity,
    request: SealingRequest,
    pdf: Buffer,
    maxBytes: number,
    fileName?: string,
  ): Promise<SealedDocument> {
    const { placement } = request;
    const certificate = seal.certificate!;
    const key = { keyStore: this.pki.keyStore, keyId: seal.keyId! };
    const chain = [this.pki.issuingCertificate, this.pki.root];
    const timestamp = this.pki.timestamper();
    const signer: CmsSigner = (digest) =>
      createCadesSignature({ digest, key, certificate, chain, timestamp });

    const result = await signPdf(pdf, {
      signer,
      page: placement.page === undefined ? undefined : placement.page - 1,
      ...where(placement),
      reason: request.reason,
      name: seal.name,
      location: seal.ownerName,
      appearance: await this.appearances.appearanceOf(seal, placement.size),
      certify: request.certify ? { permissions: 2 } : undefined,
      maxBytes,
    });
    return {
      fileName,
      page: (result.placement?.page ?? 0) + 1,
      pdf: result.pdf,
      usageId: randomUUID(),
      fieldName: result.fieldName,
      sha256Before: sha256(pdf),
      sha256After: sha256(result.pdf),
    };
  }
}

/** A rectangle from coordinates, or the text to place the seal beside (#pdf finds it). */
function where(p: Placement) {
  if (p.nearText !== undefined) {
    return {
      nearText: { text: p.nearText, position: p.position, size: [p.size, p.size] as const },
    };
  }
  return { rect: rectOf({ ...p, x: p.x ?? 0, y: p.y ?? 0 }) };
}

function usageRow(
  s: SealedDocument,
  seal: SealEntity,
  caller: Caller,
  request: SealingRequest,
  batchId: string | null,
  at: Date,
): SealUsageEntity {
  return Object.assign(new SealUsageEntity(), {
    id: s.usageId,
    sealId: seal.id,
    callerSub: caller.sub,
    callerClientId: caller.clientId || null,
    callerKind: caller.kind,
    batchId,
    fileName: s.fileName?.slice(0, 255) ?? null,
    sha256Before: s.sha256Before,
    sha256After: s.sha256After,
    fieldName: s.fieldName,
    page: s.page,
    reason: request.reason ?? null,
    certify: request.certify ?? false,
    at,
  });
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
