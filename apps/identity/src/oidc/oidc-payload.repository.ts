import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { pooledSql, type PooledSql } from '#database';
import type { PersonRepository, PersonRow } from '../accounts/person.repository.js';

export type OidcPayload = Record<string, unknown>;

/** What a token needs about a person (the answer of PersonRepository.findForToken). */
export type AccountForToken = NonNullable<Awaited<ReturnType<PersonRepository['findForToken']>>>;

export interface TokenWithGrant {
  payload: OidcPayload;
  grantId?: string;
  grant?: OidcPayload | null;
  account?: AccountForToken;
}

type DatesAsText = { created_at: string; updated_at: string };

interface PayloadRow {
  payload: OidcPayload;
  consumed_at: Date | null;
}

const LIVE = '(expires_at IS NULL OR expires_at > now())';

/**
 * The statements of the provider's store. They run on every provider request, so they are
 * prepared once per connection (PooledSql) instead of parsed and planned on each call.
 */
const UPSERT = `INSERT INTO identity.oidc_payload
    (model, id, payload, grant_id, uid, user_code, expires_at)
  VALUES ($1, $2, $3, $4, $5, $6,
          CASE WHEN $7::int IS NULL THEN NULL ELSE now() + make_interval(secs => $7::int) END)
  ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload,
    grant_id = EXCLUDED.grant_id, uid = EXCLUDED.uid, user_code = EXCLUDED.user_code,
    expires_at = EXCLUDED.expires_at`;

const SQL = {
  upsert: { name: 'oidc_payload_upsert', text: UPSERT },
  findById: {
    name: 'oidc_payload_find_id',
    text: `SELECT payload, consumed_at FROM identity.oidc_payload
      WHERE model = $1 AND id = $2 AND ${LIVE}`,
  },
  findByUid: {
    name: 'oidc_payload_find_uid',
    text: `SELECT payload, consumed_at FROM identity.oidc_payload
      WHERE model = $1 AND uid = $2 AND ${LIVE} LIMIT 1`,
  },
  findByUserCode: {
    name: 'oidc_payload_find_user_code',
    text: `SELECT payload, consumed_at FROM identity.oidc_payload
      WHERE model = $1 AND user_code = $2 AND ${LIVE} LIMIT 1`,
  },
  findWithGrant: {
    name: 'oidc_payload_find_with_grant',
    // The person columns are PersonRepository.findForToken's, for the same request's
    // findAccount (TokenClaimsService); keep the two in step.
    text: `SELECT t.payload, t.consumed_at, t.grant_id,
        g.payload AS grant_payload, g.consumed_at AS grant_consumed_at,
        a.person, a.acting_organisation_id, a.own_roles
      FROM identity.oidc_payload t
      LEFT JOIN identity.oidc_payload g ON g.model = 'Grant' AND g.id = t.grant_id
        AND (g.expires_at IS NULL OR g.expires_at > now())
      LEFT JOIN LATERAL (
        SELECT to_jsonb(p) AS person,
          (SELECT o.organisation_id FROM identity.acting_organisation o
            WHERE o.grant_id = t.grant_id) AS acting_organisation_id,
          COALESCE((SELECT json_agg(json_build_object('role', r.role, 'unit', r.unit)
                                    ORDER BY r.role, r.unit)
                      FROM identity.role_assignment r
                     WHERE r.principal_type = 'person' AND r.principal_id = p.id::text
                       AND r.organisation_id IS NULL), '[]'::json) AS own_roles
        FROM identity.person p
        WHERE t.payload->>'accountId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
          AND p.id = (t.payload->>'accountId')::uuid
      ) a ON true
      WHERE t.model = $1 AND t.id = $2 AND (t.expires_at IS NULL OR t.expires_at > now())`,
  },
  consumeAndUpsert: {
    // A rotated refresh token and its successor in one statement (the CTE's UPDATE runs
    // whether or not the INSERT refers to it): no moment where one is written without the other.
    name: 'oidc_payload_consume_upsert',
    text: `WITH consumed AS (
        UPDATE identity.oidc_payload SET consumed_at = now()
        WHERE model = $1 AND id = $8 AND consumed_at IS NULL
      )
      ${UPSERT}`,
  },
  consume: {
    name: 'oidc_payload_consume',
    text: `UPDATE identity.oidc_payload SET consumed_at = now()
      WHERE model = $1 AND id = $2 AND consumed_at IS NULL`,
  },
  destroy: {
    name: 'oidc_payload_destroy',
    text: `DELETE FROM identity.oidc_payload WHERE model = $1 AND id = $2`,
  },
  revokeByGrantId: {
    name: 'oidc_payload_revoke_grant',
    text: `DELETE FROM identity.oidc_payload WHERE grant_id = $1`,
  },
  purgeExpired: {
    name: 'oidc_payload_purge',
    text: `DELETE FROM identity.oidc_payload WHERE expires_at < now() - interval '5 minutes'`,
  },
};

