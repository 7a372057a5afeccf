import { loadConfig, variable, z, type ConfigOf } from '#common';
import { parseSourceGrants } from '../records/source-binding.js';

const port = z.coerce.number().int().min(1).max(65535);

/**
 * The e-archive service's own configuration, read from the environment at start and validated
 * like the suite's (a bad value names the variable).
 */
export const archiveVariables = {
  ARCHIVE_BLOB_STORE: variable(
    z.enum(['local', 's3']).default('local'),
    'Where archived objects are kept: local disk under DATA_DIR/blobs, or an S3-compatible store',
  ),
  ARCHIVE_S3_ENDPOINT: variable(z.url().optional(), 'S3-compatible endpoint (e.g. MinIO)'),
  ARCHIVE_S3_REGION: variable(z.string().default('us-east-1'), 'S3 region'),
  ARCHIVE_S3_BUCKET: variable(z.string().default('e-archive'), 'S3 bucket of archived objects'),
  ARCHIVE_S3_ACCESS_KEY_ID: variable(z.string().optional(), 'S3 access key id', { secret: true }),
  ARCHIVE_S3_SECRET_ACCESS_KEY: variable(z.string().optional(), 'S3 secret access key', {
    secret: true,
  }),
  CLAMD_HOST: variable(z.string().min(1).optional(), 'ClamAV clamd host for the virus scan'),
  CLAMD_PORT: variable(port.default(3310), 'ClamAV clamd TCP port'),
  CLAMD_TIMEOUT_MS: variable(z.coerce.number().int().min(100).default(30_000), 'clamd timeout'),
  ARCHIVE_FIXITY_INTERVAL_MINUTES: variable(
    z.coerce.number().int().min(0).default(1440),
    'Minutes between scheduled fixity runs; 0 turns the schedule off',
  ),
  ARCHIVE_FORMATS: variable(
    z.string().default('1.4,1.5,1.6,1.7,2.0'),
    'PDF versions accepted for long-term keeping (DA/T 47 / GB/T 33190 formats)',
  ),
  ARCHIVE_SOURCE_SYSTEMS: variable(
    z
      .string()
      .default('svc-e-license=e-license')
      .refine(
        (v) => {
          try {
            parseSourceGrants(v);
            return true;
          } catch {
            return false;
          }
        },
        { message: 'must be client=source|source,client=source' },
      ),
    'Source systems a client may ingest under besides its own client_id (client=source|source,...)',
  ),
  ARCHIVE_EXPORT_MAX_RECORDS: variable(
    z.coerce.number().int().min(1).default(1000),
    'Most records in one BagIt export',
  ),
} as const;

export type ArchiveConfig = ConfigOf<typeof archiveVariables>;

/** Nest injection token of the ArchiveConfig. */
export const ARCHIVE_CONFIG = Symbol('ARCHIVE_CONFIG');

export function loadArchiveConfig(env: NodeJS.ProcessEnv = process.env): ArchiveConfig {
  return loadConfig(archiveVariables, env);
}
