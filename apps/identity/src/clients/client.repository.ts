import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export interface ClientRow {
  client_id: string;
  name: string;
  metadata: Record<string, unknown>;
  secret_hash: string | null;
  first_party: boolean;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

/** The registry of business systems (OIDC clients). */
@Injectable()
export class ClientRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  async find(clientId: string, m: EntityManager = this.db.manager): Promise<ClientRow | undefined> {
    const rows: ClientRow[] = await m.query(`SELECT * FROM identity.client WHERE client_id = $1`, [
      clientId,
    ]);
    return rows[0];
  }

  async list(): Promise<ClientRow[]> {
    return this.db.query(`SELECT * FROM identity.client ORDER BY client_id`);
  }

  async insert(
    m: EntityManager,
    row: Pick<ClientRow, 'client_id' | 'name' | 'metadata' | 'secret_hash' | 'first_party'>,
  ): Promise<boolean> {
    const result: unknown[] = await m.query(
      `INSERT INTO identity.client (client_id, name, metadata, secret_hash, first_party)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (client_id) DO NOTHING RETURNING client_id`,
      [row.client_id, row.name, JSON.stringify(row.metadata), row.secret_hash, row.first_party],
    );
    return result.length === 1;
  }

  async update(
    m: EntityManager,
    clientId: string,
    row: Pick<ClientRow, 'name' | 'metadata' | 'first_party' | 'enabled'>,
  ): Promise<void> {
    await m.query(
      `UPDATE identity.client SET name = $2, metadata = $3, first_party = $4, enabled = $5,
         updated_at = now() WHERE client_id = $1`,
      [clientId, row.name, JSON.stringify(row.metadata), row.first_party, row.enabled],
    );
  }

  async setSecretHash(m: EntityManager, clientId: string, secretHash: string): Promise<void> {
    await m.query(
      `UPDATE identity.client SET secret_hash = $2, updated_at = now() WHERE client_id = $1`,
      [clientId, secretHash],
    );
  }

  async delete(m: EntityManager, clientId: string): Promise<void> {
    await m.query(`DELETE FROM identity.client WHERE client_id = $1`, [clientId]);
  }
}
