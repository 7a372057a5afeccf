import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The legal representative of an organisation by their ID number (keyed hash, as
 * `person.id_number_hash`, and masked), so that the person signed in with that verified number
 * manages the organisation's agents; names are not unique and never matched. Role assignments
 * made by an agent authorisation point at it, so that revoking it removes them. A temporary
 * password set by an administrator carries an expiry and must be changed.
 */
export class LegalRepresentative1764790300000 implements MigrationInterface {
  name = 'LegalRepresentative1764790300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity.organisation
      ADD COLUMN legal_representative_id_hash text,
      ADD COLUMN legal_representative_id_masked text`);
    await q.query(`CREATE INDEX organisation_legal_representative
      ON identity.organisation (legal_representative_id_hash)
      WHERE legal_representative_id_hash IS NOT NULL`);
    // Organisations registered with their representative as a person take that person's number.
    await q.query(`UPDATE identity.organisation o
      SET legal_representative_id_hash = p.id_number_hash,
          legal_representative_id_masked = p.id_number_masked
      FROM identity.person p WHERE p.id = o.legal_representative_id`);

    await q.query(`ALTER TABLE identity.role_assignment ADD COLUMN agent_authorisation_id uuid
      REFERENCES identity.agent_authorisation (id) ON DELETE CASCADE`);
    await q.query(`CREATE INDEX role_agent_authorisation
      ON identity.role_assignment (agent_authorisation_id)
      WHERE agent_authorisation_id IS NOT NULL`);
    await q.query(`CREATE INDEX agent_organisation
      ON identity.agent_authorisation (organisation_id)`);

    await q.query(`ALTER TABLE identity.person
      ADD COLUMN password_must_change boolean NOT NULL DEFAULT false,
      ADD COLUMN password_expires_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity.person
      DROP COLUMN password_must_change, DROP COLUMN password_expires_at`);
    await q.query(`DROP INDEX IF EXISTS identity.agent_organisation`);
    await q.query(`ALTER TABLE identity.role_assignment DROP COLUMN agent_authorisation_id`);
    await q.query(`ALTER TABLE identity.organisation
      DROP COLUMN legal_representative_id_hash, DROP COLUMN legal_representative_id_masked`);
  }
}
