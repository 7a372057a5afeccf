import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { getLogger } from '#common';
import { AuditLog } from '#audit';
import { ArchiveAuditAction, recordSubject } from '../audit-trail/audit-actions.js';
import { BLOB_STORE, BlobNotFound, type BlobStore } from '../storage/blob-store.js';
import { sha256OfStream } from '../storage/object-digest.js';
import { FixityRepository, type FixityOutcome, type FixityRun } from './fixity.repository.js';

const BATCH = 200;

/**
 * Fixity checking (DA/T 70-2018 5.2 and the OAIS "fixity information"): every stored object
 * is re-hashed and compared with the SHA-256 recorded at ingest. Each object gets an event;
 * a mismatch or a missing object also goes to the audit log as a failure.
 */
@Injectable()
export class FixityService {
  private readonly log = getLogger('fixity');
  private running: Promise<FixityRun> | undefined;

  constructor(
    private readonly repo: FixityRepository,
    private readonly audit: AuditLog,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  /** One run at a time per process: a second call joins the run in progress. */
  run(trigger: string, actor: string): Promise<FixityRun> {
    this.running ??= this.runOnce(trigger, actor).finally(() => (this.running = undefined));
    return this.running;
  }

  private async runOnce(trigger: string, actor: string): Promise<FixityRun> {
    const runId = randomUUID();
    await this.repo.startRun(runId, trigger);
    const totals = { checked: 0, failures: 0, bytes: 0 };
    let after = '00000000-0000-0000-0000-000000000000';

    for (;;) {
      const batch = await this.repo.nextObjects(after, BATCH);
      if (batch.length === 0) break;
      // Each batch is checked, then recorded in one transaction: one commit per object
      // cost more than hashing it from the page cache.
      const results: {
        o: (typeof batch)[number];
        outcome: FixityOutcome;
        actual?: string;
        at: Date;
      }[] = [];
      for (const o of batch) {
        const { outcome, actual, bytes } = await this.check(o.sha256);
        totals.checked++;
        totals.bytes += bytes;
        if (outcome !== 'ok') {
          totals.failures++;
          this.log.error({ recordId: o.id, runId, outcome }, 'fixity check failed');
        }
        results.push({ o, outcome, actual, at: new Date() });
      }
      await this.repo.transaction(async (tx) => {
        for (const { o, outcome, actual, at } of results) {
          await this.repo.addEvent(tx, {
            runId,
            recordId: o.id,
            outcome,
            expected: o.sha256,
            actual,
            at,
          });
          if (outcome !== 'ok') {
            await this.audit.append(
              {
                action: ArchiveAuditAction.FixityFailure,
                actor,
                subject: recordSubject(o.id),
                outcome: 'failure',
                details: { runId, outcome, expected: o.sha256, actual },
              },
              tx,
            );
          }
        }
      });
      after = batch[batch.length - 1]!.id;
    }

    await this.repo.transaction(async (tx) => {
      await this.repo.finishRun(tx, runId, totals);
      await this.audit.append(
        {
          action: ArchiveAuditAction.FixityRun,
          actor,
          subject: `fixity-run:${runId}`,
          outcome: totals.failures ? 'failure' : 'success',
          details: { trigger, ...totals },
        },
        tx,
      );
    });
    this.log.info({ runId, trigger, ...totals }, 'fixity run finished');
    return (await this.repo.findRun(runId))!;
  }

  private async check(
    sha256: string,
  ): Promise<{ outcome: FixityOutcome; actual?: string; bytes: number }> {
    try {
      const got = await sha256OfStream(await this.blobs.open(sha256));
      return {
        outcome: got.sha256 === sha256 ? 'ok' : 'mismatch',
        actual: got.sha256,
        bytes: got.bytes,
      };
    } catch (e) {
      if (e instanceof BlobNotFound) return { outcome: 'missing', bytes: 0 };
      throw e;
    }
  }

  async orphans(): Promise<string[]> {
    const out: string[] = [];
    let page: string[] = [];
    for await (const address of this.blobs.list()) {
      page.push(address);
      if (page.length === 500) {
        out.push(...(await this.repo.unreferenced(page)));
        page = [];
      }
    }
    out.push(...(await this.repo.unreferenced(page)));
    return out;
  }
}
