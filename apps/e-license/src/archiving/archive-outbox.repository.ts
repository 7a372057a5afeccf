import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export type OutboxStatus = 'pending' | 'archived' | 'dead';

export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'archived', 'dead'];

/**
 * One job as operators see it (GET /v1/admin/archive-outbox, /v1/licenses/{id}/archiving).
 * Keys stay snake_case: /archiving answered the raw row before, and clients read `last_error`.
 */
export interface OutboxJobView {
  id: string;
  license_id: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  archived_at: string | null;
  archive_record_id: string | null;
  dead_at: string | null;
  problem_code: string | null;
  problem_detail: string | null;
}

interface OutboxRow {
  id: string;
  license_id: string;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  archived_at: Date | null;
  archive_record_id: string | null;
  dead_at: Date | null;
  problem_code: string | null;
  problem_detail: string | null;
}

const STATUS_WHERE: Record<OutboxStatus, string> = {
  pending: `"archived_at" IS NULL AND "dead_at" IS NULL`,
  archived: `"archived_at" IS NOT NULL`,
  dead: `"dead_at" IS NOT NULL`,
};

export interface OutboxJob {
  id: string;
  licenseId: string;
  documentSha256: string;
  attempts: number;
}

@Injectable()
export class ArchiveOutboxRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Claims up to `limit` due jobs in one statement: each is leased for `leaseSeconds`, so a
   * crashed worker's job comes back, and SKIP LOCKED keeps replicas from taking the same one.
   */
  async claim(limit: number, leaseSeconds: number): Promise<OutboxJob[]> {
    const rows = (await this.db.query(
      `UPDATE "e_license"."archive_outbox" SET "next_attempt_at" = now() + make_interval(secs => $2)
       WHERE "id" IN (
         SELECT "id" FROM "e_license"."archive_outbox"
         WHERE "archived_at" IS NULL AND "dead_at" IS NULL AND "next_attempt_at" <= now()
         ORDER BY "id" LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING "id", "license_id", "document_sha256", "attempts"`,
      [limit, leaseSeconds],
    )) as [{ id: string; license_id: string; document_sha256: string; attempts: number }[], number];
    const list = Array.isArray(rows[0]) ? rows[0] : (rows as unknown as (typeof rows)[0]);
    return list.map((r) => ({
      id: String(r.id),
      licenseId: r.license_id,
      documentSha256: r.document_sha256,
      attempts: r.attempts,
    }));
  }

  async done(id: string, recordId: string | null): Promise<void> {
    await this.db.query(
      `UPDATE "e_license"."archive_outbox"
       SET "archived_at" = now(), "archive_record_id" = $2, "attempts" = "attempts" + 1, "last_error" = NULL
       WHERE "id" = $1`,
      [id, recordId],
    );
  }

  async failed(id: string, error: string, retryInSeconds: number): Promise<void> {
    await this.db.query(
      `UPDATE "e_license"."archive_outbox"
       SET "attempts" = "attempts" + 1, "last_error" = $2,
           "next_attempt_at" = now() + make_interval(secs => $3)
       WHERE "id" = $1`,
      [id, error.slice(0, 500), retryInSeconds],
    );
  }

  /** Refused for good: kept with e-archive's problem, never claimed again. */
  async dead(id: string, code: string, detail: string): Promise<void> {
    await this.db.query(
      `UPDATE "e_license"."archive_outbox"
       SET "attempts" = "attempts" + 1, "dead_at" = now(), "problem_code" = $2,
           "problem_detail" = $3, "last_error" = $3
       WHERE "id" = $1`,
      [id, code.slice(0, 100), detail.slice(0, 500)],
    );
  }

  async status(licenseId: string): Promise<OutboxJobView | null> {
    const rows = (await this.db.query(
      `SELECT * FROM "e_license"."archive_outbox" WHERE "license_id" = $1 ORDER BY "id" DESC LIMIT 1`,
      [licenseId],
    )) as OutboxRow[];
    return rows[0] ? toView(rows[0]) : null;
  }

  /** Jobs in one state, oldest first (dead ones: most recently dead first). */
  async list(status: OutboxStatus, limit: number, offset: number): Promise<OutboxJobView[]> {
    const order = status === 'dead' ? `"dead_at" DESC, "id" DESC` : `"id"`;
    const rows = (await this.db.query(
      `SELECT * FROM "e_license"."archive_outbox" WHERE ${STATUS_WHERE[status]}
       ORDER BY ${order} LIMIT $1 OFFSET $2`,
      [limit, offset],
    )) as OutboxRow[];
    return rows.map(toView);
  }
}

function toView(r: OutboxRow): OutboxJobView {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: String(r.id),
    license_id: r.license_id,
    status: r.dead_at ? 'dead' : r.archived_at ? 'archived' : 'pending',
    attempts: r.attempts,
    next_attempt_at: r.archived_at || r.dead_at ? null : iso(r.next_attempt_at),
    last_error: r.last_error,
    archived_at: iso(r.archived_at),
    archive_record_id: r.archive_record_id,
    dead_at: iso(r.dead_at),
    problem_code: r.problem_code,
    problem_detail: r.problem_detail,
  };
}
