import { Controller, Get, Module } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import * as oidc from 'openid-client';
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT } from 'jose';
import { AuthModule, CurrentCaller, RequireScopes, serviceClientSecret, type Caller } from '#auth';
import { createServiceApp, createSuiteContext } from '#common';
import { startTestSuite, type TestSuite } from '../../../test/support/test-suite.js';
import { KeyStoreService } from './keys/key-store.service.js';
import { ProviderHost } from './oidc/provider-host.service.js';
import { demoBusinessConfig } from './testing/relying-party.js';

@Controller('probe')
class ProbeController {
  @Get()
  @RequireScopes('seal:apply')
  probe(@CurrentCaller() caller: Caller) {
    return { sub: caller.sub, roles: caller.roles };
  }
}

@Module({ imports: [AuthModule.forResource('e-seal')], controllers: [ProbeController] })
class ProbeModule {}

/**
 * A resource server of its own (libs/auth, as every service uses it) in front of the real
 * identity service: identity's JWKS, no test keys.
 */
describe('a resource server trusting identity’s real keys', () => {
  let t: TestSuite;
  let app: NestExpressApplication;
  let probe: string;
  let config: oidc.Configuration;

  beforeAll(async () => {
    t = await startTestSuite({ DEMO_DATA: 'true' });
    const ctx = createSuiteContext('e-seal', {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      MASTER_KEY: 'ab'.repeat(32),
      PUBLIC_URL: t.baseUrl,
      IDENTITY_URL: t.ctx.publicUrls.identity,
    });
    app = await createServiceApp({
      name: 'e-seal',
      context: ctx,
      module: ProbeModule,
      openApi: { title: 'probe', description: 'probe' },
    });
    await app.listen(0, '127.0.0.1');
    probe = `${await app.getUrl()}/e-seal/probe`;
    config = await demoBusinessConfig(t.ctx.publicUrls.identity);
  });
  afterAll(async () => {
    await app.close();
    await t.stop();
  });

  const call = (token: string) =>
    fetch(probe, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as Record<string, unknown>,
    }));

  const tokenFor = async (service: 'e-seal' | 'e-license', scope: string) =>
    (await oidc.clientCredentialsGrant(config, { scope, resource: t.ctx.publicUrls[service] }))
      .access_token;

  it('accepts a token identity issued for it', async () => {
    const svc = await oidc.discovery(
      new URL(t.ctx.publicUrls.identity),
      'svc-e-license',
      undefined,
      oidc.ClientSecretBasic(serviceClientSecret(t.ctx, 'e-license')),
      { execute: [oidc.allowInsecureRequests] },
    );
    const token = (
      await oidc.clientCredentialsGrant(svc, {
        scope: 'seal:apply',
        resource: t.ctx.publicUrls['e-seal'],
      })
    ).access_token;
    expect(await call(token)).toEqual({
      status: 200,
      body: { sub: 'svc-e-license', roles: [{ role: 'seal:apply', unit: '*' }] },
    });
  });

  it('refuses a token identity issued for another audience', async () => {
    const token = await tokenFor('e-license', 'license:read');
    const res = await call(token);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TokenInvalid');
  });

  it('refuses an expired token signed with identity’s own key', async () => {
    // The same claims as a real token, signed by the real active key, but expired a minute ago.
    const real = await tokenFor('e-license', 'license:read');
    const { kid } = decodeProtectedHeader(real);
    const keys = await t.suite.apps.identity.get(KeyStoreService).published();
    const jwk = keys.keys.find((k) => k.kid === kid)!;
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({
      ...decodeJwt(real),
      aud: t.ctx.publicUrls['e-seal'],
      scope: 'seal:apply',
      iat: now - 700,
      exp: now - 60,
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
      .sign(await importJWK(jwk, 'ES256'));
    const res = await call(expired);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TokenExpired');
  });

  it('keeps accepting tokens across a signing-key rotation, old and new', async () => {
    const before = await tokenFor('e-seal', 'seal:apply');
    const host = t.suite.apps.identity.get(ProviderHost);
    const { activeKid } = await t.suite.apps.identity.get(KeyStoreService).rotate('ES256');
    await host.reload();
    const after = await tokenFor('e-seal', 'seal:apply');
    expect(decodeProtectedHeader(after).kid).toBe(activeKid);
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    expect((await call(after)).status).toBe(200);
    expect((await call(before)).status).toBe(200);
  });
});
