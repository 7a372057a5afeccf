import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export type FixityOutcome = 'ok' | 'mismatch' | 'missing';

export interface FixityRun {
  id: string;
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
  checked: number;
  failures: number;
  bytes: number;
}

interface RunRow {
  id: string;
  trigger: string;
  started_at: Date;
  finished_at: Date | null;
  checked: number;
  failures: number;
  bytes: string;
}

/** Fixity runs and events (PREMIS "fixity check" events), and each record's last result. */
@Injectable()
export class FixityRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async startRun(id: string, trigger: string): Promise<void> {
    await this.dataSource.transaction((tx) =>
      tx.query(
        `INSERT INTO "e_archive"."fixity_run" ("id","trigger","started_at") VALUES ($1,$2,now())`,
        [id, trigger],
      ),
    );
  }

  /** Live records after `afterId`, in id order (keyset paging over any number of records). */
  async nextObjects(afterId: string, limit: number): Promise<{ id: string; sha256: string }[]> {
    return this.dataSource.transaction(
      async (tx) =>
        (await tx.query(
          `SELECT "id", "sha256" FROM "e_archive"."record"
            WHERE "disposed_at" IS NULL AND "id" > $1 ORDER BY "id" LIMIT $2`,
          [afterId, limit],
        )) as { id: string; sha256: string }[],
    );
  }

  async addEvent(
    tx: EntityManager,
    e: {
      runId: string;
      recordId: string;
      outcome: FixityOutcome;
      expected: string;
      actual?: string;
      /** When the object was checked. */
      at: Date;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO "e_archive"."fixity_event"
         ("run_id","record_id","at","outcome","expected_sha256","actual_sha256")
       VALUES ($1,$2,$3,$4,$5,$6)`,
      [e.runId, e.recordId, e.at, e.outcome, e.expected, e.actual ?? null],
    );
    await tx.query(
      `UPDATE "e_archive"."record" SET "last_fixity_at" = now(), "last_fixity_outcome" = $2
        WHERE "id" = $1`,
      [e.recordId, e.outcome],
    );
  }

  async finishRun(
    tx: EntityManager,
    id: string,
    totals: { checked: number; failures: number; bytes: number },
  ): Promise<void> {
    await tx.query(
      `UPDATE "e_archive"."fixity_run" SET "finished_at" = now(), "checked" = $2,
         "failures" = $3, "bytes" = $4 WHERE "id" = $1`,
      [id, totals.checked, totals.failures, totals.bytes],
    );
  }

  async findRun(id: string): Promise<FixityRun | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM "e_archive"."fixity_run" WHERE "id" = $1`,
      [id],
    )) as RunRow[];
    const r = rows[0];
    return (
      r && {
        id: r.id,
        trigger: r.trigger,
        startedAt: new Date(r.started_at).toISOString(),
        finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
        checked: r.checked,
        failures: r.failures,
        bytes: Number(r.bytes),
      }
    );
  }

  async failuresOfRun(id: string): Promise<Record<string, unknown>[]> {
    return (await this.dataSource.query(
      `SELECT e."record_id" AS "recordId", r."archival_code" AS "archivalCode", e."outcome",
              e."expected_sha256" AS "expected", e."actual_sha256" AS "actual", e."at"
         FROM "e_archive"."fixity_event" e JOIN "e_archive"."record" r ON r."id" = e."record_id"
        WHERE e."run_id" = $1 AND e."outcome" <> 'ok' ORDER BY e."id"`,
      [id],
    )) as Record<string, unknown>[];
  }

  async eventsOfRecord(recordId: string, limit = 100): Promise<Record<string, unknown>[]> {
    return (await this.dataSource.query(
      `SELECT "run_id" AS "runId", "at", "outcome", "expected_sha256" AS "expected",
              "actual_sha256" AS "actual"
         FROM "e_archive"."fixity_event" WHERE "record_id" = $1 ORDER BY "id" DESC LIMIT $2`,
      [recordId, limit],
    )) as Record<string, unknown>[];
  }

  /** Which of these addresses no record (live or disposed) points at. */
  async unreferenced(addresses: string[]): Promise<string[]> {
    if (addresses.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT a FROM unnest($1::text[]) AS a
        WHERE NOT EXISTS (SELECT 1 FROM "e_archive"."record" r
                           WHERE r."sha256" = a AND r."disposed_at" IS NULL)`,
      [addresses],
    )) as { a: string }[];
    return rows.map((r) => r.a);
  }
}
