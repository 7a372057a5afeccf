import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { TestTokenIssuer, type RoleAssignment } from '#auth';
import { createSuiteContext } from '#common';
import { createTestDatabase } from '#database';
import { startSuite } from '../../suite/src/suite.js';
import { freePort, type TestSuite } from '../../../test/support/test-suite.js';
import { DEMO_ISSUING_AUTHORITY } from '../src/demo/demo-catalogue.js';

export interface LicenseSuite extends TestSuite {
  /** A token for e-license signed by the test issuer (people and clients of these tests). */
  token(claims: {
    sub: string;
    clientId?: string;
    scopes: string[];
    roles?: RoleAssignment[];
    org?: { uscc: string; name: string };
    idDocument?: { type: string; number: string };
  }): Promise<string>;
  clerkToken(unit?: string): Promise<string>;
  api(path: string, init?: { method?: string; token?: string; body?: unknown }): Promise<Response>;
}

/**
 * startTestSuite (test/support) with one addition: e-license also accepts tokens of a test
 * issuer (kid `test`), so these tests can act as clerks, holders and business systems
 * without driving identity's sign-in pages. Every other token, including the one e-license
 * itself gets from identity to call e-seal, is verified against identity's real JWKS.
 *
 * TODO(e-license): switch the clerk and holder tokens to identity's demo accounts once a
 * test helper for the authorization code flow exists.
 */
export async function startLicenseSuite(): Promise<LicenseSuite> {
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
    DEMO_DATA: 'true',
  });
  ctx.databaseUrl = db.url;
  const issuer = await TestTokenIssuer.create();
  const identity = createRemoteJWKSet(new URL(`${ctx.serviceUrls.identity}/jwks`));
  const keys: JWTVerifyGetKey = (header, token) =>
    header.kid === 'test' ? issuer.keys(header, token) : identity(header, token);
  ctx.authKeys = keys;
  const suite = await startSuite(ctx);
  const baseUrl = `http://127.0.0.1:${port}`;
  const url = (service: string, path: string) => `${baseUrl}/${service}${path}`;
  const token: LicenseSuite['token'] = (claims) => issuer.token(ctx, 'e-license', claims);
  return {
    ctx,
    suite,
    db,
    baseUrl,
    url,
    token,
    clerkToken: (unit = DEMO_ISSUING_AUTHORITY.uscc) =>
      token({
        sub: 'clerk-1',
        clientId: 'counter-system',
        scopes: ['license:issue'],
        roles: [{ role: 'license:issue', unit }],
      }),
    async api(path, init = {}) {
      const headers: Record<string, string> = {};
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      return fetch(url('e-license', path), {
        method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'),
        headers,
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      });
    },
    async stop() {
      await suite.close();
      await db.drop();
    },
  };
}
