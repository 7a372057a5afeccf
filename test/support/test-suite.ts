import { createServer } from 'node:net';
import { createSuiteContext, type SuiteContext } from '#common';
import { createTestDatabase, type TestDatabase } from '#database';
import { startSuite, type RunningSuite } from '../../apps/suite/src/suite.js';

export interface TestSuite {
  ctx: SuiteContext;
  suite: RunningSuite;
  db: TestDatabase;
  baseUrl: string;
  url(service: string, path: string): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * All four services in one process on a free port, on a fresh database (embedded, or on the
 * PostgreSQL server named by TEST_DATABASE_URL). `env` adds configuration variables.
 */
export async function startTestSuite(env: Record<string, string> = {}): Promise<TestSuite> {
  const db = await createTestDatabase();
  const port = await freePort();
  const ctx = createSuiteContext('suite', {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: `${process.env.TMPDIR ?? '/tmp'}/gov-suite-test-data-${port}`,
    MASTER_KEY: '00'.repeat(31) + '01',
    ...env,
  });
  ctx.databaseUrl = db.url;
  const suite = await startSuite(ctx);
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    ctx,
    suite,
    db,
    baseUrl,
    url: (service, path) => `${baseUrl}/${service}${path}`,
    async stop() {
      await suite.close();
      await db.drop();
    },
  };
}
