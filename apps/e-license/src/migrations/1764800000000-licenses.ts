import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalogue (GB/T 36902), issuing authorities, issued licenses with their GB/T 36903
 * metadata and GB/T 36904 identifiers, lifecycle events, holders' grants, usage log,
 * annotated copies and the archiving outbox.
 */
export class Licenses1764800000000 implements MigrationInterface {
  name = 'Licenses1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "e_license"."license_type" (
        "id" uuid PRIMARY KEY,
        "code" varchar(21) NOT NULL,
        "version" int NOT NULL,
        "name" text NOT NULL,
        "defining_authority_name" text NOT NULL,
        "defining_authority_uscc" char(18) NOT NULL,
        "holder_category" smallint NOT NULL CHECK ("holder_category" IN (1, 2)),
        "issuing_level" text NOT NULL,
        "service_item" text,
        "fields_schema" jsonb NOT NULL,
        "validity_years" int,
        "layout" jsonb NOT NULL,
        "seal_id" text,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        UNIQUE ("code", "version")
      )`);
    await q.query(`
      CREATE TABLE "e_license"."issuing_authority" (
        "uscc" char(18) PRIMARY KEY,
        "name" text NOT NULL,
        "region_code" char(6) NOT NULL,
        "level" text NOT NULL,
        "seal_id" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE "e_license"."serial_counter" (
        "region_code" char(6) NOT NULL,
        "day" char(8) NOT NULL,
        "last" int NOT NULL,
        PRIMARY KEY ("region_code", "day")
      )`);
    await q.query(`
      CREATE TABLE "e_license"."license_document" (
        "sha256" char(64) PRIMARY KEY,
        "bytes" bytea NOT NULL,
        "size" int NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE "e_license"."license" (
        "id" uuid PRIMARY KEY,
        "identifier" text NOT NULL UNIQUE,
        "license_number" text NOT NULL,
        "type_id" uuid NOT NULL REFERENCES "e_license"."license_type" ("id"),
        "type_code" varchar(21) NOT NULL,
        "type_version" int NOT NULL,
        "name" text NOT NULL,
        "issuer_uscc" char(18) NOT NULL REFERENCES "e_license"."issuing_authority" ("uscc"),
        "issuer_name" text NOT NULL,
        "serial" text NOT NULL,
        "version" int NOT NULL,
        "status" text NOT NULL,
        "holder_name" text NOT NULL,
        "holder_code_type" varchar(3) NOT NULL,
        "holder_code_enc" bytea NOT NULL,
        "holder_code_hash" char(64) NOT NULL,
        "fields" jsonb NOT NULL,
        "issue_date" date NOT NULL,
        "valid_from" date NOT NULL,
        "valid_until" date,
        "issued_at" timestamptz NOT NULL,
        "issued_by" text NOT NULL,
        "verification_code_hash" char(64) NOT NULL,
        "document_sha256" char(64) REFERENCES "e_license"."license_document" ("sha256"),
        "previous_id" uuid REFERENCES "e_license"."license" ("id"),
        "updated_at" timestamptz NOT NULL,
        UNIQUE ("type_code", "issuer_uscc", "serial", "version"),
        UNIQUE ("license_number", "version")
      )`);
    await q.query(`CREATE INDEX ON "e_license"."license" ("holder_code_hash")`);
    await q.query(`CREATE INDEX ON "e_license"."license" ("document_sha256")`);
    await q.query(
      `CREATE INDEX ON "e_license"."license" ("valid_until") WHERE "status" IN ('valid', 'suspended')`,
    );
    await q.query(`
      CREATE TABLE "e_license"."license_event" (
        "id" bigserial PRIMARY KEY,
        "license_id" uuid NOT NULL REFERENCES "e_license"."license" ("id"),
        "action" text NOT NULL,
        "from_status" text,
        "to_status" text NOT NULL,
        "actor" text NOT NULL,
        "reason" text,
        "details" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "at" timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ON "e_license"."license_event" ("license_id")`);
    await q.query(`
      CREATE TABLE "e_license"."usage_grant" (
        "id" uuid PRIMARY KEY,
        "license_id" uuid NOT NULL REFERENCES "e_license"."license" ("id"),
        "client_id" text NOT NULL,
        "purpose" text NOT NULL,
        "valid_until" timestamptz NOT NULL,
        "granted_by" text NOT NULL,
        "created_at" timestamptz NOT NULL,
        "revoked_at" timestamptz
      )`);
    await q.query(`CREATE INDEX ON "e_license"."usage_grant" ("license_id", "client_id")`);
    await q.query(`
      CREATE TABLE "e_license"."standing_permission" (
        "id" uuid PRIMARY KEY,
        "client_id" text NOT NULL,
        "type_code" varchar(21) NOT NULL,
        "purpose" text NOT NULL,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL,
        "revoked_at" timestamptz
      )`);
    await q.query(`CREATE INDEX ON "e_license"."standing_permission" ("client_id", "type_code")`);
    await q.query(`
      CREATE TABLE "e_license"."usage_log" (
        "id" bigserial PRIMARY KEY,
        "license_id" uuid NOT NULL REFERENCES "e_license"."license" ("id"),
        "accessor_kind" text NOT NULL,
        "accessor" text NOT NULL,
        "action" text NOT NULL,
        "purpose" text,
        "basis" text,
        "at" timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ON "e_license"."usage_log" ("license_id", "at")`);
    await q.query(`
      CREATE TABLE "e_license"."annotated_copy" (
        "id" uuid PRIMARY KEY,
        "license_id" uuid NOT NULL REFERENCES "e_license"."license" ("id"),
        "purpose" text NOT NULL,
        "recipient" text NOT NULL,
        "valid_until" date NOT NULL,
        "document_sha256" char(64) NOT NULL REFERENCES "e_license"."license_document" ("sha256"),
        "verification_code_hash" char(64) NOT NULL,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ON "e_license"."annotated_copy" ("document_sha256")`);
    await q.query(`
      CREATE TABLE "e_license"."archive_outbox" (
        "id" bigserial PRIMARY KEY,
        "license_id" uuid NOT NULL REFERENCES "e_license"."license" ("id"),
        "document_sha256" char(64) NOT NULL,
        "attempts" int NOT NULL DEFAULT 0,
        "next_attempt_at" timestamptz NOT NULL,
        "last_error" text,
        "archived_at" timestamptz,
        "archive_record_id" text
      )`);
    await q.query(
      `CREATE INDEX ON "e_license"."archive_outbox" ("next_attempt_at") WHERE "archived_at" IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'archive_outbox',
      'annotated_copy',
      'usage_log',
      'standing_permission',
      'usage_grant',
      'license_event',
      'license',
      'license_document',
      'serial_counter',
      'issuing_authority',
      'license_type',
    ]) {
      await q.query(`DROP TABLE "e_license"."${t}"`);
    }
  }
}
