import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { JWTVerifyGetKey } from 'jose';
import { ConfigError, loadConfig } from './load-config.js';
import { suiteVariables, type SuiteConfig } from './variables.js';

export const SERVICE_NAMES = ['identity', 'e-seal', 'e-license', 'e-archive'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const STANDALONE_PORTS: Record<ServiceName, number> = {
  identity: 3001,
  'e-seal': 3002,
  'e-license': 3003,
  'e-archive': 3004,
};

/** What every service needs to know at start: validated config plus derived values. */
export interface SuiteContext {
  config: SuiteConfig;
  port: number;
  publicUrl: string;
  dataDir: string;
  masterKey: Buffer;
  /** Base URL of each service as seen by the other services. */
  serviceUrls: Record<ServiceName, string>;
  /** Public base URL of each service (for links people follow). */
  publicUrls: Record<ServiceName, string>;
  /** Embedded database key (one PGlite per process mode), when DATABASE_URL is unset. */
  embeddedDatabase: string;
  /** Overrides DATABASE_URL (tests, and the suite launcher). */
  databaseUrl?: string;
  /**
   * Keys that verify access tokens, instead of identity's JWKS. Only for tests of one
   * service alone; the suite and its end-to-end tests always use identity's real keys.
   */
  authKeys?: JWTVerifyGetKey;
}

/** Nest injection token of the SuiteContext. */
export const SUITE_CONTEXT = Symbol('SUITE_CONTEXT');

const urlVariable: Record<ServiceName, keyof SuiteConfig> = {
  identity: 'IDENTITY_URL',
  'e-seal': 'E_SEAL_URL',
  'e-license': 'E_LICENSE_URL',
  'e-archive': 'E_ARCHIVE_URL',
};

/**
 * Builds the context for the whole suite (mode `suite`) or for one service run alone.
 * Throws ConfigError naming the variable on any bad value.
 */
export function createSuiteContext(
  mode: ServiceName | 'suite',
  env: NodeJS.ProcessEnv = process.env,
): SuiteContext {
  const config = loadConfig(suiteVariables, env);
  const port = config.PORT ?? (mode === 'suite' ? 3000 : STANDALONE_PORTS[mode]);
  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${port}`;
  const dataDir = resolve(config.DATA_DIR);
  const local = `http://127.0.0.1:${port}`;

  const serviceUrls = {} as Record<ServiceName, string>;
  const publicUrls = {} as Record<ServiceName, string>;
  for (const name of SERVICE_NAMES) {
    const fallbackPort = mode === 'suite' ? port : STANDALONE_PORTS[name];
    const configured = config[urlVariable[name]] as string | undefined;
    serviceUrls[name] = configured ?? `http://127.0.0.1:${fallbackPort}/${name}`;
    publicUrls[name] =
      mode === 'suite' || name === mode ? `${publicUrl}/${name}` : serviceUrls[name];
  }
  if (mode !== 'suite') serviceUrls[mode] = `${local}/${mode}`;

  return {
    config,
    port,
    publicUrl,
    dataDir,
    masterKey: resolveMasterKey(config, dataDir),
    serviceUrls,
    publicUrls,
    embeddedDatabase: mode === 'suite' ? 'suite' : mode,
  };
}

function resolveMasterKey(config: SuiteConfig, dataDir: string): Buffer {
  if (config.MASTER_KEY) return Buffer.from(config.MASTER_KEY, 'hex');
  if (config.NODE_ENV === 'production') {
    throw new ConfigError('MASTER_KEY', 'is required in production');
  }
  // Development and tests: one random key, kept beside the embedded data it protects.
  const file = join(dataDir, 'master.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex'), { mode: 0o600, flag: 'wx' });
  return key;
}
