import type { Server } from 'node:http';
import type { RoleAssignment } from '#auth';
import type { SuiteContext } from '#common';
import type { RunningSuite } from '../../../suite/src/suite.js';
import { createESealApp } from '../app.js';
import { startTestSuite, type TestSuite } from '../../../../test/support/test-suite.js';

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
 * startTestSuite() accepting test tokens besides identity's keys, so e-seal's tests mint
 * tokens for people with any roles; business systems use identity's real client-credentials
 * tokens. E_SEAL_TEST_ALONE=1 starts e-seal alone.
 */
export async function startSealTestSuite(env: Record<string, string> = {}): Promise<SealTestSuite> {
  const t = await startTestSuite(env, {
    acceptTestTokens: true,
    start: process.env.E_SEAL_TEST_ALONE ? startAlone : undefined,
  });
  return { ...t, token: (claims) => t.issuer!.token(t.ctx, 'e-seal', claims) };
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
