import { createSuiteContext, type SuiteContext } from '#common';
import { createTestDatabase } from '#database';
import { createRemoteJWKSet } from 'jose';
import { TestTokenIssuer, type RoleAssignment } from '#auth';
import type { Server } from 'node:http';
import { startSuite, type RunningSuite } from '../../../suite/src/suite.js';
import { createESealApp } from '../app.js';
import { freePort, type TestSuite } from '../../../../test/support/test-suite.js';

export interface SealTestSuite extends TestSuite {
  /** A bearer token for e-seal signed by the test key the suite trusts. */
  token(claims: {
    sub: string;
    clientId?: string;
    scopes: string[];
    roles?: RoleAssignment[];
  }): Promise<string>;
}

/**
 * startTestSuite() with one difference: the services trust a test token key besides
 * identity's keys (`ctx.authKeys`, the hook libs/auth offers), so e-seal's tests mint tokens
 * for people with any roles; business systems use identity's real client-credentials tokens.
 * TODO(e-seal): switch to identity's client-credentials tokens once its demo clients carry
 * seal roles; startTestSuite has no authKeys option yet.
 */
export async function startSealTestSuite(env: Record<string, string> = {}): Promise<SealTestSuite> {
  const issuer = await TestTokenIssuer.create();
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
  // Test tokens (kid "test") and identity's real ones (its JWKS) are both accepted.
  const identityKeys = createRemoteJWKSet(new URL(`${ctx.serviceUrls.identity}/jwks`));
  ctx.authKeys = (header, token) =>
    header.kid === 'test' ? issuer.keys(header, token) : identityKeys(header, token);
  const suite = process.env.E_SEAL_TEST_ALONE ? await startAlone(ctx) : await startSuite(ctx);
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    ctx,
    suite,
    db,
    baseUrl,
    url: (service, path) => `${baseUrl}/${service}${path}`,
    token: (claims) => issuer.token(ctx, 'e-seal', claims),
    async stop() {
      await suite.close();
      await db.drop();
    },
  };
}

/** e-seal alone on the port (E_SEAL_TEST_ALONE=1), for when another service does not start. */
async function startAlone(ctx: SuiteContext): Promise<RunningSuite> {
  const app = await createESealApp(ctx);
  await app.listen(ctx.port, '127.0.0.1');
  return {
    server: app.getHttpServer() as Server,
    apps: { 'e-seal': app } as RunningSuite['apps'],
    close: () => app.close(),
  };
}
