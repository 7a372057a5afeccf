import { Inject, Injectable } from '@nestjs/common';
import { ServiceTokenClient } from '#auth';
import { getLogger, SUITE_CONTEXT, type SuiteContext } from '#common';
import { LicenseError, LicenseErrorCode } from '../license.error.js';

/** e-seal's refusals that mean "this seal cannot be used now" (its SealErrorCode values). */
const SEAL_UNUSABLE = new Set(['SealNotActive', 'SealExpired', 'SealNotFound', 'CallerNotAllowed']);

export interface SealPlacement {
  sealId: string;
  page: number;
  /** Lower-left corner of the seal box, PDF points. */
  x: number;
  y: number;
  reason: string;
}

/** The verification report of e-seal (only the members e-license reads). */
export interface SealVerificationReport {
  indication?: string;
  valid?: boolean;
  signatures?: { indication?: string; valid?: boolean; [k: string]: unknown }[];
  [k: string]: unknown;
}

/**
 * e-seal over HTTP with a client-credentials token of `svc-e-license`, exactly as any business
 * system would call it (ARCHITECTURE.md: an app never imports another app).
 */
@Injectable()
export class ESealClient {
  private readonly log = getLogger('e-license.e-seal');
  private readonly tokens: ServiceTokenClient;

  constructor(@Inject(SUITE_CONTEXT) private readonly ctx: SuiteContext) {
    this.tokens = new ServiceTokenClient(ctx, 'e-license');
  }

  /** Seals the PDF; throws SealNotActive when e-seal refuses the seal, SealingFailed otherwise. */
  async seal(pdf: Buffer, placement: SealPlacement): Promise<Buffer> {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'license.pdf');
    form.set('sealId', placement.sealId);
    form.set('page', String(placement.page));
    form.set('x', placement.x.toFixed(2));
    form.set('y', placement.y.toFixed(2));
    form.set('reason', placement.reason);
    const res = await this.call('/v1/sealing', ['seal:apply'], form);
    if (res.ok) return Buffer.from(await res.arrayBuffer());

    const problem = await readProblem(res);
    this.log.warn(
      { status: res.status, code: problem.code, sealId: placement.sealId },
      'sealing refused',
    );
    if (typeof problem.code === 'string' && SEAL_UNUSABLE.has(problem.code)) {
      throw new LicenseError(
        LicenseErrorCode.SealNotActive,
        409,
        'The seal cannot be used: ' + (problem.title ?? problem.code),
        {
          sealId: placement.sealId,
          eSealCode: problem.code,
        },
      );
    }
    throw new LicenseError(LicenseErrorCode.SealingFailed, 502, 'e-seal did not seal the license', {
      eSealStatus: res.status,
      eSealCode: problem.code,
    });
  }

  /** e-seal's verification report of a PDF's signatures. */
  async verify(pdf: Buffer): Promise<SealVerificationReport> {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'license.pdf');
    const res = await this.call('/v1/verification', [], form);
    if (!res.ok) {
      const problem = await readProblem(res);
      // e-seal refused the file itself (PdfDamaged 422, PdfNotPdf 415, PdfTooLarge 413, ...):
      // the uploader's fault, not a failure of e-seal. Its own 401/403/429/5xx stay a 502.
      if (
        res.status >= 400 &&
        res.status < 500 &&
        ![401, 403, 429].includes(res.status) &&
        typeof problem.code === 'string' &&
        problem.code.startsWith('Pdf')
      ) {
        throw new LicenseError(
          LicenseErrorCode.PdfUnreadable,
          res.status === 413 ? 413 : 422,
          'The file could not be read as a PDF: ' + (problem.title ?? problem.code),
          { eSealCode: problem.code },
        );
      }
      throw new LicenseError(
        LicenseErrorCode.VerificationUnavailable,
        502,
        'e-seal could not verify the file',
        {
          eSealStatus: res.status,
          eSealCode: problem.code,
        },
      );
    }
    return (await res.json()) as SealVerificationReport;
  }

  private async call(path: string, scopes: string[], body: FormData): Promise<Response> {
    const url = `${this.ctx.serviceUrls['e-seal']}${path}`;
    const send = async () =>
      fetch(url, {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${await this.tokens.getToken('e-seal', scopes)}` },
        signal: AbortSignal.timeout(30_000),
      });
    try {
      let res = await send();
      if (res.status === 401) {
        // A cached token refused (key rotation, restart of identity): fetch a new one once.
        this.tokens.invalidate('e-seal', scopes);
        res = await send();
      }
      return res;
    } catch (err) {
      if (err instanceof LicenseError) throw err;
      this.log.error({ err, path }, 'e-seal unreachable');
      throw new LicenseError(LicenseErrorCode.SealingFailed, 503, 'e-seal is unreachable');
    }
  }
}

async function readProblem(res: Response): Promise<{ code?: string; title?: string }> {
  try {
    return (await res.json()) as { code?: string; title?: string };
  } catch {
    return {};
  }
}
