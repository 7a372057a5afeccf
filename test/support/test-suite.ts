import { createServer } from 'node:net';
import { createRemoteJWKSet } from 'jose';
import { TestTokenIssuer } from '#auth';
import { createSuiteContext, type SuiteContext } from '#common';
import { createTestDatabase, type TestDatabase } from '#database';
import { startSuite, type RunningSuite } from '../../apps/suite/src/suite.js';

export interface TestSuite {
  ctx: SuiteContext;
  suite: RunningSuite;
  db: TestDatabase;
  baseUrl: string;
  url(service: string, path: string): string;
  /** With `acceptTestTokens`: signs tokens the services accept besides identity's. */
  issuer?: TestTokenIssuer;
  stop(): Promise<void>;
}

export interface TestSuiteOptions {
  /**
   * Also accept tokens of a test issuer (kid `test`), so a service's own tests can act as
   * people with any roles without driving identity's pages. Every other token is checked
   * against identity's real JWKS. End-to-end tests (test/journey.spec.ts) never use this.
   */
  acceptTestTokens?: boolean;
  /** Starts the services (default: all four in one process). */
  start?: (ctx: SuiteContext) => Promise<RunningSuite>;
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
export async function startTestSuite(
  env: Record<string, string> = {},
  options: TestSuiteOptions = {},
): Promise<TestSuite> {
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
  let issuer: TestTokenIssuer | undefined;
  if (options.acceptTestTokens) {
    const test = await TestTokenIssuer.create();
    const identityKeys = createRemoteJWKSet(new URL(`${ctx.serviceUrls.identity}/jwks`));
    ctx.authKeys = (header, token) =>
      header.kid === 'test' ? test.keys(header, token) : identityKeys(header, token);
    issuer = test;
  }
  const suite = await (options.start ?? startSuite)(ctx);
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    ctx,
    suite,
    db,
    baseUrl,
    issuer,
    url: (service, path) => `${baseUrl}/${service}${path}`,
    async stop() {
      await suite.close();
      await db.drop();
    },
  };
}
