import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit tables in a service's schema. Each service adds `auditLogMigration('<schema>')`
 * to its migrations. The log is append-only: the service's code never updates or deletes it.
 */
export function auditLogMigration(schema: string): new () => MigrationInterface {
  return class AuditLog1764790000100 implements MigrationInterface {
    name = 'AuditLog1764790000100';

    async up(q: QueryRunner): Promise<void> {
      await q.query(`
        CREATE TABLE "${schema}"."audit_log" (
          "id" bigserial PRIMARY KEY,
          "at" timestamptz NOT NULL,
          "action" text NOT NULL,
          "actor" text NOT NULL,
          "subject" text NOT NULL DEFAULT '',
          "outcome" text NOT NULL,
          "request_id" text,
          "details" jsonb NOT NULL DEFAULT '{}'::jsonb,
          "prev_hash" char(64) NOT NULL,
          "hash" char(64) NOT NULL UNIQUE
        )`);
      await q.query(`CREATE INDEX ON "${schema}"."audit_log" ("subject")`);
      await q.query(`
        CREATE TABLE "${schema}"."audit_chain_head" (
          "id" int PRIMARY KEY CHECK ("id" = 1),
          "last_id" bigint,
          "hash" char(64) NOT NULL
        )`);
      await q.query(
        `INSERT INTO "${schema}"."audit_chain_head" ("id", "last_id", "hash") VALUES (1, NULL, $1)`,
        ['0'.repeat(64)],
      );
    }

    async down(q: QueryRunner): Promise<void> {
      await q.query(`DROP TABLE "${schema}"."audit_chain_head"`);
      await q.query(`DROP TABLE "${schema}"."audit_log"`);
    }
  };
}
