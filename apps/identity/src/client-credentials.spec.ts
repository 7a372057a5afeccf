import { jest } from '@jest/globals';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { serviceClientSecret, ServiceTokenClient } from '#auth';
import { startTestSuite, type TestSuite } from '../../../test/support/test-suite.js';

const REAL_TIMERS = [
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'clearImmediate',
  'nextTick',
  'queueMicrotask',
  'hrtime',
  'performance',
] as const;

describe('client credentials with JWT access tokens', () => {
  let t: TestSuite;
  beforeAll(async () => {
    t = await startTestSuite();
  });
  afterAll(() => t.stop());

  it('publishes discovery under the issuer with the suite endpoints', async () => {
    const res = await fetch(t.url('identity', '/.well-known/openid-configuration'));
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc.issuer).toBe(t.ctx.publicUrls.identity);
    expect(doc.jwks_uri).toBe(`${t.ctx.publicUrls.identity}/jwks`);
    expect(doc.code_challenge_methods_supported).toEqual(['S256']);
  });

  it('issues an RFC 9068 token for a service client with the resource as audience', async () => {
    const config = await oidc.discovery(
      new URL(t.ctx.publicUrls.identity),
      'svc-e-license',
      undefined,
      oidc.ClientSecretBasic(serviceClientSecret(t.ctx, 'e-license')),
      { execute: [oidc.allowInsecureRequests] },
    );
    const res = await oidc.clientCredentialsGrant(config, {
      scope: 'seal:apply',
      resource: t.ctx.publicUrls['e-seal'],
    });
    expect(decodeProtectedHeader(res.access_token)).toMatchObject({ typ: 'at+jwt', alg: 'ES256' });
    const jwks = createRemoteJWKSet(new URL(`${t.ctx.publicUrls.identity}/jwks`));
    const { payload } = await jwtVerify(res.access_token, jwks, {
      issuer: t.ctx.publicUrls.identity,
      audience: t.ctx.publicUrls['e-seal'],
      typ: 'at+jwt',
    });
    expect(payload).toMatchObject({
      sub: 'svc-e-license',
      client_id: 'svc-e-license',
      scope: 'seal:apply',
    });
    expect(payload.roles).toEqual([{ role: 'seal:apply', unit: '*' }]);
  });

  it('serves the other services through ServiceTokenClient with no extra configuration', async () => {
    const tokens = new ServiceTokenClient(t.ctx, 'e-license');
    const token = await tokens.getToken('e-archive', ['archive:ingest']);
    expect(token.split('.')).toHaveLength(3);
  });

  it('has ServiceTokenClient fetch a token once, share it, and fetch anew shortly before expiry', async () => {
    const tokens = new ServiceTokenClient(t.ctx, 'e-license');
    // Only Date is frozen: the client's cache reads the clock, the HTTP calls stay real.
    jest.useFakeTimers({ now: Date.now(), doNotFake: [...REAL_TIMERS] });
    try {
      const [first, ...concurrent] = await Promise.all(
        [1, 2, 3].map(() => tokens.getToken('e-archive', ['archive:ingest'])),
      );
      expect(concurrent).toEqual([first, first]);
      const { exp, iat } = decodeJwt(first!);
      expect(exp! - iat!).toBe(600);

      // Within the token's life less the 60 s margin: the cached one.
      jest.setSystemTime(Date.now() + 530_000);
      expect(await tokens.getToken('e-archive', ['archive:ingest'])).toBe(first);
      // Past it (540 s of 600): a new token from identity.
      jest.setSystemTime(Date.now() + 11_000);
      const renewed = await tokens.getToken('e-archive', ['archive:ingest']);
      expect(renewed).not.toBe(first);
      expect(decodeJwt(renewed).jti).not.toBe(decodeJwt(first!).jti);
      expect(await tokens.getToken('e-archive', ['archive:ingest'])).toBe(renewed);
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a wrong client secret', async () => {
    const res = await fetch(t.url('identity', '/token'), {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('svc-e-license:wrong').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials&scope=seal:apply',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses a scope the client is not registered for', async () => {
    const tokens = new ServiceTokenClient(t.ctx, 'e-archive');
    await expect(tokens.getToken('e-seal', ['seal:approve'])).rejects.toThrow();
  });

  it('answers a NUL character in a token, code or client id as not found, not a 500', async () => {
    const secret = serviceClientSecret(t.ctx, 'e-license');
    const post = (path: string, body: string, user = 'svc-e-license', pass = secret) =>
      fetch(t.url('identity', path), {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body,
      });
    const refresh = await post('/token', 'grant_type=refresh_token&refresh_token=a%00b');
    expect(refresh.status).toBe(400);
    const code = await post(
      '/token',
      'grant_type=authorization_code&code=a%00b&redirect_uri=http://localhost:4000/callback&code_verifier=' +
        'a'.repeat(43),
    );
    expect(code.status).toBeLessThan(500);
    const revoke = await post('/token/revocation', 'token=a%00b');
    expect(revoke.status).toBe(200);
    const introspect = await post('/token/introspection', 'token=a%00b');
    expect(introspect.status).toBe(200);
    expect(await introspect.json()).toEqual({ active: false });
    const client = await post('/token', 'grant_type=client_credentials', 'svc%00x', 'x');
    expect(client.status).toBeGreaterThanOrEqual(400);
    expect(client.status).toBeLessThan(500);
  });
});
