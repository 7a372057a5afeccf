import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ServiceTokenClient } from '#auth';
import { getLogger, SUITE_CONTEXT, type SuiteContext } from '#common';
import { LicenseRepository } from '../issuance/license.repository.js';
import { ArchiveOutboxRepository, type OutboxJob } from './archive-outbox.repository.js';

const POLL_MS = 5_000;
const BATCH = 10;
const LEASE_SECONDS = 300;
const MAX_BACKOFF_SECONDS = 3600;

/**
 * DA/T 46 metadata elements of e-archive for a license. Licenses are kept 30 years (D30) in
 * the fonds of the e-license service; titles carry no personal data (openness 内部).
 * TODO(e-license): one fonds per issuing authority once authorities have fonds codes.
 */
export const ARCHIVE_FONDS = 'J001';

/**
 * Sends each issued PDF to e-archive from the durable outbox written with the license:
 * issuance never waits for e-archive, and a job survives restarts until e-archive takes it.
 * Retries back off exponentially (10 s, 20 s, ... up to an hour).
 */
@Injectable()
export class ArchiveOutboxWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = getLogger('e-license.archive');
  private readonly tokens: ServiceTokenClient;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(SUITE_CONTEXT) private readonly ctx: SuiteContext,
    private readonly outbox: ArchiveOutboxRepository,
    private readonly licenses: LicenseRepository,
  ) {
    this.tokens = new ServiceTokenClient(ctx, 'e-license');
  }

  onApplicationBootstrap(): void {
    this.schedule(POLL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over the due jobs; returns how many were archived. */
  async runOnce(): Promise<number> {
    let archived = 0;
    for (const job of await this.outbox.claim(BATCH, LEASE_SECONDS)) {
      if (this.stopped) break;
      try {
        const recordId = await this.send(job);
        await this.outbox.done(job.id, recordId);
        archived++;
      } catch (err) {
        const retry = Math.min(10 * 2 ** job.attempts, MAX_BACKOFF_SECONDS);
        await this.outbox.failed(job.id, (err as Error).message, retry);
        this.log.warn(
          { licenseId: job.licenseId, attempts: job.attempts + 1, retryInSeconds: retry, err },
          'archiving failed',
        );
      }
    }
    return archived;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((err: unknown) => this.log.error({ err }, 'archive outbox pass failed'))
        .finally(() => this.schedule(POLL_MS));
    }, ms);
    this.timer.unref();
  }

  private async send(job: OutboxJob): Promise<string | null> {
    const license = await this.licenses.byId(job.licenseId);
    const pdf = await this.licenses.document(job.documentSha256);
    if (!license || !pdf) throw new Error('license or document missing');
    const metadata = {
      fondsCode: ARCHIVE_FONDS,
      category: 'WS',
      year: Number(license.issueDate.slice(0, 4)),
      retention: 'D30',
      organisation: 'ZZ',
      title: `${license.name} ${license.licenseNumber} 第${license.version}版`,
      documentNumber: license.licenseNumber,
      creator: license.issuerName,
      date: license.issueDate,
      pageCount: 1,
      openness: '内部',
      sourceSystem: 'e-license',
      sourceId: license.identifier,
      sha256: job.documentSha256,
    };
    const form = new FormData();
    form.set(
      'file',
      new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }),
      `${license.licenseNumber}.pdf`,
    );
    form.set('metadata', JSON.stringify(metadata));
    const token = await this.tokens.getToken('e-archive', ['archive:ingest']);
    const res = await fetch(`${this.ctx.serviceUrls['e-archive']}/v1/records`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(60_000),
    });
    if (res.status === 401) this.tokens.invalidate('e-archive', ['archive:ingest']);
    if (!res.ok) {
      const problem = (await res.json().catch(() => ({}))) as {
        code?: string;
        report?: { failed?: string[] };
      };
      // The DA/T 70 checks that failed name the cause (kept in last_error for operators).
      const failed = problem.report?.failed?.join(', ') ?? '';
      throw new Error(`e-archive answered ${res.status} ${problem.code ?? ''} ${failed}`.trim());
    }
    const body = (await res.json()) as { id?: string; archivalCode?: string };
    this.log.info({ licenseId: license.id, recordId: body.id }, 'license archived');
    return body.id ?? body.archivalCode ?? null;
  }
}
