import { hasRole, requireRole, unitsWithRole, type Caller } from '#auth';
import { ArchiveError, ArchiveErrorCode } from './errors.js';

/**
 * Archivists act for fonds (docs/INTEGRATION.md: role unit = fonds code, `*` for all).
 * Returns the fonds a caller may use a role for, or `'*'`.
 */
export function permittedFonds(caller: Caller, role: string): string[] | '*' {
  const units = unitsWithRole(caller, role);
  return units.includes('*') ? '*' : units;
}

/** 403 unless the caller holds the role for this fonds. */
export function requireFonds(caller: Caller, role: string, fondsCode: string): void {
  requireRole(caller, role, fondsCode);
}

/** The fonds a search may look in: the asked one (if permitted) or all permitted ones. */
export function searchFonds(caller: Caller, asked: string | undefined): string[] | '*' {
  const permitted = permittedFonds(caller, 'archive:read');
  if (asked) {
    if (!hasRole(caller, 'archive:read', asked)) {
      throw new ArchiveError(
        ArchiveErrorCode.FondsNotPermitted,
        403,
        'The caller does not hold archive:read for this fonds',
        { fondsCode: asked },
      );
    }
    return [asked];
  }
  return permitted;
}
