import { z } from 'zod';
import { loadConfig, variable, type ConfigOf } from '#common';

/** Variables of the e-license service alone, validated at start like the suite's. */
export const eLicenseVariables = {
  E_LICENSE_VERIFY_PER_MINUTE: variable(
    z.coerce.number().int().min(1).default(120),
    'Public verifications per client address per minute (token bucket refill)',
  ),
  E_LICENSE_VERIFY_BURST: variable(
    z.coerce.number().int().min(1).default(60),
    'Public verifications a client address may make at once before the per-minute rate applies',
  ),
};

export type ELicenseConfig = ConfigOf<typeof eLicenseVariables>;

export const E_LICENSE_CONFIG = Symbol('E_LICENSE_CONFIG');

export function loadELicenseConfig(env: NodeJS.ProcessEnv = process.env): ELicenseConfig {
  return loadConfig(eLicenseVariables, env);
}
