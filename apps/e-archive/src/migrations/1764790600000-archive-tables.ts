import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Records (DA/T 46 metadata, four-properties report, blob address), the item-number counters
 * of DA/T 13, fixity events, access log and disposals. Object bytes live in the blob store.
 */
export class ArchiveTables1764790600000 implements MigrationInterface {
  name = 'ArchiveTables1764790600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "e_archive"."item_counter" (
        "fonds_code" text NOT NULL,
        "category" text NOT NULL,
        "year" int NOT NULL,
        "retention" text NOT NULL,
        "organisation" text NOT NULL,
        "last_item" int NOT NULL,
        PRIMARY KEY ("fonds_code", "category", "year", "retention", "organisation")
      )`);
    await q.query(`
      CREATE TABLE "e_archive"."record" (
        "id" uuid PRIMARY KEY,
        "archival_code" text NOT NULL UNIQUE,
        "fonds_code" text NOT NULL,
        "category" text NOT NULL,
        "year" int NOT NULL,
        "retention" text NOT NULL CHECK ("retention" IN ('Y', 'D30', 'D10')),
        "organisation" text NOT NULL,
        "item" int NOT NULL CHECK ("item" > 0),
        "title" text NOT NULL,
        "title_terms" text[] NOT NULL,
        "document_number" text,
        "creator" text NOT NULL,
        "document_date" date NOT NULL,
        "page_count" int NOT NULL,
        "openness" text NOT NULL CHECK ("openness" IN ('公开', '内部')),
        "source_system" text NOT NULL,
        "source_id" text NOT NULL,
        "sha256" char(64) NOT NULL,
        "sm3" char(64) NOT NULL,
        "size" bigint NOT NULL,
        "media_type" text NOT NULL,
        "report" jsonb NOT NULL,
        "ingested_by" text NOT NULL,
        "ingested_at" timestamptz NOT NULL,
        "last_fixity_at" timestamptz,
        "last_fixity_outcome" text,
        "disposed_at" timestamptz,
        UNIQUE ("source_system", "source_id"),
        UNIQUE ("fonds_code", "category", "year", "retention", "organisation", "item")
      )`);
    // Title words: CJK bigrams and Latin words, matched with @> on a GIN index (no pg_trgm,
    // which does not index CJK characters on every locale).
    await q.query(
      `CREATE INDEX "record_title_terms" ON "e_archive"."record" USING gin ("title_terms")`,
    );
    await q.query(
      `CREATE INDEX "record_fonds_year" ON "e_archive"."record" ("fonds_code", "year", "archival_code")`,
    );
    await q.query(
      `CREATE INDEX "record_document_number" ON "e_archive"."record" ("document_number")`,
    );
    await q.query(`CREATE INDEX "record_creator" ON "e_archive"."record" ("creator")`);
    await q.query(`CREATE INDEX "record_date" ON "e_archive"."record" ("document_date")`);
    await q.query(`CREATE INDEX "record_sha256" ON "e_archive"."record" ("sha256")`);
    await q.query(`
      CREATE TABLE "e_archive"."fixity_run" (
        "id" uuid PRIMARY KEY,
        "trigger" text NOT NULL,
        "started_at" timestamptz NOT NULL,
        "finished_at" timestamptz,
        "checked" int NOT NULL DEFAULT 0,
        "failures" int NOT NULL DEFAULT 0,
        "bytes" bigint NOT NULL DEFAULT 0
      )`);
    await q.query(`
      CREATE TABLE "e_archive"."fixity_event" (
        "id" bigserial PRIMARY KEY,
        "run_id" uuid NOT NULL REFERENCES "e_archive"."fixity_run" ("id"),
        "record_id" uuid NOT NULL REFERENCES "e_archive"."record" ("id"),
        "at" timestamptz NOT NULL,
        "outcome" text NOT NULL CHECK ("outcome" IN ('ok', 'mismatch', 'missing')),
        "expected_sha256" char(64) NOT NULL,
        "actual_sha256" char(64)
      )`);
    await q.query(`CREATE INDEX ON "e_archive"."fixity_event" ("record_id", "id")`);
    await q.query(`
      CREATE TABLE "e_archive"."access_log" (
        "id" bigserial PRIMARY KEY,
        "at" timestamptz NOT NULL,
        "actor" text NOT NULL,
        "client_id" text NOT NULL,
        "action" text NOT NULL,
        "record_id" uuid,
        "fonds_code" text,
        "purpose" text,
        "query" jsonb
      )`);
    await q.query(`CREATE INDEX ON "e_archive"."access_log" ("record_id")`);
    await q.query(`
      CREATE TABLE "e_archive"."disposal" (
        "id" uuid PRIMARY KEY,
        "record_id" uuid NOT NULL REFERENCES "e_archive"."record" ("id"),
        "status" text NOT NULL CHECK ("status" IN ('proposed', 'approved', 'rejected')),
        "reason" text NOT NULL,
        "proposed_by" text NOT NULL,
        "proposed_at" timestamptz NOT NULL,
        "decided_by" text,
        "decided_at" timestamptz,
        "tombstone" jsonb
      )`);
    // One open proposal per record at a time.
    await q.query(`
      CREATE UNIQUE INDEX "disposal_one_open" ON "e_archive"."disposal" ("record_id")
        WHERE "status" = 'proposed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['disposal', 'access_log', 'fixity_event', 'fixity_run', 'record']) {
      await q.query(`DROP TABLE "e_archive"."${t}"`);
    }
    await q.query(`DROP TABLE "e_archive"."item_counter"`);
  }
}
