import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The platform PKI (encrypted keys, CA certificates, CRL state), the seal registry with its
 * lifecycle events, and the seal usage log.
 */
export class SealRegistry1764791000000 implements MigrationInterface {
  name = 'SealRegistry1764791000000';

  async up(q: QueryRunner): Promise<void> {
    // Private keys encrypted with AES-256-GCM by #pki's EncryptedKeyStore; never in clear.
    await q.query(`
      CREATE TABLE "e_seal"."key_records" (
        "key_id" uuid PRIMARY KEY,
        "label" text NOT NULL,
        "algorithm" text NOT NULL,
        "public_key" bytea NOT NULL,
        "iv" bytea NOT NULL,
        "ciphertext" bytea NOT NULL,
        "auth_tag" bytea NOT NULL,
        "created_at" timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE "e_seal"."platform_credentials" (
        "role" text PRIMARY KEY CHECK ("role" IN ('root', 'issuing', 'tsa')),
        "certificate" bytea NOT NULL,
        "key_id" uuid REFERENCES "e_seal"."key_records" ("key_id"),
        "origin" text NOT NULL CHECK ("origin" IN ('generated', 'imported')),
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE "e_seal"."crl_state" (
        "issuer" text PRIMARY KEY,
        "crl_number" bigint NOT NULL,
        "crl" bytea NOT NULL,
        "this_update" timestamptz NOT NULL,
        "next_update" timestamptz NOT NULL
      )`);
    await q.query(`CREATE SEQUENCE "e_seal"."seal_code_seq" START 1`);
    await q.query(`
      CREATE TABLE "e_seal"."seals" (
        "id" uuid PRIMARY KEY,
        "code" text NOT NULL UNIQUE,
        "owner_uscc" text NOT NULL,
        "owner_name" text NOT NULL,
        "name" text NOT NULL,
        "type" text NOT NULL,
        "status" text NOT NULL,
        "image_png" bytea,
        "valid_from" timestamptz NOT NULL,
        "valid_to" timestamptz NOT NULL,
        "allowed_clients" jsonb NOT NULL DEFAULT '[]',
        "key_id" uuid REFERENCES "e_seal"."key_records" ("key_id"),
        "certificate" bytea,
        "certificate_serial" text UNIQUE,
        "certificate_sha256" text UNIQUE,
        "revoked_at" timestamptz,
        "revocation_reason" text,
        "applied_by" text NOT NULL,
        "created_at" timestamptz NOT NULL,
        "updated_at" timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX "seals_owner_idx" ON "e_seal"."seals" ("owner_uscc")`);
    await q.query(`
      CREATE TABLE "e_seal"."seal_events" (
        "id" bigserial PRIMARY KEY,
        "seal_id" uuid NOT NULL REFERENCES "e_seal"."seals" ("id"),
        "from_status" text,
        "to_status" text NOT NULL,
        "actor" text NOT NULL,
        "note" text,
        "at" timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX "seal_events_seal_idx" ON "e_seal"."seal_events" ("seal_id", "at")`,
    );
    await q.query(`
      CREATE TABLE "e_seal"."seal_usages" (
        "id" uuid PRIMARY KEY,
        "seal_id" uuid NOT NULL REFERENCES "e_seal"."seals" ("id"),
        "caller_sub" text NOT NULL,
        "caller_client_id" text,
        "caller_kind" text NOT NULL,
        "batch_id" uuid,
        "file_name" text,
        "sha256_before" text NOT NULL,
        "sha256_after" text NOT NULL,
        "field_name" text NOT NULL,
        "page" integer NOT NULL,
        "reason" text,
        "certify" boolean NOT NULL DEFAULT false,
        "at" timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX "seal_usages_seal_idx" ON "e_seal"."seal_usages" ("seal_id", "at")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['seal_usages', 'seal_events', 'seals', 'crl_state', 'platform_credentials']) {
      await q.query(`DROP TABLE IF EXISTS "e_seal"."${t}"`);
    }
    await q.query(`DROP SEQUENCE IF EXISTS "e_seal"."seal_code_seq"`);
    await q.query(`DROP TABLE IF EXISTS "e_seal"."key_records"`);
  }
}
