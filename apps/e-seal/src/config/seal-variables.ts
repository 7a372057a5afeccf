import { loadConfig, variable, z, type ConfigOf } from '#common';

/**
 * The e-seal service's own configuration, read from the environment at start and validated
 * like the suite's (a bad value names the variable).
 */
export const sealVariables = {
  E_SEAL_MAX_SIGNATURES: variable(
    z.coerce.number().int().min(1).max(10_000).default(50),
    'Most signatures and document time-stamps one verification looks at; more is refused ' +
      '(PdfTooManySignatures), since each costs a CMS check and a revision comparison',
  ),
} as const;

export type SealConfig = ConfigOf<typeof sealVariables>;

/** Nest injection token of the SealConfig. */
export const SEAL_CONFIG = Symbol('SEAL_CONFIG');

export function loadSealConfig(env: NodeJS.ProcessEnv = process.env): SealConfig {
  return loadConfig(sealVariables, env);
}
