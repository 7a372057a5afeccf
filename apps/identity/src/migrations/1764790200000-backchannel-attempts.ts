import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per back-channel logout attempt, so that a delivery's history survives its later
 * attempts (the delivery row keeps only the last outcome).
 */
export class BackchannelAttempts1764790200000 implements MigrationInterface {
  name = 'BackchannelAttempts1764790200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE identity.backchannel_attempt (
        delivery_id uuid NOT NULL REFERENCES identity.backchannel_delivery (id) ON DELETE CASCADE,
        attempt integer NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        outcome text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed')),
        http_status integer,
        error text,
        PRIMARY KEY (delivery_id, attempt)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS identity.backchannel_attempt`);
  }
}
