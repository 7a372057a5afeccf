import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createSuiteContext, type SuiteContext } from '#common';
import { AccessTokenVerifier } from './jwt-bearer.strategy.js';

/** A signing key of the stand-in identity: its private half and its published JWK. */
async function signingKey(kid: string): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

/**
 * The verifier fetches identity's JWKS over HTTP, caches it, and fetches it again when a
 * token names a key it has not seen (a rotation), no sooner than its 30 s cooldown. The
 * JWKS is served by a small HTTP server with keys made by jose; only Date is frozen, so that
 * the cooldown passes without waiting for it.
 */
describe('the access-token verifier and identity’s JWKS over HTTP', () => {
  let server: Server;
  let published: JWK[] = [];
  let fetches = 0;
  let ctx: SuiteContext;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url !== '/identity/jwks') return void res.writeHead(404).end();
      fetches++;
      res.writeHead(200, { 'content-type': 'application/jwk-set+json' });
      res.end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    ctx = createSuiteContext('e-seal', {
      MASTER_KEY: 'ef'.repeat(32),
      LOG_LEVEL: 'silent',
      IDENTITY_URL: `http://127.0.0.1:${port}/identity`,
    });
    jest.useFakeTimers({
      now: Date.now(),
      doNotFake: [
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
      ],
    });
  });
  afterAll(async () => {
    jest.useRealTimers();
    await new Promise((r) => server.close(r));
  });

  const tokenSignedBy = (key: { privateKey: CryptoKey; jwk: JWK }) =>
    new SignJWT({ client_id: 'svc-x', scope: 'seal:read', roles: [] })
      .setProtectedHeader({ alg: 'ES256', kid: key.jwk.kid, typ: 'at+jwt' })
      .setSubject('svc-x')
      .setIssuer(ctx.publicUrls.identity)
      .setAudience(ctx.publicUrls['e-seal'])
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key.privateKey);

  it('fetches the key set once, then refetches it for a key it has not seen', async () => {
    const verifier = new AccessTokenVerifier(ctx, 'e-seal');
    const first = await signingKey('key-1');
    const second = await signingKey('key-2');
    published = [first.jwk];

    await expect(verifier.verify(`Bearer ${await tokenSignedBy(first)}`)).resolves.toMatchObject({
      sub: 'svc-x',
    });
    await verifier.verify(`Bearer ${await tokenSignedBy(first)}`);
    expect(fetches).toBe(1);

    // Identity rotates: key-2 is published and signs. Within the cooldown it is not refetched.
    published = [second.jwk, first.jwk];
    const rotated = `Bearer ${await tokenSignedBy(second)}`;
    await expect(verifier.verify(rotated)).rejects.toMatchObject({ code: 'TokenInvalid' });
    expect(fetches).toBe(1);

    jest.setSystemTime(Date.now() + 31_000);
    await expect(verifier.verify(rotated)).resolves.toMatchObject({ sub: 'svc-x' });
    expect(fetches).toBe(2);
    // The old key is still in the refetched set: its tokens keep verifying, with no fetch.
    await verifier.verify(`Bearer ${await tokenSignedBy(first)}`);
    expect(fetches).toBe(2);
  });
});
