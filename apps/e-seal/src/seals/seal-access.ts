import { hasRole, hasScope, type Caller } from '#auth';
import { SealError, SealErrorCode } from '../shared/seal-error.js';
import type { SealEntity } from './seal.entity.js';

// docs/INTEGRATION.md: seal:* roles carry the owner organisation's USCC as unit ('*' = all).

/** An organisation administrator (seal:manage) of the owner, or a platform officer. */
export function canManage(caller: Caller, ownerUscc: string): boolean {
  return hasRole(caller, 'seal:manage', ownerUscc) || isOfficer(caller, ownerUscc);
}

export function isOfficer(caller: Caller, ownerUscc: string): boolean {
  return hasRole(caller, 'seal:approve', ownerUscc);
}

/** Anyone holding a seal role for the owner may read the seal and its usage log. */
export function canRead(caller: Caller, ownerUscc: string): boolean {
  return ['seal:read', 'seal:manage', 'seal:approve', 'seal:apply'].some((role) =>
    hasRole(caller, role, ownerUscc),
  );
}

/**
 * Who may seal with it: a person holding seal:apply for the owner, or a business system whose
 * client id is named on the seal; both with the seal:apply scope in their token.
 */
export function canUse(caller: Caller, seal: SealEntity): boolean {
  if (!hasScope(caller, 'seal:apply')) return false;
  if (caller.kind === 'client') return seal.allowedClients.includes(caller.clientId);
  return hasRole(caller, 'seal:apply', seal.ownerUscc);
}

export function requireAccess(allowed: boolean, what: string): void {
  if (!allowed) {
    throw new SealError(SealErrorCode.CallerNotAllowed, 403, `The caller may not ${what}`);
  }
}
