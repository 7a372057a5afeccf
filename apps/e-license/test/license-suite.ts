import type { RoleAssignment } from '#auth';
import { startTestSuite, type TestSuite } from '../../../test/support/test-suite.js';
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
 * startTestSuite (test/support) accepting test tokens (kid `test`) besides identity's, so
 * these tests can act as clerks, holders and business systems without driving identity's
 * sign-in pages. Every other token, including the one e-license itself gets from identity
 * to call e-seal, is verified against identity's real JWKS.
 *
 * TODO(e-license): switch the clerk and holder tokens to identity's demo accounts once a
 * test helper for the authorization code flow exists.
 */
export async function startLicenseSuite(): Promise<LicenseSuite> {
  const t = await startTestSuite({ DEMO_DATA: 'true' }, { acceptTestTokens: true });
  const token: LicenseSuite['token'] = (claims) => t.issuer!.token(t.ctx, 'e-license', claims);
  return {
    ...t,
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
      return fetch(t.url('e-license', path), {
        method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'),
        headers,
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      });
    },
  };
}
