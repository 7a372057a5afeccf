import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { pooledSql } from '#database';

/** The sign-in pages' person reads, prepared once per connection (PooledSql). */
const BY_ID = { name: 'person_by_id', text: `SELECT * FROM identity.person WHERE id = $1` };
const BY_LOGIN = {
  name: 'person_by_login',
  text: `SELECT * FROM identity.person
    WHERE username = $1 OR id_number_hash = $2 OR phone_hash = $3 LIMIT 1`,
};

export interface PersonRow {
  id: string;
  username: string | null;
  name: string;
  id_type: string | null;
  id_number_sealed: string | null;
  id_number_hash: string | null;
  id_number_masked: string | null;
  phone_sealed: string | null;
  phone_hash: string | null;
  phone_masked: string | null;
  email: string | null;
  password_hash: string | null;
  totp_secret_sealed: string | null;
  totp_enabled: boolean;
  totp_last_step: string | null;
  recovery_codes: string[];
  is_admin: boolean;
  disabled: boolean;
  /** Set by an administrator's reset: the temporary password must be replaced. */
  password_must_change?: boolean;
  /** When a temporary password stops working. */
  password_expires_at?: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type NewPerson = Omit<PersonRow, 'created_at' | 'updated_at' | 'totp_last_step'>;

/** On every refresh and code exchange: prepared once per connection (PooledSql). */
const FIND_FOR_TOKEN = {
  name: 'person_find_for_token',
  text: `SELECT p.*,
     (SELECT a.organisation_id FROM identity.acting_organisation a WHERE a.grant_id = $2)
       AS _acting_organisation_id,
     COALESCE((SELECT json_agg(json_build_object('role', r.role, 'unit', r.unit)
                   ORDER BY r.role, r.unit)
             FROM identity.role_assignment r
            WHERE r.principal_type = 'person' AND r.principal_id = $3
              AND r.organisation_id IS NULL), '[]'::json) AS _own_roles
   FROM identity.person p WHERE p.id = $1`,
};

/** Natural persons: citizens, agents, staff. Identifiers only sealed and hashed. */
@Injectable()
export class PersonRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  async insert(m: EntityManager, p: NewPerson): Promise<void> {
    await m.query(
      `INSERT INTO identity.person (id, username, name, id_type, id_number_sealed, id_number_hash,
         id_number_masked, phone_sealed, phone_hash, phone_masked, email, password_hash,
         totp_secret_sealed, totp_enabled, recovery_codes, is_admin, disabled)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)`,
      [
        p.id,
        p.username,
        p.name,
        p.id_type,
        p.id_number_sealed,
        p.id_number_hash,
        p.id_number_masked,
        p.phone_sealed,
        p.phone_hash,
        p.phone_masked,
        p.email,
        p.password_hash,
        p.totp_secret_sealed,
        p.totp_enabled,
        JSON.stringify(p.recovery_codes),
        p.is_admin,
        p.disabled,
      ],
    );
  }

  async findById(id: string, m: EntityManager = this.db.manager): Promise<PersonRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    if (m === this.db.manager) {
      // Outside a transaction: prepared once per connection (read on every sign-in step).
      const { rows } = await pooledSql(this.db).query<PersonRow>(BY_ID, [id]);
      return rows[0];
    }
    const rows: PersonRow[] = await m.query(BY_ID.text, [id]);
    return rows[0];
  }

  /**
   * What a token for this person under this grant needs, in one round trip (the token
   * endpoint's hottest path): the person, the organisation the grant acts for if any, and the
   * person's own roles (those held for no organisation).
   */
  async findForToken(
    id: string,
    grantId: string,
  ): Promise<
    | {
        person: PersonRow;
        actingOrganisationId: string | null;
        ownRoles: { role: string; unit: string }[];
      }
    | undefined
  > {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const { rows } = await pooledSql(this.db).query<
      PersonRow & {
        _acting_organisation_id: string | null;
        _own_roles: { role: string; unit: string }[];
      }
    >(FIND_FOR_TOKEN, [id, grantId, id]);
    const row = rows[0];
    if (!row) return undefined;
    const { _acting_organisation_id: actingOrganisationId, _own_roles: ownRoles, ...person } = row;
    return { person, actingOrganisationId, ownRoles };
  }

  /** One account by any sign-in identifier: username, ID-number hash or phone hash. */
  async findByLogin(username: string, idHash: string, phoneHash: string) {
    const { rows } = await pooledSql(this.db).query<PersonRow>(BY_LOGIN, [
      username,
      idHash,
      phoneHash,
    ]);
    return rows[0];
  }

  /** The person with this ID number (its keyed hash), if any. */
  async findByIdHash(idHash: string): Promise<PersonRow | undefined> {
    const rows: PersonRow[] = await this.db.query(
      `SELECT * FROM identity.person WHERE id_number_hash = $1`,
      [idHash],
    );
    return rows[0];
  }

  async list(limit: number, offset: number): Promise<PersonRow[]> {
    return this.db.query(
      `SELECT * FROM identity.person ORDER BY created_at, id LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
  }

  async update(m: EntityManager, id: string, fields: Partial<PersonRow>): Promise<void> {
    const entries = Object.entries(fields);
    if (entries.length === 0) return;
    const sets = entries.map(([k], i) => `"${k}" = $${i + 2}`).join(', ');
    const values = entries.map(([, v]) => (Array.isArray(v) ? JSON.stringify(v) : v));
    await m.query(`UPDATE identity.person SET ${sets}, updated_at = now() WHERE id = $1`, [
      id,
      ...values,
    ]);
  }

  /**
   * Removes one recovery code in a single statement; true only for the one caller whose
   * UPDATE found it (the row lock makes a concurrent second one see it gone).
   */
  async consumeRecoveryCode(id: string, hash: string): Promise<boolean> {
    const [, affected]: [unknown[], number] = await this.db.query(
      `UPDATE identity.person SET recovery_codes = recovery_codes - $2::text, updated_at = now()
       WHERE id = $1 AND recovery_codes @> jsonb_build_array($2::text)`,
      [id, hash],
    );
    return affected === 1;
  }

  /** Records a used TOTP time step only if it is newer than the last (RFC 6238 5.2: no reuse). */
  async advanceTotpStep(id: string, step: number): Promise<boolean> {
    const [, affected]: [unknown[], number] = await this.db.query(
      `UPDATE identity.person SET totp_last_step = $2
       WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)`,
      [id, step],
    );
    return affected === 1;
  }
}
