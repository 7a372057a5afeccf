import { z } from 'zod';
import { ConfigError } from '#common';

/** Evidence a level needs: a password, a one-time code (RFC 6238), a certificate, a counter check. */
export const EVIDENCE = ['pwd', 'otp', 'cert', 'counter'] as const;
export type Evidence = (typeof EVIDENCE)[number];

export interface AssuranceLevel {
  acr: string;
  /** Authentication methods (RFC 8176 amr values) this level needs, all of them. */
  evidence: Evidence[];
  label: { zh: string; en: string };
}

/**
 * The default ladder: `loa1` a password, `loa2` a password plus a second factor. Provinces
 * define their own (one uses levels 2 to 5); set IDENTITY_ACR_LADDER to a JSON array of
 * levels, lowest first. A level whose evidence this service cannot collect yet (cert,
 * counter) is published but no sign-in reaches it.
 */
export const DEFAULT_LADDER: AssuranceLevel[] = [
  { acr: 'loa1', evidence: ['pwd'], label: { zh: '口令认证', en: 'Password' } },
  {
    acr: 'loa2',
    evidence: ['pwd', 'otp'],
    label: { zh: '口令加动态码', en: 'Password and one-time code' },
  },
];

const ladderSchema = z
  .array(
    z.object({
      acr: z.string().min(1),
      evidence: z.array(z.enum(EVIDENCE)).min(1),
      label: z.object({ zh: z.string(), en: z.string() }),
    }),
  )
  .min(1);

export function loadLadder(env: NodeJS.ProcessEnv = process.env): AssuranceLevel[] {
  const raw = env.IDENTITY_ACR_LADDER;
  if (!raw) return DEFAULT_LADDER;
  try {
    return ladderSchema.parse(JSON.parse(raw));
  } catch {
    throw new ConfigError('IDENTITY_ACR_LADDER', 'must be a JSON array of {acr, evidence, label}');
  }
}

export class AssuranceLadder {
  constructor(readonly levels: AssuranceLevel[]) {}

  rank(acr: string | undefined): number {
    return acr ? this.levels.findIndex((l) => l.acr === acr) : -1;
  }

  /** The lowest level among those a client asked for (OIDC Core 3.1.2.1 acr_values). */
  required(acrValues: string | undefined): AssuranceLevel | undefined {
    const asked = (acrValues ?? '').split(' ').filter((v) => this.rank(v) >= 0);
    if (asked.length === 0) return undefined;
    return this.levels[Math.min(...asked.map((a) => this.rank(a)))];
  }

  /** The highest level the given methods satisfy. */
  reached(amr: string[]): AssuranceLevel | undefined {
    let best: AssuranceLevel | undefined;
    for (const level of this.levels) if (level.evidence.every((e) => amr.includes(e))) best = level;
    return best;
  }
}
