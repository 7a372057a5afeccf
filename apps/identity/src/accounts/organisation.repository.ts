import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export interface OrganisationRow {
  id: string;
  uscc: string;
  name: string;
  legal_representative_name: string;
  legal_representative_id: string | null;
  /** Keyed hash of the representative's ID number (as `person.id_number_hash`). */
  legal_representative_id_hash: string | null;
  legal_representative_id_masked: string | null;
  created_at: Date;
}

export interface AgentAuthorisationRow {
  id: string;
  organisation_id: string;
  person_id: string;
  matters: string[] | null;
  valid_until: Date | null;
  granted_by: string;
  revoked_at: Date | null;
  created_at: Date;
}

/** An agent as their organisation's legal representative sees them: name and masked ID. */
export interface AgentListing extends AgentAuthorisationRow {
  person_name: string;
  person_id_masked: string | null;
}

export interface ActiveAgency {
  authorisation_id: string;
  organisation_id: string;
  uscc: string;
  name: string;
  matters: string[] | null;
}

/** Legal persons, their agents (经办人) and which organisation a grant acts for. */
@Injectable()
export class OrganisationRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  async insert(m: EntityManager, o: Omit<OrganisationRow, 'created_at'>): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO identity.organisation (id, uscc, name, legal_representative_name,
         legal_representative_id, legal_representative_id_hash, legal_representative_id_masked)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (uscc) DO NOTHING RETURNING id`,
      [
        o.id,
        o.uscc,
        o.name,
        o.legal_representative_name,
        o.legal_representative_id,
        o.legal_representative_id_hash,
        o.legal_representative_id_masked,
      ],
    );
    return rows.length === 1;
  }

  async findById(id: string, m: EntityManager = this.db.manager) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const rows: OrganisationRow[] = await m.query(
      `SELECT * FROM identity.organisation WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  async findByUscc(uscc: string): Promise<OrganisationRow | undefined> {
    const rows: OrganisationRow[] = await this.db.query(
      `SELECT * FROM identity.organisation WHERE uscc = $1`,
      [uscc],
    );
    return rows[0];
  }

  /** Organisations whose legal representative has this ID number (its keyed hash). */
  async findByLegalRepresentative(idHash: string): Promise<OrganisationRow[]> {
    return this.db.query(
      `SELECT * FROM identity.organisation WHERE legal_representative_id_hash = $1
       ORDER BY name, id`,
      [idHash],
    );
  }

  async list(limit: number, offset: number): Promise<OrganisationRow[]> {
    return this.db.query(
      `SELECT * FROM identity.organisation ORDER BY created_at, id LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
  }

  async insertAgent(m: EntityManager, a: Omit<AgentAuthorisationRow, 'created_at' | 'revoked_at'>) {
    await m.query(
      `INSERT INTO identity.agent_authorisation (id, organisation_id, person_id, matters,
         valid_until, granted_by) VALUES ($1, $2, $3, $4, $5, $6)`,
      [a.id, a.organisation_id, a.person_id, a.matters, a.valid_until, a.granted_by],
    );
  }

  async findAgent(id: string, m: EntityManager): Promise<AgentAuthorisationRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const rows: AgentAuthorisationRow[] = await m.query(
      `SELECT * FROM identity.agent_authorisation WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  async listAgents(organisationId: string): Promise<AgentAuthorisationRow[]> {
    return this.db.query(
      `SELECT * FROM identity.agent_authorisation WHERE organisation_id = $1 ORDER BY created_at`,
      [organisationId],
    );
  }

  /** Agents with their names and masked ID numbers, those in force first. */
  async listAgentsWithPeople(organisationId: string): Promise<AgentListing[]> {
    return this.db.query(
      `SELECT a.*, p.name AS person_name, p.id_number_masked AS person_id_masked
       FROM identity.agent_authorisation a JOIN identity.person p ON p.id = a.person_id
       WHERE a.organisation_id = $1
       ORDER BY (a.revoked_at IS NULL AND (a.valid_until IS NULL OR a.valid_until > now())) DESC,
         a.created_at DESC`,
      [organisationId],
    );
  }

  /** Whether the person already holds an authorisation in force for the organisation. */
  async hasAgentInForce(m: EntityManager, organisationId: string, personId: string) {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM identity.agent_authorisation
       WHERE organisation_id = $1 AND person_id = $2 AND revoked_at IS NULL
         AND (valid_until IS NULL OR valid_until > now())`,
      [organisationId, personId],
    );
    return rows.length > 0;
  }

  /** Revokes an authorisation and removes the roles it brought (not those assigned apart). */
  async revokeAgent(m: EntityManager, id: string): Promise<void> {
    await m.query(
      `UPDATE identity.agent_authorisation SET revoked_at = now()
       WHERE id = $1 AND revoked_at IS NULL`,
      [id],
    );
    await m.query(`DELETE FROM identity.role_assignment WHERE agent_authorisation_id = $1`, [id]);
  }

  /** Organisations a person may act for now: not revoked, not past their end date. */
  async activeAgencies(personId: string): Promise<ActiveAgency[]> {
    return this.db.query(
      `SELECT a.id AS authorisation_id, o.id AS organisation_id, o.uscc, o.name, a.matters
       FROM identity.agent_authorisation a JOIN identity.organisation o ON o.id = a.organisation_id
       WHERE a.person_id = $1 AND a.revoked_at IS NULL
         AND (a.valid_until IS NULL OR a.valid_until > now())
       ORDER BY o.name`,
      [personId],
    );
  }

  async setActing(grantId: string, personId: string, organisationId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO identity.acting_organisation (grant_id, person_id, organisation_id)
       VALUES ($1, $2, $3)
       ON CONFLICT (grant_id) DO UPDATE SET organisation_id = $3, created_at = now()`,
      [grantId, personId, organisationId],
    );
  }

  async clearActing(grantId: string): Promise<void> {
    await this.db.query(`DELETE FROM identity.acting_organisation WHERE grant_id = $1`, [grantId]);
  }

  /**
   * Choices older than a grant can live whose grant is gone (expired, revoked, purged by the
   * provider's adapter); both conditions, so a grant kept elsewhere never loses its choice.
   */
  async purgeActing(grantTtlSeconds: number): Promise<number> {
    const [, removed]: [unknown[], number] = await this.db.query(
      `DELETE FROM identity.acting_organisation a
       WHERE a.created_at < now() - make_interval(secs => $1::int)
         AND NOT EXISTS (SELECT 1 FROM identity.oidc_payload p
                         WHERE p.model = 'Grant' AND p.id = a.grant_id)`,
      [grantTtlSeconds],
    );
    return removed;
  }

  async findActing(grantId: string): Promise<string | undefined> {
    const rows: { organisation_id: string }[] = await this.db.query(
      `SELECT organisation_id FROM identity.acting_organisation WHERE grant_id = $1`,
      [grantId],
    );
    return rows[0]?.organisation_id;
  }

  /** The agent authorisation behind a grant, if still in force (not revoked, not lapsed). */
  async agencyForGrant(grantId: string): Promise<{ matters: string[] | null } | undefined> {
    const rows: { matters: string[] | null }[] = await this.db.query(
      `SELECT a.matters FROM identity.agent_authorisation a JOIN identity.acting_organisation g
         ON g.person_id = a.person_id AND g.organisation_id = a.organisation_id
       WHERE g.grant_id = $1 AND a.revoked_at IS NULL
         AND (a.valid_until IS NULL OR a.valid_until > now()) LIMIT 1`,
      [grantId],
    );
    return rows[0];
  }
}
