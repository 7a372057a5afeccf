import type { JWTPayload } from 'jose';
import { AuthError, AuthErrorCode } from './auth-error.js';

/** A role for a unit: `license:issue` for authority X, `archive:read` for fonds Z. */
export interface RoleAssignment {
  role: string;
  /** A USCC, a fonds code, or `*` for every unit. */
  unit: string;
}

/** Who is calling, as identity's access token says (see docs/INTEGRATION.md). */
export interface Caller {
  kind: 'person' | 'client';
  /** Account id of a person, or the client id for client credentials. */
  sub: string;
  clientId: string;
  scopes: string[];
  roles: RoleAssignment[];
  /** The organisation an agent acts for. */
  org?: { uscc: string; name: string };
  /** The person's verified identity document, only with the `idcard` scope. */
  idDocument?: { type: string; number: string };
  acr?: string;
}

export function callerFromClaims(claims: JWTPayload): Caller {
  const clientId = String(claims.client_id ?? '');
  const sub = String(claims.sub ?? clientId);
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
  const roles = Array.isArray(claims.roles)
    ? (claims.roles as unknown[]).filter(isRole).map((r) => ({ role: r.role, unit: r.unit }))
    : [];
  const org = claims.org as Caller['org'] | undefined;
  const idDocument = claims.id_document as Caller['idDocument'] | undefined;
  return {
    // RFC 9068 section 2.2: with client credentials the subject is the client itself.
    kind: sub === clientId ? 'client' : 'person',
    sub,
    clientId,
    scopes,
    roles,
    org: org && typeof org.uscc === 'string' ? org : undefined,
    idDocument: idDocument && typeof idDocument.number === 'string' ? idDocument : undefined,
    acr: typeof claims.acr === 'string' ? claims.acr : undefined,
  };
}

function isRole(r: unknown): r is RoleAssignment {
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof (r as RoleAssignment).role === 'string' &&
    typeof (r as RoleAssignment).unit === 'string'
  );
}

export function hasScope(caller: Caller, scope: string): boolean {
  return caller.scopes.includes(scope);
}

/** Whether the caller holds `role` for `unit` (a `*` unit holds it for all). */
export function hasRole(caller: Caller, role: string, unit: string): boolean {
  return caller.roles.some((r) => r.role === role && (r.unit === unit || r.unit === '*'));
}

/** Units for which the caller holds `role` (`*` included as is). */
export function unitsWithRole(caller: Caller, role: string): string[] {
  return caller.roles.filter((r) => r.role === role).map((r) => r.unit);
}

export function requireRole(caller: Caller, role: string, unit: string): void {
  if (!hasRole(caller, role, unit)) {
    throw new AuthError(
      AuthErrorCode.RoleRequired,
      403,
      `The caller does not hold ${role} for this unit`,
      {
        role,
        unit,
      },
    );
  }
}
