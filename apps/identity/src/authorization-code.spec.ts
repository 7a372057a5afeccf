import * as oidc from 'openid-client';
import { AuditLog } from '#audit';
import { startTestSuite, type TestSuite } from '../../../test/support/test-suite.js';
import { DEMO } from './bootstrap/demo-data.js';
import { ProviderEvents } from './oidc/provider-events.js';
import { FormBrowser, formOf } from './testing/browser.js';
import { demoBusinessConfig } from './testing/relying-party.js';

const REDIRECT = DEMO.business.redirectUris[0];

describe('authorization code with PKCE through the real sign-in form', () => {
  let t: TestSuite;
  let config: oidc.Configuration;

  beforeAll(async () => {
    t = await startTestSuite({ DEMO_DATA: 'true' });
    config = await demoBusinessConfig(t.ctx.publicUrls.identity);
  });
  afterAll(() => t.stop());

  /** Signs in through the pages and returns the callback URL the RP receives. */
  async function signIn(
    browser: FormBrowser,
    params: Record<string, string>,
    password: string = DEMO.citizen.password,
  ) {
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, ...params });
    let step = await browser.follow(await browser.get(url.href), t.baseUrl);
    // A browser with a live session goes straight back to the RP (or to consent).
    if (step.location) return step;
    const login = formOf(step.page!, '/login');
    step = await browser.follow(
      await browser.post(new URL(login.action, t.baseUrl).href, {
        ...login.fields,
        identifier: DEMO.citizen.username,
        password,
      }),
      t.baseUrl,
    );
    if (step.page?.includes('/consent')) {
      const consent = formOf(step.page, '/consent');
      step = await browser.follow(
        await browser.post(new URL(consent.action, t.baseUrl).href, consent.fields),
        t.baseUrl,
      );
    }
    return step;
  }

  it('signs a citizen in, rotates the refresh token and revokes the grant when a rotated one is reused', async () => {
    const browser = new FormBrowser();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const step = await signIn(browser, {
      scope: 'openid profile idcard offline_access',
      // A client may ask for claims in the ID token (OIDC Core 5.5): the ID number stays out.
      claims: JSON.stringify({ id_token: { name: null, id_document: null } }),
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      prompt: 'consent',
    });
    expect(step.location).toContain(REDIRECT);

    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.location!), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const claims = tokens.claims()!;
    // The level reached is in the ID token (OIDC Core 2), with the methods and the time.
    expect(claims).toMatchObject({ acr: 'loa1', amr: ['pwd'] });
    expect(typeof claims.auth_time).toBe('number');
    // The ID number is released at userinfo only: an ID token travels in logout URLs.
    expect(claims.name).toBe(DEMO.citizen.name);
    expect(claims.id_document).toBeUndefined();
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info).toMatchObject({
      name: DEMO.citizen.name,
      id_document: { type: '111', number: DEMO.citizen.idNumber },
    });

    const first = tokens.refresh_token!;
    const rotated = await oidc.refreshTokenGrant(config, first);
    expect(rotated.refresh_token).not.toBe(first);
    await expect(oidc.refreshTokenGrant(config, first)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    // Reuse detection revoked the whole grant, the rotated token included (RFC 9700 4.14.2).
    await expect(oidc.refreshTokenGrant(config, rotated.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('refuses a wrong PKCE verifier and a replayed code', async () => {
    const browser = new FormBrowser();
    const verifier = oidc.randomPKCECodeVerifier();
    const step = await signIn(browser, {
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const callback = new URL(step.location!);
    await expect(
      oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });

    const second = await signIn(browser, {
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const ok = new URL(second.location!);
    await oidc.authorizationCodeGrant(config, ok, { pkceCodeVerifier: verifier });
    await expect(
      oidc.authorizationCodeGrant(config, ok, { pkceCodeVerifier: verifier }),
    ).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('asks for the password again when max_age has passed since the last sign-in', async () => {
    const browser = new FormBrowser();
    const params = async () => ({
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const first = await signIn(browser, await params());
    expect(first.location).toContain(REDIRECT);
    // Within the session no form is shown...
    const again = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      ...(await params()),
    });
    expect((await browser.follow(await browser.get(again.href), t.baseUrl)).location).toContain(
      'code=',
    );
    // ...but max_age=0 one second later asks for the password (OIDC Core 3.1.2.1).
    await new Promise((r) => setTimeout(r, 1100));
    const fresh = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      ...(await params()),
      max_age: '0',
    });
    const step = await browser.follow(await browser.get(fresh.href), t.baseUrl);
    expect(step.page).toContain('name="password"');
  });

  it('accepts a pushed authorization request (PAR, RFC 9126) and signs in through it', async () => {
    const browser = new FormBrowser();
    const verifier = oidc.randomPKCECodeVerifier();
    const url = await oidc.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    expect(url.searchParams.get('scope')).toBeNull();
    let step = await browser.follow(await browser.get(url.href), t.baseUrl);
    const login = formOf(step.page!, '/login');
    step = await browser.follow(
      await browser.post(new URL(login.action, t.baseUrl).href, {
        ...login.fields,
        identifier: DEMO.citizen.username,
        password: DEMO.citizen.password,
      }),
      t.baseUrl,
    );
    if (step.page?.includes('/consent')) {
      const consent = formOf(step.page, '/consent');
      step = await browser.follow(
        await browser.post(new URL(consent.action, t.baseUrl).href, consent.fields),
        t.baseUrl,
      );
    }
    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.location!), {
      pkceCodeVerifier: verifier,
    });
    expect(tokens.claims()!.acr).toBe('loa1');
  });

  it('refuses an authorization request without PKCE or with an unregistered redirect URI', async () => {
    const browser = new FormBrowser();
    const noPkce = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid' });
    const a = await browser.follow(await browser.get(noPkce.href), t.baseUrl);
    expect(a.location).toContain('error=invalid_request');

    const evil = oidc.buildAuthorizationUrl(config, {
      redirect_uri: 'https://evil.example/cb',
      scope: 'openid',
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'S256',
    });
    const b = await browser.follow(await browser.get(evil.href), t.baseUrl);
    expect(b.location).toBeUndefined();
    expect(b.page).toContain('redirect_uri');
  });

  it('answers a wrong password with the same message as an unknown account, then locks', async () => {
    const browser = new FormBrowser();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const page = (await browser.follow(await browser.get(url.href), t.baseUrl)).page!;
    const login = formOf(page, '/login');
    const action = new URL(login.action, t.baseUrl).href;
    const wrong = await browser.post(action, {
      ...login.fields,
      identifier: DEMO.officer.username,
      password: 'nope',
    });
    const unknown = await browser.post(action, {
      ...login.fields,
      identifier: 'nobody-here',
      password: 'nope',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const wrongText = (await wrong.text()).replace(/value="[^"]*"/g, '');
    const unknownText = (await unknown.text()).replace(/value="[^"]*"/g, '');
    expect(wrongText).toBe(unknownText);
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await browser.post(action, {
        ...login.fields,
        identifier: DEMO.officer.username,
        password: 'nope',
      });
    }
    expect(last!.status).toBe(429);
    // Locked even with the right password, with a clear message.
    const locked = await browser.post(action, {
      ...login.fields,
      identifier: DEMO.officer.username,
      password: DEMO.officer.password,
    });
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain('锁定');
  });

  it('audits the password sign-in and the consent in the chain once the queued events are written', async () => {
    const audit = t.suite.apps.identity.get(AuditLog);
    const client = `client:${DEMO.business.clientId}`;
    // Entries earlier tests queued are written first, so that only this sign-in's are counted.
    await t.suite.apps.identity.get(ProviderEvents).flushEvents();
    const before = (await audit.forSubject(client, 10_000)).length;
    const step = await signIn(new FormBrowser(), {
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      prompt: 'consent',
    });
    expect(step.location).toContain(REDIRECT);

    await t.suite.apps.identity.get(ProviderEvents).flushEvents();
    const consents = (await audit.forSubject(client, 10_000))
      .slice(before)
      .filter((e) => e.action === 'consent.granted');
    expect(consents).toHaveLength(1);
    expect(consents[0]!.details).toMatchObject({ grantId: expect.any(String) });
    const person = await audit.forSubject(`person:${consents[0]!.actor}`, 10_000);
    expect(person.map((e) => [e.action, e.outcome])).toContainEqual(['signin.password', 'success']);
    expect((await audit.verifyChain()).ok).toBe(true);
  });
});
