import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every table of the identity service: the provider's stored models, the client registry,
 * signing and cookie keys, accounts, organisations, agents, roles, sign-in throttling and the
 * back-channel logout queue. Personal identifiers are stored as AES-256-GCM ciphertext plus a
 * keyed hash for lookup, never in clear.
 */
export class IdentityTables1764790100000 implements MigrationInterface {
  name = 'IdentityTables1764790100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE identity.oidc_payload (
        model text NOT NULL,
        id text NOT NULL,
        payload jsonb NOT NULL,
        grant_id text,
        uid text,
        user_code text,
        expires_at timestamptz,
        consumed_at timestamptz,
        PRIMARY KEY (model, id)
      )`);
    await q.query(`CREATE INDEX oidc_payload_grant ON identity.oidc_payload (grant_id)
      WHERE grant_id IS NOT NULL`);
    await q.query(`CREATE INDEX oidc_payload_uid ON identity.oidc_payload (uid)
      WHERE uid IS NOT NULL`);
    await q.query(`CREATE INDEX oidc_payload_user_code ON identity.oidc_payload (user_code)
      WHERE user_code IS NOT NULL`);
    await q.query(`CREATE INDEX oidc_payload_expires ON identity.oidc_payload (expires_at)`);

    await q.query(`
      CREATE TABLE identity.client (
        client_id text PRIMARY KEY,
        name text NOT NULL,
        metadata jsonb NOT NULL,
        secret_hash text,
        first_party boolean NOT NULL DEFAULT false,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE identity.signing_key (
        kid text PRIMARY KEY,
        alg text NOT NULL,
        public_jwk jsonb NOT NULL,
        private_jwk_sealed text NOT NULL,
        state text NOT NULL CHECK (state IN ('next', 'active', 'retired')),
        created_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        retired_at timestamptz,
        remove_after timestamptz
      )`);
    await q.query(`
      CREATE TABLE identity.sealed_secret (
        name text PRIMARY KEY,
        value_sealed text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE identity.person (
        id uuid PRIMARY KEY,
        username text UNIQUE,
        name text NOT NULL,
        id_type text,
        id_number_sealed text,
        id_number_hash text UNIQUE,
        id_number_masked text,
        phone_sealed text,
        phone_hash text UNIQUE,
        phone_masked text,
        email text,
        password_hash text,
        totp_secret_sealed text,
        totp_enabled boolean NOT NULL DEFAULT false,
        totp_last_step bigint,
        recovery_codes jsonb NOT NULL DEFAULT '[]',
        is_admin boolean NOT NULL DEFAULT false,
        disabled boolean NOT NULL DEFAULT false,
        failed_sign_ins integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE identity.organisation (
        id uuid PRIMARY KEY,
        uscc text NOT NULL UNIQUE,
        name text NOT NULL,
        legal_representative_name text NOT NULL,
        legal_representative_id uuid REFERENCES identity.person (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE identity.agent_authorisation (
        id uuid PRIMARY KEY,
        organisation_id uuid NOT NULL REFERENCES identity.organisation (id),
        person_id uuid NOT NULL REFERENCES identity.person (id),
        matters text[],
        valid_until timestamptz,
        granted_by text NOT NULL,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX agent_person ON identity.agent_authorisation (person_id)`);
    await q.query(`
      CREATE TABLE identity.role_assignment (
        id uuid PRIMARY KEY,
        principal_type text NOT NULL CHECK (principal_type IN ('person', 'client')),
        principal_id text NOT NULL,
        role text NOT NULL,
        unit text NOT NULL,
        organisation_id uuid REFERENCES identity.organisation (id),
        granted_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (principal_type, principal_id, role, unit, organisation_id)
      )`);
    await q.query(`CREATE INDEX role_principal
      ON identity.role_assignment (principal_type, principal_id)`);

    await q.query(`
      CREATE TABLE identity.acting_organisation (
        grant_id text PRIMARY KEY,
        person_id uuid NOT NULL REFERENCES identity.person (id),
        organisation_id uuid NOT NULL REFERENCES identity.organisation (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE identity.sign_in_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL,
        window_started_at timestamptz NOT NULL,
        locked_until timestamptz
      )`);

    await q.query(`
      CREATE TABLE identity.backchannel_delivery (
        id uuid PRIMARY KEY,
        client_id text NOT NULL,
        logout_uri text NOT NULL,
        account_id text NOT NULL,
        sid text,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'delivered', 'failed')),
        last_status integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX backchannel_due ON identity.backchannel_delivery (next_attempt_at)
      WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'backchannel_delivery',
      'sign_in_throttle',
      'acting_organisation',
      'role_assignment',
      'agent_authorisation',
      'organisation',
      'person',
      'sealed_secret',
      'signing_key',
      'client',
      'oidc_payload',
    ]) {
      await q.query(`DROP TABLE IF EXISTS identity.${t}`);
    }
  }
}
