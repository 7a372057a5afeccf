import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { startEmbeddedDatabase } from '../embedded/embedded-database.js';

export interface TestDatabase {
  url: string;
  /** Which kind the tests run on, for test names and skips. */
  kind: 'postgresql' | 'embedded';
  drop(): Promise<void>;
}

/** Where Jest's global setup leaves an initialised embedded data directory to copy. */
export const EMBEDDED_TEMPLATE_DIR = join(tmpdir(), 'gov-suite-pglite-template');

/**
 * A fresh, empty database for one test file: a new database on the PostgreSQL server named
 * by TEST_DATABASE_URL, or else a new embedded database (a copy of an initialised template).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `suite_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      kind: 'postgresql',
      async drop() {
        const c = new pg.Client({ connectionString: serverUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dataDir = join(tmpdir(), `gov-suite-test-${randomBytes(6).toString('hex')}`);
  const template = existsSync(EMBEDDED_TEMPLATE_DIR) ? EMBEDDED_TEMPLATE_DIR : undefined;
  const db = await startEmbeddedDatabase({ dataDir, template });
  return {
    url: db.url,
    kind: 'embedded',
    async drop() {
      await db.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
