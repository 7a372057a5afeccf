import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The usage log names the unit an accessor acted for (a clerk's issuing authority), and is
 * read newest first a page at a time by id (keyset paging: no offset scan of old rows).
 */
export class UsageLogUnit1764910000000 implements MigrationInterface {
  name = 'UsageLogUnit1764910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "e_license"."usage_log"
        ADD COLUMN "accessor_unit" text,
        ADD COLUMN "accessor_unit_name" text`);
    await q.query(
      `CREATE INDEX "usage_log_license_id_desc" ON "e_license"."usage_log" ("license_id", "id" DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "e_license"."usage_log_license_id_desc"`);
    await q.query(`
      ALTER TABLE "e_license"."usage_log"
        DROP COLUMN "accessor_unit", DROP COLUMN "accessor_unit_name"`);
  }
}
