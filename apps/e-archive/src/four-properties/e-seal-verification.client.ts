import { Inject, Injectable } from '@nestjs/common';
import { getLogger, SUITE_CONTEXT, type SuiteContext } from '#common';
import { ServiceTokenClient } from '#auth';
import { ArchiveError, ArchiveErrorCode } from '../errors.js';

/** One signature or seal as e-seal's verification report describes it. */
export interface VerifiedSignature {
  fieldName?: string;
  /** The signed bytes and the CMS signature are intact (nothing altered since signing). */
  intact: boolean;
  /** The signer chains to the platform CA (e-seal's `chain.issuedByThisPlatform`). */
  trusted?: boolean;
  /** The byte range reaches the end of the file: nothing was appended after this signature. */
  coversWholeFile: boolean;
  signer?: string;
  problems: string[];
  /** e-seal's own entry, kept in the report as it came. */
  raw: Record<string, unknown>;
}

export interface SealVerification {
  signatures: VerifiedSignature[];
}

/**
 * Verifies every seal and signature of a PDF through e-seal's public verification API
 * (`POST /e-seal/v1/verification`, docs/INTEGRATION.md), with e-archive's own service token.
 * Called before any database transaction opens (the embedded database serialises them).
 */
@Injectable()
export class ESealVerificationClient {
  private readonly tokens: ServiceTokenClient;
  private readonly log = getLogger('e-seal-verification');

  constructor(@Inject(SUITE_CONTEXT) private readonly ctx: SuiteContext) {
    this.tokens = new ServiceTokenClient(ctx, 'e-archive');
  }

  async verify(pdf: Buffer): Promise<SealVerification> {
    const url = `${this.ctx.serviceUrls['e-seal']}/v1/verification`;
    const body = new FormData();
    body.append('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'record.pdf');
    let res: Response;
    try {
      const token = await this.tokens.getToken('e-seal', ['seal:read']);
      res = await fetch(url, {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      this.log.error({ err }, 'e-seal verification unreachable');
      throw unavailable();
    }
    if (!res.ok) {
      this.log.error({ status: res.status }, 'e-seal verification refused the request');
      throw unavailable();
    }
    return normaliseReport((await res.json()) as unknown);
  }
}

function unavailable(): ArchiveError {
  return new ArchiveError(
    ArchiveErrorCode.SealVerificationUnavailable,
    503,
    'Seals could not be verified now (e-seal unavailable); nothing was stored, try again',
  );
}

/**
 * Maps e-seal's report (ETSI EN 319 102-1 indications per signature) onto what the
 * authenticity check needs: TOTAL_FAILED or a broken integrity block is a broken seal;
 * INDETERMINATE (a signer outside this platform's trust, an expired certificate) is intact.
 */
export function normaliseReport(body: unknown): SealVerification {
  const list = (body as { signatures?: unknown })?.signatures;
  if (!Array.isArray(list)) return { signatures: [] };
  return {
    signatures: (list as ESealSignature[]).map((e) => {
      const problems: string[] = [];
      if (e.integrity?.intact === false) problems.push('integrity: not intact');
      if (e.integrity?.digestMatches === false) problems.push('digest does not match');
      if (e.integrity?.signatureValid === false) problems.push('signature value invalid');
      if (e.indication === 'TOTAL_FAILED') {
        problems.push(`TOTAL_FAILED${e.subIndication ? ` (${e.subIndication})` : ''}`);
      }
      return {
        fieldName: e.fieldName,
        intact: problems.length === 0,
        trusted: e.chain?.issuedByThisPlatform,
        coversWholeFile: e.integrity?.coversWholeFile === true,
        signer: e.signer?.organisationName ?? e.signer?.commonName,
        problems: [...problems, ...(e.problems ?? [])],
        raw: {
          fieldName: e.fieldName,
          kind: e.kind,
          indication: e.indication,
          subIndication: e.subIndication,
          signer: e.signer,
          seal: e.seal,
          integrity: e.integrity,
          warnings: e.warnings,
        },
      };
    }),
  };
}

/** The fields of e-seal's SignatureReport read here (apps/e-seal verification-report.ts). */
interface ESealSignature {
  fieldName?: string;
  kind?: string;
  indication?: string;
  subIndication?: string;
  integrity?: {
    intact?: boolean;
    digestMatches?: boolean;
    signatureValid?: boolean;
    coversWholeFile?: boolean;
  };
  chain?: { issuedByThisPlatform?: boolean };
  signer?: { commonName?: string; organisationName?: string };
  seal?: Record<string, unknown>;
  problems?: string[];
  warnings?: string[];
}
