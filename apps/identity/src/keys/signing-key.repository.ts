import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export type KeyState = 'next' | 'active' | 'retired';

export interface SigningKeyRow {
  kid: string;
  alg: string;
  public_jwk: Record<string, unknown>;
  private_jwk_sealed: string;
  state: KeyState;
  created_at: Date;
  activated_at: Date | null;
  retired_at: Date | null;
  remove_after: Date | null;
}

/** Token signing keys (private parts sealed) and other sealed secrets of the provider. */
@Injectable()
export class SigningKeyRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  async listPublished(m: EntityManager = this.db.manager): Promise<SigningKeyRow[]> {
    return m.query(
      `SELECT * FROM identity.signing_key
       WHERE remove_after IS NULL OR remove_after > now()
       ORDER BY CASE state WHEN 'active' THEN 0 WHEN 'next' THEN 1 ELSE 2 END, created_at DESC`,
    );
  }

  async insert(
    m: EntityManager,
    row: Pick<SigningKeyRow, 'kid' | 'alg' | 'public_jwk' | 'private_jwk_sealed' | 'state'>,
  ): Promise<void> {
    await m.query(
      `INSERT INTO identity.signing_key (kid, alg, public_jwk, private_jwk_sealed, state,
         activated_at) VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 = 'active' THEN now() END)`,
      [row.kid, row.alg, JSON.stringify(row.public_jwk), row.private_jwk_sealed, row.state],
    );
  }

  async retireActive(m: EntityManager, alg: string, keepSeconds: number): Promise<void> {
    await m.query(
      `UPDATE identity.signing_key SET state = 'retired', retired_at = now(),
         remove_after = now() + make_interval(secs => $2::int)
       WHERE alg = $1 AND state = 'active'`,
      [alg, keepSeconds],
    );
  }

  async promote(m: EntityManager, kid: string): Promise<void> {
    await m.query(
      `UPDATE identity.signing_key SET state = 'active', activated_at = now() WHERE kid = $1`,
      [kid],
    );
  }

  /** Retired keys past their `remove_after` (no longer published, nothing they signed lives). */
  async purgeRemoved(): Promise<number> {
    const [, removed]: [unknown[], number] = await this.db.query(
      `DELETE FROM identity.signing_key WHERE state = 'retired' AND remove_after < now()`,
    );
    return removed;
  }

  /** Serialises key changes across identity processes on one database. */
  async lock(m: EntityManager): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('identity.signing_key'))`);
  }

  async findSecret(m: EntityManager, name: string): Promise<string | undefined> {
    const rows: { value_sealed: string }[] = await m.query(
      `SELECT value_sealed FROM identity.sealed_secret WHERE name = $1`,
      [name],
    );
    return rows[0]?.value_sealed;
  }

  async insertSecret(m: EntityManager, name: string, sealed: string): Promise<void> {
    await m.query(
      `INSERT INTO identity.sealed_secret (name, value_sealed) VALUES ($1, $2)
       ON CONFLICT (name) DO NOTHING`,
      [name, sealed],
    );
  }
}
