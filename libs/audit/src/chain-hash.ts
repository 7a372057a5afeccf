import { createHash } from 'node:crypto';

/** What one audit event records. Never a secret, a token value or a personal identifier. */
export interface AuditEvent {
  /** e.g. `license.issued`, `seal.used`, `signin.failed` */
  action: string;
  /** Who: an account id, a client id, or `system`. */
  actor: string;
  /** What it concerns: `license:<id>`, `seal:<id>`, ... */
  subject?: string;
  outcome?: 'success' | 'failure';
  details?: Record<string, unknown>;
  /** The request it happened in; by default the one being served when it is appended. */
  requestId?: string | null;
}

export interface AuditEntry extends Required<Omit<AuditEvent, 'details'>> {
  id: string;
  at: string;
  requestId: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  const obj = value as Record<string, unknown>;
  return `{${keys
    .filter((k) => obj[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

/** hash_n = SHA-256(hash_{n-1} || canonical entry): a change anywhere breaks every later link. */
export function chainHash(
  prevHash: string,
  e: Omit<AuditEntry, 'id' | 'hash' | 'prevHash'>,
): string {
  const body = canonicalJson({
    action: e.action,
    actor: e.actor,
    subject: e.subject,
    outcome: e.outcome,
    at: e.at,
    requestId: e.requestId,
    details: e.details,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}
