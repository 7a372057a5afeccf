import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

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
         WHERE "archived_at" IS NULL AND "next_attempt_at" <= now()
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

  async status(licenseId: string) {
    const rows = (await this.db.query(
      `SELECT "attempts", "archived_at", "archive_record_id", "last_error"
       FROM "e_license"."archive_outbox" WHERE "license_id" = $1 ORDER BY "id" DESC LIMIT 1`,
      [licenseId],
    )) as {
      attempts: number;
      archived_at: Date | null;
      archive_record_id: string | null;
      last_error: string | null;
    }[];
    return rows[0] ?? null;
  }
}
