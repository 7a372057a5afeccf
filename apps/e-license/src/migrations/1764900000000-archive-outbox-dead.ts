import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Archive outbox jobs that e-archive refused for good: marked dead with e-archive's problem
 * code and detail instead of being retried forever, and left out of the worker's claims.
 */
export class ArchiveOutboxDead1764900000000 implements MigrationInterface {
  name = 'ArchiveOutboxDead1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "e_license"."archive_outbox"
        ADD COLUMN "dead_at" timestamptz,
        ADD COLUMN "problem_code" text,
        ADD COLUMN "problem_detail" text`);
    await q.query(`DROP INDEX IF EXISTS "e_license"."archive_outbox_next_attempt_at_idx"`);
    await q.query(
      `CREATE INDEX "archive_outbox_due" ON "e_license"."archive_outbox" ("next_attempt_at")
       WHERE "archived_at" IS NULL AND "dead_at" IS NULL`,
    );
    await q.query(
      `CREATE INDEX "archive_outbox_dead" ON "e_license"."archive_outbox" ("dead_at")
       WHERE "dead_at" IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "e_license"."archive_outbox_dead"`);
    await q.query(`DROP INDEX "e_license"."archive_outbox_due"`);
    await q.query(
      `CREATE INDEX ON "e_license"."archive_outbox" ("next_attempt_at") WHERE "archived_at" IS NULL`,
    );
    await q.query(`
      ALTER TABLE "e_license"."archive_outbox"
        DROP COLUMN "dead_at", DROP COLUMN "problem_code", DROP COLUMN "problem_detail"`);
  }
}
