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
  /** The agent authorisation that brought this role; revoking it removes the role. */
  agent_authorisation_id?: string | null;
  granted_by: string;
  created_at: Date;
}

/** How long a client's roles are reused for its tokens; as long as its cached metadata. */
const CLIENT_ROLES_CACHE_MS = 5000;

type TokenRole = { role: string; unit: string };

/** Role assignments: a role plus the unit it applies to, for a person or a client. */
@Injectable()
export class RoleRepository {
  /**
   * Client-credentials grants come at hundreds a second from a few clients whose roles change
   * rarely: their roles are read at most once per CLIENT_ROLES_CACHE_MS. A change made here is
   * seen at once (clientRolesChanged); one made by another process within that time, as for
   * the client's metadata (ClientRegistryService).
   */
  private readonly clientRoles = new Map<string, { at: number; roles: Promise<TokenRole[]> }>();

  constructor(@InjectDataSource() readonly db: DataSource) {}

  /** The roles a client's tokens carry. */
  forClientToken(clientId: string): Promise<TokenRole[]> {
    const hit = this.clientRoles.get(clientId);
    if (hit && Date.now() - hit.at < CLIENT_ROLES_CACHE_MS) return hit.roles;
    const roles = this.forToken('client', clientId, null);
    this.clientRoles.set(clientId, { at: Date.now(), roles });
    // A failed read is not remembered: the next grant asks the database again.
    roles.catch(() => this.clientRoles.delete(clientId));
    return roles;
  }

  /** Called after a client's role assignments changed (committed). */
  clientRolesChanged(clientId: string): void {
    this.clientRoles.delete(clientId);
  }

  async insert(m: EntityManager, r: Omit<RoleAssignmentRow, 'created_at'>): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO identity.role_assignment (id, principal_type, principal_id, role, unit,
         organisation_id, granted_by, agent_authorisation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        r.id,
        r.principal_type,
        r.principal_id,
        r.role,
        r.unit,
        r.organisation_id,
        r.granted_by,
        r.agent_authorisation_id ?? null,
      ],
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
  ): Promise<TokenRole[]> {
    return this.db.query(
      `SELECT role, unit FROM identity.role_assignment
       WHERE principal_type = $1 AND principal_id = $2
         AND organisation_id IS NOT DISTINCT FROM $3::uuid
       ORDER BY role, unit`,
      [principalType, principalId, organisationId],
    );
  }
}
