import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export type OidcPayload = Record<string, unknown>;

/** The provider's stored models (sessions, grants, codes, tokens...), one row per model and id. */
@Injectable()
export class OidcPayloadRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async upsert(model: string, id: string, payload: OidcPayload, expiresIn?: number): Promise<void> {
    const grantId = typeof payload.grantId === 'string' ? payload.grantId : null;
    const uid = typeof payload.uid === 'string' ? payload.uid : null;
    const userCode = typeof payload.userCode === 'string' ? payload.userCode : null;
    await this.db.query(
      `INSERT INTO identity.oidc_payload (model, id, payload, grant_id, uid, user_code, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6,
               CASE WHEN $7::int IS NULL THEN NULL ELSE now() + make_interval(secs => $7::int) END)
       ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload,
         grant_id = EXCLUDED.grant_id, uid = EXCLUDED.uid, user_code = EXCLUDED.user_code,
         expires_at = EXCLUDED.expires_at`,
      [model, id, JSON.stringify(payload), grantId, uid, userCode, expiresIn ?? null],
    );
  }

  async find(model: string, column: 'id' | 'uid' | 'user_code', value: string) {
    const rows: { payload: OidcPayload; consumed_at: Date | null }[] = await this.db.query(
      `SELECT payload, consumed_at FROM identity.oidc_payload
       WHERE model = $1 AND ${column} = $2 AND (expires_at IS NULL OR expires_at > now())
       LIMIT 1`,
      [model, value],
    );
    const row = rows[0];
    if (!row) return undefined;
    // oidc-provider detects a replayed code or rotated refresh token by this member.
    if (row.consumed_at) row.payload.consumed = Math.floor(row.consumed_at.getTime() / 1000);
    return row.payload;
  }

  async consume(model: string, id: string): Promise<void> {
    await this.db.query(
      `UPDATE identity.oidc_payload SET consumed_at = now()
       WHERE model = $1 AND id = $2 AND consumed_at IS NULL`,
      [model, id],
    );
  }

  async destroy(model: string, id: string): Promise<void> {
    await this.db.query(`DELETE FROM identity.oidc_payload WHERE model = $1 AND id = $2`, [
      model,
      id,
    ]);
  }

  /** Revokes every artefact of one grant (codes, tokens), whatever its model. */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.query(`DELETE FROM identity.oidc_payload WHERE grant_id = $1`, [grantId]);
  }

  async purgeExpired(): Promise<number> {
    const result: [unknown[], number] = await this.db.query(
      `DELETE FROM identity.oidc_payload WHERE expires_at < now() - interval '5 minutes'`,
    );
    return result[1] ?? 0;
  }
}
