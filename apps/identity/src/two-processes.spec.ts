import type { NestExpressApplication } from '@nestjs/platform-express';
import * as oidc from 'openid-client';
import { createSuiteContext } from '#common';
import { freePort, startTestSuite, type TestSuite } from '../../../test/support/test-suite.js';
import { createIdentityApp } from './app.js';
import { DEMO } from './bootstrap/demo-data.js';
import { FormBrowser } from './testing/browser.js';
import { demoBusinessConfig, signInThroughPages } from './testing/relying-party.js';

/**
 * Nothing of a session or a token lives only in one process's memory: a second identity
 * process on the same database (same MASTER_KEY, same issuer) serves what the first issued.
 */
describe('two identity processes on one database', () => {
  let t: TestSuite;
  let second: NestExpressApplication;
  let secondBase: string;

  beforeAll(async () => {
    t = await startTestSuite({ DEMO_DATA: 'true' });
    const port = await freePort();
    const ctx = createSuiteContext('identity', {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: t.baseUrl,
      MASTER_KEY: t.ctx.config.MASTER_KEY,
      DEMO_DATA: 'true',
    });
    ctx.databaseUrl = t.db.url;
    second = await createIdentityApp(ctx);
    await second.listen(port, '127.0.0.1');
    secondBase = `http://127.0.0.1:${port}/identity`;
  });
  afterAll(async () => {
    await second.close();
    await t.stop();
  });

  it('signs in on one, then refreshes and reads userinfo on the other', async () => {
    const first = await demoBusinessConfig(t.ctx.publicUrls.identity);
    const r = await signInThroughPages(
      first,
      new FormBrowser(),
      t.baseUrl,
      DEMO.business.redirectUris[0],
      {
        identifier: DEMO.citizen.username,
        password: DEMO.citizen.password,
        params: { scope: 'openid profile offline_access', prompt: 'consent' },
      },
    );
    const tokens = await oidc.authorizationCodeGrant(first, r.callback, {
      pkceCodeVerifier: r.verifier,
      expectedState: r.state,
    });

    // The same issuer, reached at the other process's address.
    const { supportsPKCE: _pkce, ...meta } = first.serverMetadata();
    const other = new oidc.Configuration(
      {
        ...meta,
        token_endpoint: `${secondBase}/token`,
        userinfo_endpoint: `${secondBase}/me`,
        jwks_uri: `${secondBase}/jwks`,
      },
      DEMO.business.clientId,
      undefined,
      oidc.ClientSecretBasic(DEMO.business.secret),
    );
    oidc.allowInsecureRequests(other);
    const refreshed = await oidc.refreshTokenGrant(other, tokens.refresh_token!);
    expect(refreshed.claims()!.sub).toBe(tokens.claims()!.sub);
    const info = await oidc.fetchUserInfo(other, refreshed.access_token, tokens.claims()!.sub);
    expect(info.name).toBe(DEMO.citizen.name);
    // And the rotation seen by the second is seen by the first: the old token is spent.
    await expect(oidc.refreshTokenGrant(first, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('publishes the same signing keys from both', async () => {
    const a = await (await fetch(`${t.ctx.publicUrls.identity}/jwks`)).json();
    const b = await (await fetch(`${secondBase}/jwks`)).json();
    expect(b).toEqual(a);
  });
});
