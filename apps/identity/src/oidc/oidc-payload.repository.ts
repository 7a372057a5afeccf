import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { pooledSql, type PooledSql } from '#database';

export type OidcPayload = Record<string, unknown>;

interface PayloadRow {
  payload: OidcPayload;
  consumed_at: Date | null;
}

const LIVE = '(expires_at IS NULL OR expires_at > now())';

/**
 * The statements of the provider's store. They run on every provider request, so they are
 * prepared once per connection (PooledSql) instead of parsed and planned on each call.
 */
const SQL = {
  upsert: {
    name: 'oidc_payload_upsert',
    text: `INSERT INTO identity.oidc_payload (model, id, payload, grant_id, uid, user_code, expires_at)
      VALUES ($1, $2, $3, $4, $5, $6,
              CASE WHEN $7::int IS NULL THEN NULL ELSE now() + make_interval(secs => $7::int) END)
      ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload,
        grant_id = EXCLUDED.grant_id, uid = EXCLUDED.uid, user_code = EXCLUDED.user_code,
        expires_at = EXCLUDED.expires_at`,
  },
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
    text: `SELECT t.payload, t.consumed_at, t.grant_id,
        g.payload AS grant_payload, g.consumed_at AS grant_consumed_at
      FROM identity.oidc_payload t
      LEFT JOIN identity.oidc_payload g ON g.model = 'Grant' AND g.id = t.grant_id
        AND (g.expires_at IS NULL OR g.expires_at > now())
      WHERE t.model = $1 AND t.id = $2 AND (t.expires_at IS NULL OR t.expires_at > now())`,
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
    const grantId = typeof payload.grantId === 'string' ? payload.grantId : null;
    const uid = typeof payload.uid === 'string' ? payload.uid : null;
    const userCode = typeof payload.userCode === 'string' ? payload.userCode : null;
    await this.sql.query(SQL.upsert, [
      model,
      id,
      JSON.stringify(payload),
      grantId,
      uid,
      userCode,
      expiresIn ?? null,
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
   * A token or code together with the grant it belongs to, in one round trip: the provider
   * reads the grant right after (refresh and code exchange), so reading both at once saves a
   * query per token request. `grant` is undefined when the row names no grant, null when the
   * grant is gone or expired.
   */
  async findWithGrant(
    model: string,
    id: string,
  ): Promise<{ payload: OidcPayload; grantId?: string; grant?: OidcPayload | null } | undefined> {
    const { rows } = await this.sql.query<
      PayloadRow & {
        grant_id: string | null;
        grant_payload: OidcPayload | null;
        grant_consumed_at: Date | null;
      }
    >(SQL.findWithGrant, [model, id]);
    const row = rows[0];
    if (!row) return undefined;
    const payload = withConsumed(row.payload, row.consumed_at);
    if (!row.grant_id) return { payload };
    const grant = row.grant_payload && withConsumed(row.grant_payload, row.grant_consumed_at);
    return { payload, grantId: row.grant_id, grant };
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

/** oidc-provider detects a replayed code or rotated refresh token by `consumed`. */
function withConsumed(payload: OidcPayload, consumedAt: Date | null): OidcPayload {
  if (consumedAt) payload.consumed = Math.floor(consumedAt.getTime() / 1000);
  return payload;
}
