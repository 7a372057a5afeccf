import { z } from 'zod';
import type { ConfigOf, VariableSet } from './variables.js';

/** A configuration value that failed validation; its message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment against a variable set. Empty strings count as unset, so that
 * `FOO= npm start` means "use the default".
 *
 * @example
 *   const config = loadConfig(suiteVariables, process.env);
 *   config.PORT; // number | undefined
 */
export function loadConfig<S extends VariableSet>(
  variables: S,
  env: NodeJS.ProcessEnv = process.env,
): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(variables)) {
    const raw = env[name] === '' ? undefined : env[name];
    const parsed = v.schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const shown = v.secret || raw === undefined ? '' : ` (got ${JSON.stringify(raw)})`;
      throw new ConfigError(name, `${issue?.message ?? 'is invalid'}${shown}`);
    }
    out[name] = parsed.data;
  }
  return out as ConfigOf<S>;
}

/** The config with secret values replaced, for printing. */
export function redactConfig<S extends VariableSet>(
  variables: S,
  config: ConfigOf<S>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([k, val]) => [
      k,
      variables[k]?.secret && val !== undefined ? '[secret]' : val,
    ]),
  );
}

export { z };
