import type { Caller } from '#auth';
import { ArchiveError, ArchiveErrorCode } from '../errors.js';

/** Which OIDC clients may submit under which source systems, besides their own client_id. */
export type SourceGrants = ReadonlyMap<string, ReadonlySet<string>>;

const ENTRY = /^([A-Za-z0-9._:-]+)=([a-z0-9][a-z0-9._-]{0,63}(\|[a-z0-9][a-z0-9._-]{0,63})*)$/;

/** `client=source|source,client=source` (ARCHIVE_SOURCE_SYSTEMS); empty gives no grants. */
export const SOURCE_GRANTS_FORMAT = ENTRY;

export function parseSourceGrants(text: string): SourceGrants {
  const out = new Map<string, Set<string>>();
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const m = ENTRY.exec(entry);
    if (!m) throw new Error(`not client=source|source: ${entry}`);
    const sources = out.get(m[1]!) ?? new Set<string>();
    for (const s of m[2]!.split('|')) sources.add(s);
    out.set(m[1]!, sources);
  }
  return out;
}

/**
 * A record's provenance (DA/T 46: 来源) is what makes its source id mean something: without
 * this binding any ingest client could claim another system's ids, read back that system's
 * records as "repeats", or block its submissions with conflicts. A client submits under its
 * own client_id, or under a source system ARCHIVE_SOURCE_SYSTEMS grants it.
 */
export function requireSourceSystem(caller: Caller, sourceSystem: string, grants: SourceGrants) {
  if (sourceSystem === caller.clientId || grants.get(caller.clientId)?.has(sourceSystem)) return;
  throw new ArchiveError(
    ArchiveErrorCode.SourceSystemNotPermitted,
    403,
    'This client may not submit records under that source system',
    { sourceSystem, clientId: caller.clientId },
  );
}
