import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export interface RoleAssignmentRow {
  id: string;
  principal_type: 'person' | 'client';
  principal_id: string;
  role: string;
  unit: string;
  organisation_id: string | null;
  granted_by: string;
  created_at: Date;
}

/** Role assignments: a role plus the unit it applies to, for a person or a client. */
@Injectable()
export class RoleRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  async insert(m: EntityManager, r: Omit<RoleAssignmentRow, 'created_at'>): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO identity.role_assignment (id, principal_type, principal_id, role, unit,
         organisation_id, granted_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT DO NOTHING RETURNING id`,
      [r.id, r.principal_type, r.principal_id, r.role, r.unit, r.organisation_id, r.granted_by],
    );
    return rows.length === 1;
  }

  async find(id: string, m: EntityManager): Promise<RoleAssignmentRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const rows: RoleAssignmentRow[] = await m.query(
      `SELECT * FROM identity.role_assignment WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  async delete(m: EntityManager, id: string): Promise<void> {
    await m.query(`DELETE FROM identity.role_assignment WHERE id = $1`, [id]);
  }

  async list(principalType?: string, principalId?: string): Promise<RoleAssignmentRow[]> {
    return this.db.query(
      `SELECT * FROM identity.role_assignment
       WHERE ($1::text IS NULL OR principal_type = $1) AND ($2::text IS NULL OR principal_id = $2)
       ORDER BY created_at, id`,
      [principalType ?? null, principalId ?? null],
    );
  }

  /**
   * The roles that reach a token: a person's own (no organisation) or, for an agent, only
   * those held for the organisation they act for.
   */
  async forToken(
    principalType: 'person' | 'client',
    principalId: string,
    organisationId: string | null,
  ): Promise<{ role: string; unit: string }[]> {
    return this.db.query(
      `SELECT role, unit FROM identity.role_assignment
       WHERE principal_type = $1 AND principal_id = $2
         AND organisation_id IS NOT DISTINCT FROM $3::uuid
       ORDER BY role, unit`,
      [principalType, principalId, organisationId],
    );
  }
}
