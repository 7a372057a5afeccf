import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { AuditLog } from '#audit';
import { startTestSuite, type TestSuite } from '../../../test/support/test-suite.js';
import { DEMO } from './bootstrap/demo-data.js';
import { ClientRegistryService } from './clients/client-registry.service.js';
import { BackchannelDeliveryRepository } from './logout/backchannel-delivery.repository.js';
import { BackchannelQueueService } from './logout/backchannel-queue.service.js';
import { FormBrowser } from './testing/browser.js';
import { demoBusinessConfig, signInThroughPages } from './testing/relying-party.js';

/**
 * A relying party's back-channel logout endpoints: `/bcl` answers 500 the first time, then
 * 200; `/dead` always answers 503.
 */
function flakyLogoutEndpoint() {
  const received: { token: string; status: number }[] = [];
  const dead: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/dead') {
        dead.push(Date.now());
        res.writeHead(503).end();
        return;
      }
      const token = new URLSearchParams(body).get('logout_token') ?? '';
      const status = received.length === 0 ? 500 : 200;
      received.push({ token, status });
      res.writeHead(status, { 'cache-control': 'no-store' }).end();
    });
  });
  return { server, received, dead };
}

describe('RP-initiated logout, back-channel logout and pairwise subjects', () => {
  let t: TestSuite;
  let rp: ReturnType<typeof flakyLogoutEndpoint>;
  let rpBase: string;
  let registry: ClientRegistryService;

  beforeAll(async () => {
    // Two retries one second apart, so that running out of them takes seconds, not an hour.
    t = await startTestSuite({ DEMO_DATA: 'true', IDENTITY_BACKCHANNEL_RETRY_SECONDS: '1,1' });
    rp = flakyLogoutEndpoint();
    await new Promise<void>((r) => rp.server.listen(0, '127.0.0.1', r));
    rpBase = `http://127.0.0.1:${(rp.server.address() as AddressInfo).port}`;
    registry = t.suite.apps.identity.get(ClientRegistryService);
  });
  afterAll(async () => {
    await new Promise((r) => rp.server.close(r));
    await t.stop();
  });

  async function registerRp(clientId: string, subjectType: 'public' | 'pairwise') {
    const { clientSecret } = await registry.register(
      {
        clientId,
        name: `RP ${clientId}`,
        firstParty: true,
        metadata: {
          redirect_uris: [`${rpBase}/cb`],
          post_logout_redirect_uris: [`${rpBase}/bye`],
          backchannel_logout_uri: `${rpBase}/bcl`,
          backchannel_logout_session_required: true,
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          subject_type: subjectType,
          scope: 'openid profile offline_access',
        },
      },
      'test',
    );
    return oidc.discovery(
      new URL(t.ctx.publicUrls.identity),
      clientId,
      undefined,
      oidc.ClientSecretBasic(clientSecret!),
      { execute: [oidc.allowInsecureRequests] },
    );
  }

  async function signIn(config: oidc.Configuration, browser: FormBrowser) {
    const { callback, verifier, state } = await signInThroughPages(
      config,
      browser,
      t.baseUrl,
      `${rpBase}/cb`,
      {
        identifier: DEMO.citizen.username,
        password: DEMO.citizen.password,
        params: { scope: 'openid offline_access', prompt: 'consent' },
      },
    );
    return oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
  }

  it('gives one person a different subject at each pairwise client and the account id at a public one', async () => {
    const browser = new FormBrowser();
    const a = await signIn(await registerRp('pairwise-a', 'pairwise'), browser);
    const b = await signIn(await registerRp('pairwise-b', 'pairwise'), browser);
    const p = await signIn(await registerRp('public-c', 'public'), browser);
    const subA = a.claims()!.sub;
    const subB = b.claims()!.sub;
    expect(subA).not.toBe(subB);
    expect(p.claims()!.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect([subA, subB]).not.toContain(p.claims()!.sub);
    // Stable: the same client sees the same subject on the next sign-in.
    const again = await signIn(await configWithNewSecret('pairwise-a'), browser);
    expect(again.claims()!.sub).toBe(subA);
  });

  // Re-discovers a registered client with a rotated secret (the first one is shown only once).
  async function configWithNewSecret(clientId: string) {
    const secret = await registry.rotateSecret(clientId, 'test');
    return oidc.discovery(
      new URL(t.ctx.publicUrls.identity),
      clientId,
      undefined,
      oidc.ClientSecretBasic(secret),
      { execute: [oidc.allowInsecureRequests] },
    );
  }

  it('logs out at the RP request, delivers the back-channel logout after a failed first attempt and records it', async () => {
    const config = await registerRp('logout-rp', 'pairwise');
    const browser = new FormBrowser();
    const tokens = await signIn(config, browser);
    const sid = tokens.claims()!.sid;
    expect(sid).toBeTruthy();

    const end = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: `${rpBase}/bye`,
      state: 'after-logout',
    });
    const confirm = await browser.follow(await browser.get(end.href), t.baseUrl);
    expect(confirm.page).toContain('退出登录');
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)">/.exec(confirm.page!)!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.page!)!;
    const done = await browser.follow(
      await browser.post(new URL(action[1]!, t.baseUrl).href, { xsrf: xsrf[1]!, logout: 'yes' }),
      t.baseUrl,
    );
    expect(done.location).toBe(`${rpBase}/bye?state=after-logout`);

    // The first delivery fails (500); the queue retries after its first backoff step (1 s).
    const deadline = Date.now() + 10_000;
    while (rp.received.length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(rp.received.map((r) => r.status)).toEqual([500, 200]);
    const jwks = createRemoteJWKSet(new URL(`${t.ctx.publicUrls.identity}/jwks`));
    const [first, second] = await Promise.all(
      rp.received.map((r) =>
        jwtVerify(r.token, jwks, { issuer: t.ctx.publicUrls.identity, audience: 'logout-rp' }),
      ),
    );
    expect(second!.payload).toMatchObject({
      sub: tokens.claims()!.sub,
      sid,
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    });
    expect(second!.payload.nonce).toBeUndefined();
    // Each attempt is a fresh token (Back-Channel Logout 1.0 2.6: jti unique).
    expect(second!.payload.jti).not.toBe(first!.payload.jti);

    const [delivery] = await t.suite.apps.identity
      .get(BackchannelDeliveryRepository)
      .list('logout-rp');
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2, last_status: 200 });
    const history = await t.suite.apps.identity
      .get(BackchannelDeliveryRepository)
      .attempts(delivery!.id);
    expect(history.map((a) => [a.attempt, a.outcome, a.http_status])).toEqual([
      [1, 'retry', 500],
      [2, 'delivered', 200],
    ]);

    // The session has ended: the next authorization request asks for the password again.
    // (A refresh token granted with offline_access outlives the session by design: OIDC
    // Core 11.)
    const next = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${rpBase}/cb`,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const again = await browser.follow(await browser.get(next.href), t.baseUrl);
    expect(again.page).toContain('name="password"');
  });

  it('marks a delivery failed and audits it once the retries run out, keeping every attempt', async () => {
    await registerRp('dead-rp', 'public');
    const deliveries = t.suite.apps.identity.get(BackchannelDeliveryRepository);
    const personId = randomUUID();
    await t.suite.apps.identity
      .get(BackchannelQueueService)
      .enqueue('dead-rp', `${rpBase}/dead`, personId, 'sid-dead');

    const deadline = Date.now() + 15_000;
    let delivery = (await deliveries.list('dead-rp'))[0];
    while (delivery?.status !== 'failed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      delivery = (await deliveries.list('dead-rp'))[0];
    }
    // The first attempt and one per configured retry (1 s, 1 s), then no more.
    expect(delivery).toMatchObject({ status: 'failed', attempts: 3, last_status: 503 });
    expect(rp.dead).toHaveLength(3);
    const history = await deliveries.attempts(delivery!.id);
    expect(history.map((a) => [a.attempt, a.outcome, a.http_status])).toEqual([
      [1, 'retry', 503],
      [2, 'retry', 503],
      [3, 'failed', 503],
    ]);

    const audit = await t.suite.apps.identity.get(AuditLog).forSubject('client:dead-rp');
    expect(audit.filter((e) => e.action === 'logout.backchannel')).toEqual([
      expect.objectContaining({
        outcome: 'failure',
        details: expect.objectContaining({ deliveryId: delivery!.id, attempts: 3 }) as unknown,
      }),
    ]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(rp.dead).toHaveLength(3);
  });

  it('introspects an opaque access token and a refresh token, and revokes them', async () => {
    const config = await demoBusinessConfig(t.ctx.publicUrls.identity);
    const { callback, verifier, state } = await signInThroughPages(
      config,
      new FormBrowser(),
      t.baseUrl,
      DEMO.business.redirectUris[0],
      {
        identifier: DEMO.citizen.username,
        password: DEMO.citizen.password,
        params: { scope: 'openid profile offline_access', prompt: 'consent' },
      },
    );
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const access = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(access).toMatchObject({
      active: true,
      client_id: DEMO.business.clientId,
      sub: tokens.claims()!.sub,
      token_type: 'Bearer',
    });
    expect(access.scope).toContain('profile');
    const refresh = await oidc.tokenIntrospection(config, tokens.refresh_token!);
    expect(refresh).toMatchObject({ active: true, client_id: DEMO.business.clientId });

    await oidc.tokenRevocation(config, tokens.access_token);
    expect(await oidc.tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });
    await expect(
      oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub),
    ).rejects.toBeDefined();

    await oidc.tokenRevocation(config, tokens.refresh_token!);
    expect(await oidc.tokenIntrospection(config, tokens.refresh_token!)).toEqual({
      active: false,
    });
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('does not introspect another client’s token', async () => {
    const other = await registerRp('nosy-rp', 'public');
    const business = await demoBusinessConfig(t.ctx.publicUrls.identity);
    const own = await signIn(other, new FormBrowser());
    expect(await oidc.tokenIntrospection(business, own.access_token)).toEqual({ active: false });
  });
});
