import { Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createServiceApp, createSuiteContext, type SuiteContext } from '#common';
import { AuthModule } from './auth.module.js';
import { hasRole, type Caller } from './caller.js';
import { CurrentCaller, RequireRole, RequireScopes } from './decorators.js';
import { TestTokenIssuer } from './testing/test-token-issuer.js';

@Controller('things')
class ThingsController {
  @Get()
  @RequireScopes('thing:read')
  list(@CurrentCaller() caller: Caller) {
    return { sub: caller.sub, kind: caller.kind, canIssue: hasRole(caller, 'thing:issue', 'U1') };
  }

  @Post()
  @HttpCode(200)
  @RequireRole('thing:issue', (req) => (req.body as { unit?: unknown } | undefined)?.unit)
  issue(@CurrentCaller() caller: Caller) {
    return { issuedBy: caller.sub };
  }
}

@Module({ imports: [AuthModule.forResource('e-seal')], controllers: [ThingsController] })
class ThingsModule {}

describe('a resource server guarded by libs/auth', () => {
  let ctx: SuiteContext;
  let issuer: TestTokenIssuer;
  let app: NestExpressApplication;
  let base: string;

  beforeAll(async () => {
    ctx = createSuiteContext('e-seal', { MASTER_KEY: 'cd'.repeat(32), LOG_LEVEL: 'silent' });
    issuer = await TestTokenIssuer.create();
    ctx.authKeys = issuer.keys;
    app = await createServiceApp({
      name: 'e-seal',
      context: ctx,
      module: ThingsModule,
      openApi: { title: 't', description: 'd' },
    });
    await app.listen(0, '127.0.0.1');
    base = `${await app.getUrl()}/e-seal/things`;
  });

  afterAll(() => app.close());

  const get = (token?: string) =>
    fetch(base, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('lets a token with the scope through and exposes the caller with roles', async () => {
    const token = await issuer.token(ctx, 'e-seal', {
      sub: 'person-1',
      clientId: 'app',
      scopes: ['thing:read'],
      roles: [{ role: 'thing:issue', unit: 'U1' }],
    });
    const res = await get(token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'person-1', kind: 'person', canIssue: true });
  });

  it('refuses a request without a token with 401 and a WWW-Authenticate challenge', async () => {
    const res = await get();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await res.json()) as { code: string }).code).toBe('TokenMissing');
  });

  it('refuses a token for another audience', async () => {
    const token = await issuer.token(ctx, 'e-license', { sub: 'p', scopes: ['thing:read'] });
    const res = await get(token);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('TokenInvalid');
  });

  it('refuses an expired token with TokenExpired', async () => {
    const token = await issuer.token(ctx, 'e-seal', {
      sub: 'p',
      scopes: ['thing:read'],
      expiresIn: '-1m',
    });
    const res = await get(token);
    expect(((await res.json()) as { code: string }).code).toBe('TokenExpired');
  });

  it('refuses a token without the scope with 403 InsufficientScope', async () => {
    const token = await issuer.token(ctx, 'e-seal', { sub: 'p', scopes: ['other'] });
    const res = await get(token);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('insufficient_scope');
  });

  it('refuses a token signed by an unknown key', async () => {
    const stranger = await TestTokenIssuer.create();
    const token = await stranger.token(ctx, 'e-seal', { sub: 'p', scopes: ['thing:read'] });
    expect((await get(token)).status).toBe(401);
  });

  describe('@RequireRole for the unit the request names', () => {
    const post = (token: string, body: unknown) =>
      fetch(base, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const issuerOf = (roles: { role: string; unit: string }[], scopes = ['thing:issue']) =>
      issuer.token(ctx, 'e-seal', { sub: 'person-2', scopes, roles });

    it('lets the caller through for a unit they hold the role for', async () => {
      const token = await issuerOf([{ role: 'thing:issue', unit: 'U1' }]);
      const res = await post(token, { unit: 'U1' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ issuedBy: 'person-2' });
    });

    it('refuses another unit with 403 RoleRequired', async () => {
      const token = await issuerOf([{ role: 'thing:issue', unit: 'U1' }]);
      const res = await post(token, { unit: 'U2' });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'RoleRequired', role: 'thing:issue' });
    });

    it('lets a role held for every unit (*) through for any unit', async () => {
      const token = await issuerOf([{ role: 'thing:issue', unit: '*' }]);
      expect((await post(token, { unit: 'U9' })).status).toBe(200);
    });

    it('refuses a request that names no unit with 400 UnitMissing', async () => {
      const token = await issuerOf([{ role: 'thing:issue', unit: '*' }]);
      const res = await post(token, {});
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('UnitMissing');
    });

    it('refuses a token without the scope even when the role is in it', async () => {
      const token = await issuerOf([{ role: 'thing:issue', unit: 'U1' }], ['thing:read']);
      const res = await post(token, { unit: 'U1' });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe('InsufficientScope');
    });
  });
});
