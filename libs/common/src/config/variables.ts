import { isIP } from 'node:net';
import { z } from 'zod';

/** One configuration variable: its validation, whether it is secret, and what it is for. */
export interface Variable<T extends z.ZodType = z.ZodType> {
  schema: T;
  secret: boolean;
  doc: string;
}

export function variable<T extends z.ZodType>(
  schema: T,
  doc: string,
  options: { secret?: boolean } = {},
): Variable<T> {
  return { schema, doc, secret: options.secret ?? false };
}

export type VariableSet = Record<string, Variable>;
export type ConfigOf<S extends VariableSet> = { [K in keyof S]: z.output<S[K]['schema']> };

/**
 * Express's `trust proxy` value: `false`, a hop count, or a comma-separated list of
 * addresses, CIDR ranges and the names `loopback`, `linklocal`, `uniquelocal` (proxy-addr).
 * `true` (trust every X-Forwarded-For hop) is refused: any client could then choose the
 * address its sign-in failures are counted against.
 */
const trustProxy = z
  .string()
  .default('loopback')
  .refine(
    (v) =>
      v === 'false' ||
      /^[0-9]{1,2}$/.test(v) ||
      v.split(',').every((e) => {
        const entry = e.trim();
        if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
        const [address, prefix] = entry.split('/');
        return isIP(address ?? '') !== 0 && (prefix === undefined || /^[0-9]{1,3}$/.test(prefix));
      }),
    'must be false, a hop count, or a comma-separated list of addresses, CIDRs, loopback, ' +
      'linklocal, uniquelocal',
  )
  .transform((v): string | number | false =>
    v === 'false' ? false : /^[0-9]+$/.test(v) ? Number(v) : v,
  );

const port = z.coerce.number().int().min(1).max(65535);
const url = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));

/**
 * The suite's variables, declared once. Each service reads the ones it needs; a wrong value
 * stops the process at start with one line naming the variable (see loadConfig).
 */
export const suiteVariables = {
  NODE_ENV: variable(
    z.enum(['development', 'production', 'test']).default('development'),
    'development, production or test; production requires MASTER_KEY',
  ),
  HOST: variable(z.string().min(1).default('0.0.0.0'), 'Address to listen on'),
  PORT: variable(port.optional(), 'Port (default 3000 for the suite, 3001-3004 for one service)'),
  PUBLIC_URL: variable(
    url.optional(),
    'Public base URL, used for links in PDFs and the OIDC issuer (default http://localhost:PORT)',
  ),
  DATABASE_URL: variable(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    'PostgreSQL connection URL; without it an embedded database under DATA_DIR is used',
    { secret: true },
  ),
  DATABASE_POOL_SIZE: variable(
    z.coerce.number().int().min(1).max(200).default(10),
    'Connections per service',
  ),
  DATA_DIR: variable(
    z.string().min(1).default('./var'),
    'Where the embedded database and blobs live',
  ),
  LOG_LEVEL: variable(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    'Log level',
  ),
  MASTER_KEY: variable(
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits (32 bytes)')
      .optional(),
    'Key that encrypts private keys and personal data at rest (64 hex digits). ' +
      'Outside production a random one is created once under DATA_DIR',
    { secret: true },
  ),
  IDENTITY_URL: variable(
    url.optional(),
    'Base URL at which the other services reach identity (default http://127.0.0.1:PORT/identity)',
  ),
  E_SEAL_URL: variable(
    url.optional(),
    'Base URL at which the other services reach e-seal (default http://127.0.0.1:PORT/e-seal)',
  ),
  E_LICENSE_URL: variable(
    url.optional(),
    'Base URL at which the other services reach e-license (default http://127.0.0.1:PORT/e-license)',
  ),
  E_ARCHIVE_URL: variable(
    url.optional(),
    'Base URL at which the other services reach e-archive (default http://127.0.0.1:PORT/e-archive)',
  ),
  MAX_UPLOAD_MB: variable(
    z.coerce.number().int().min(1).max(2048).default(50),
    'Largest upload (MB)',
  ),
  ADMIN_PASSWORD: variable(
    z.string().min(12, 'must be at least 12 characters').optional(),
    'Password of the first administrator; printed once at first start when unset',
    { secret: true },
  ),
  TRUST_PROXY: variable(
    trustProxy,
    'Proxies whose X-Forwarded-For/-Proto/-Host are believed (Express trust proxy: false, a hop ' +
      'count, or addresses/CIDRs/loopback); the client address found behind them is the one ' +
      'sign-in throttling counts',
  ),
  IDENTITY_BACKCHANNEL_RETRY_SECONDS: variable(
    z
      .string()
      .default('1,5,30,120,600,3600')
      .refine((v) => /^[0-9]+(,[0-9]+)*$/.test(v), 'must be comma-separated whole seconds')
      .transform((v) => v.split(',').map(Number)),
    'Delays before each retry of a back-channel logout delivery; after the last one it has failed',
  ),
  DEMO_DATA: variable(
    z.enum(['true', 'false']).optional(),
    'Create demo accounts and clients at first start (default: true on the embedded database)',
  ),
} satisfies VariableSet;

export type SuiteConfig = ConfigOf<typeof suiteVariables>;