const COLUMN_STATEMENT = {
  id: SQL.findById,
  uid: SQL.findByUid,
  user_code: SQL.findByUserCode,
};

/** The provider's stored models (sessions, grants, codes, tokens...), one row per model and id. */
@Injectable()
export class OidcPayloadRepository {
  private readonly sql: PooledSql;

  constructor(@InjectDataSource() db: DataSource) {
    this.sql = pooledSql(db);
  }

  async upsert(model: string, id: string, payload: OidcPayload, expiresIn?: number): Promise<void> {
    await this.sql.query(SQL.upsert, upsertValues(model, id, payload, expiresIn));
  }

  /** Consumes `consumedId` of the same model and upserts `id`, in one statement. */
  async consumeAndUpsert(
    model: string,
    consumedId: string,
    id: string,
    payload: OidcPayload,
    expiresIn?: number,
  ): Promise<void> {
    await this.sql.query(SQL.consumeAndUpsert, [
      ...upsertValues(model, id, payload, expiresIn),
      consumedId,
    ]);
  }

  async find(
    model: string,
    column: 'id' | 'uid' | 'user_code',
    value: string,
  ): Promise<OidcPayload | undefined> {
    const { rows } = await this.sql.query<PayloadRow>(COLUMN_STATEMENT[column], [model, value]);
    return rows[0] && withConsumed(rows[0].payload, rows[0].consumed_at);
  }

  /**
   * A token or code together with the grant it belongs to and what its token needs about
   * the person (as PersonRepository.findForToken answers), in one round trip: the provider
   * reads the grant and the account right after (refresh and code exchange), so reading them
   * at once saves two queries per token request. `grant` is undefined when the row names no
   * grant, null when the grant is gone or expired; `account` is absent with no such person.
   */
  async findWithGrant(model: string, id: string): Promise<TokenWithGrant | undefined> {
    const { rows } = await this.sql.query<
      PayloadRow & {
        grant_id: string | null;
        grant_payload: OidcPayload | null;
        grant_consumed_at: Date | null;
        person: (Omit<PersonRow, 'created_at' | 'updated_at'> & DatesAsText) | null;
        acting_organisation_id: string | null;
        own_roles: { role: string; unit: string }[] | null;
      }
    >(SQL.findWithGrant, [model, id]);
    const row = rows[0];
    if (!row) return undefined;
    const payload = withConsumed(row.payload, row.consumed_at);
    const account = row.person
      ? {
          // to_jsonb gives timestamps as text and bigint as a number; PersonRow has the
          // driver's types.
          person: {
            ...row.person,
            created_at: new Date(row.person.created_at),
            updated_at: new Date(row.person.updated_at),
            totp_last_step:
              row.person.totp_last_step === null ? null : String(row.person.totp_last_step),
          },
          actingOrganisationId: row.acting_organisation_id,
          ownRoles: row.own_roles ?? [],
        }
      : undefined;
    if (!row.grant_id) return { payload, account };
    const grant = row.grant_payload && withConsumed(row.grant_payload, row.grant_consumed_at);
    return { payload, grantId: row.grant_id, grant, account };
  }

  async consume(model: string, id: string): Promise<void> {
    await this.sql.query(SQL.consume, [model, id]);
  }

  async destroy(model: string, id: string): Promise<void> {
    await this.sql.query(SQL.destroy, [model, id]);
  }

  /** Revokes every artefact of one grant (codes, tokens), whatever its model. */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.sql.query(SQL.revokeByGrantId, [grantId]);
  }

  async purgeExpired(): Promise<number> {
    const result = await this.sql.query(SQL.purgeExpired, []);
    return result.rowCount ?? 0;
  }
}

function upsertValues(model: string, id: string, payload: OidcPayload, expiresIn?: number) {
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return [
    model,
    id,
    JSON.stringify(payload),
    text(payload.grantId),
    text(payload.uid),
    text(payload.userCode),
    expiresIn ?? null,
  ];
}

/** oidc-provider detects a replayed code or rotated refresh token by `consumed`. */
function withConsumed(payload: OidcPayload, consumedAt: Date | null): OidcPayload {
  if (consumedAt) payload.consumed = Math.floor(consumedAt.getTime() / 1000);
  return payload;
}
