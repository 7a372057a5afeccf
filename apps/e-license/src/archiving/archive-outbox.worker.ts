import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ServiceTokenClient } from '#auth';
import { getLogger, SUITE_CONTEXT, type SuiteContext } from '#common';
import { LicenseRepository } from '../issuance/license.repository.js';
import { archivalMetadata } from './archival-metadata.js';
import { ArchiveOutboxRepository, type OutboxJob } from './archive-outbox.repository.js';
import { ArchiveRefusal } from './archive-refusal.js';

const POLL_MS = 5_000;
const BATCH = 10;
const LEASE_SECONDS = 300;
const MAX_BACKOFF_SECONDS = 3600;

/**
 * Sends each issued PDF to e-archive from the durable outbox written with the license:
 * issuance never waits for e-archive, and a job survives restarts until e-archive takes it.
 * Transient failures back off exponentially (10 s, 20 s, ... up to an hour); a permanent
 * refusal (see ArchiveRefusal) marks the job dead with e-archive's problem, logged at error
 * and listed by GET /v1/admin/archive-outbox?status=dead, instead of retrying it forever.
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
        await this.failed(job, err);
      }
    }
    return archived;
  }

  private async failed(job: OutboxJob, err: unknown): Promise<void> {
    const facts = { licenseId: job.licenseId, jobId: job.id, attempts: job.attempts + 1 };
    if (err instanceof ArchiveRefusal && err.permanent) {
      const code = err.problemCode ?? `HTTP${err.httpStatus}`;
      await this.outbox.dead(job.id, code, err.detail);
      this.log.error(
        { ...facts, httpStatus: err.httpStatus, problemCode: code, detail: err.detail },
        'e-archive refused the license for good; archiving job marked dead',
      );
      return;
    }
    const retry = Math.min(10 * 2 ** job.attempts, MAX_BACKOFF_SECONDS);
    await this.outbox.failed(job.id, (err as Error).message, retry);
    this.log.warn({ ...facts, retryInSeconds: retry, err }, 'archiving failed; will retry');
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
    const metadata = archivalMetadata(license, job.documentSha256);
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
    }).catch((err: unknown) => {
      // fetch fails with a TypeError whose cause names the network error (ECONNREFUSED, ...).
      throw new ArchiveRefusal(undefined, undefined, String((err as Error).cause ?? err));
    });
    if (res.status === 401) this.tokens.invalidate('e-archive', ['archive:ingest']);
    if (!res.ok) {
      const problem = (await res.json().catch(() => ({}))) as {
        code?: string;
        title?: string;
        detail?: string;
        report?: { failed?: string[] };
      };
      // The DA/T 70 checks that failed name the cause (kept in last_error for operators).
      const failed = problem.report?.failed?.join(', ') ?? '';
      const detail = [problem.detail ?? problem.title ?? '', failed].filter(Boolean).join(': ');
      throw new ArchiveRefusal(res.status, problem.code, detail);
    }
    const body = (await res.json()) as { id?: string; archivalCode?: string };
    this.log.info({ licenseId: license.id, recordId: body.id }, 'license archived');
    return body.id ?? body.archivalCode ?? null;
  }
}
