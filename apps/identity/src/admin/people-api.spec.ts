import * as oidc from 'openid-client';
import { AuditLog } from '#audit';
import { residentIdCheckDigit } from '#common';
import { startTestSuite, type TestSuite } from '../../../../test/support/test-suite.js';
import { AccountService } from '../accounts/account.service.js';
import { DEMO } from '../bootstrap/demo-data.js';
import { ClientRegistryService } from '../clients/client-registry.service.js';
import { FormBrowser, formOf } from '../testing/browser.js';
import { signInThroughPages } from '../testing/relying-party.js';

type Json = Record<string, unknown>;

describe('the admin API corrects people and resets their passwords', () => {
  let t: TestSuite;
  let token: string;
  let config: oidc.Configuration;

  async function api(method: string, path: string, body?: unknown) {
    const res = await fetch(t.url('identity', `/admin/v1${path}`), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Json };
  }

  /** Signs in through the pages; the browser, or the error the sign-in ended with. */
  async function signIn(identifier: string, password: string, browser = new FormBrowser()) {
    const r = await signInThroughPages(config, browser, t.baseUrl, DEMO.business.redirectUris[0], {
      identifier,
      password,
      params: { scope: 'openid offline_access', prompt: 'consent' },
    });
    const tokens = await oidc.authorizationCodeGrant(config, r.callback, {
      pkceCodeVerifier: r.verifier,
      expectedState: r.state,
    });
    return { browser, tokens };
  }

  /** The answer to one sign-in attempt (the login form posted once), and its browser. */
  async function postLogin(identifier: string, password: string) {
    const browser = new FormBrowser();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: DEMO.business.redirectUris[0],
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const login = await browser.follow(await browser.get(url.href), t.baseUrl);
    const form = formOf(login.page!, '/login');
    const res = await browser.post(new URL(form.action, t.baseUrl).href, {
      ...form.fields,
      identifier,
      password,
    });
    return { status: res.status, page: await res.text(), browser };
  }

  beforeAll(async () => {
    t = await startTestSuite({ DEMO_DATA: 'true' });
    const issuer = new URL(t.ctx.publicUrls.identity);
    const registry = t.suite.apps.identity.get(ClientRegistryService);
    const { clientSecret } = await registry.register(
      {
        clientId: 'people-tool',
        name: 'people-tool',
        firstParty: true,
        metadata: {
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          scope: 'identity:admin',
        },
      },
      'test',
    );
    await t.suite.apps.identity
      .get(AccountService)
      .assignRole(
        { principalType: 'client', principalId: 'people-tool', role: 'identity:admin', unit: '*' },
        'test',
      );
    const tool = await oidc.discovery(
      issuer,
      'people-tool',
      undefined,
      oidc.ClientSecretBasic(clientSecret!),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    token = (
      await oidc.clientCredentialsGrant(tool, {
        scope: 'identity:admin',
        resource: t.ctx.publicUrls.identity,
      })
    ).access_token;
    config = await oidc.discovery(
      issuer,
      DEMO.business.clientId,
      undefined,
      oidc.ClientSecretBasic(DEMO.business.secret),
      { execute: [oidc.allowInsecureRequests] },
    );
  });
  afterAll(() => t.stop());

  it('corrects a name, mobile number and email, and refuses to change an ID number', async () => {
    const first17 = '32010219850505123';
    const created = await api('POST', '/people', {
      name: '陈一',
      username: 'chenyi',
      idNumber: first17 + residentIdCheckDigit(first17),
      phone: '13700137001',
      password: 'Chenyi#2024demo',
    });
    const id = created.body.id as string;

    const patched = await api('PATCH', `/people/${id}`, {
      name: '陈壹',
      phone: '13700137999',
      email: 'chen@example.cn',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: '陈壹',
      phone: '137****7999',
      email: 'chen@example.cn',
    });
    // The new number signs in; the old one names no account any more.
    await expect(signIn('13700137999', 'Chenyi#2024demo')).resolves.toBeDefined();
    expect((await postLogin('13700137001', 'Chenyi#2024demo')).page).toContain('账号或密码错误');

    const taken = await api('PATCH', `/people/${id}`, { phone: DEMO.citizen.phone });
    expect([taken.status, taken.body.code]).toEqual([409, 'AccountExists']);
    const badPhone = await api('PATCH', `/people/${id}`, { phone: '12345' });
    expect(badPhone.body.code).toBe('InvalidPhone');
    const idChange = await api('PATCH', `/people/${id}`, { idNumber: DEMO.citizen.idNumber });
    expect([idChange.status, idChange.body.code]).toEqual([400, 'IdNumberImmutable']);
    expect((await api('GET', `/people/${id}`)).body.idNumber).toBe(created.body.idNumber);

    const audit = await t.suite.apps.identity.get(AuditLog).forSubject(`person:${id}`);
    const updates = audit.filter((e) => e.action === 'person.updated');
    expect(updates.map((e) => e.details)).toEqual([{ fields: ['name', 'phone', 'email'] }]);
    expect(JSON.stringify(updates)).not.toContain('13700137999');
  });

  it('resets a password to a temporary one shown once, ends the old sessions, and the next sign-in makes the person choose a new one', async () => {
    const created = await api('POST', '/people', {
      name: '林二',
      username: 'liner',
      password: 'Liner#2024demo',
    });
    const id = created.body.id as string;
    const before = await signIn('liner', 'Liner#2024demo');

    const reset = await api('POST', `/people/${id}/password-reset`);
    expect(reset.status).toBe(201);
    const temporary = reset.body.temporaryPassword as string;
    expect(temporary).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(new Date(reset.body.expiresAt as string).getTime()).toBeGreaterThan(Date.now());
    expect(JSON.stringify((await api('GET', `/people/${id}`)).body)).not.toContain(temporary);

    // The old password and the refresh token of the old sign-in no longer work.
    await expect(
      oidc.refreshTokenGrant(config, before.tokens.refresh_token!),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await postLogin('liner', 'Liner#2024demo')).page).toContain('账号或密码错误');

    // The sign-in with it asks for a new password (twice, the creation policy) and goes on.
    const login = await postLogin('liner', temporary);
    expect(login.status).toBe(200);
    expect(login.page).toContain('您使用的是管理员设置的临时密码');
    const form = formOf(login.page, '/password');
    const differ = await login.browser.post(new URL(form.action, t.baseUrl).href, {
      ...form.fields,
      newPassword: 'Liner#2025chosen',
      newPasswordAgain: 'Liner#2025other',
    });
    expect(differ.status).toBe(400);
    const short = await login.browser.post(new URL(form.action, t.baseUrl).href, {
      ...form.fields,
      newPassword: 'short',
      newPasswordAgain: 'short',
    });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('新密码至少需要 10 个字符');
    const set = await login.browser.post(new URL(form.action, t.baseUrl).href, {
      ...form.fields,
      newPassword: 'Liner#2025chosen',
      newPasswordAgain: 'Liner#2025chosen',
    });
    expect(set.status).toBe(303);
    // The temporary password is spent; the chosen one signs in with no page in between.
    expect((await postLogin('liner', temporary)).page).toContain('账号或密码错误');
    await expect(signIn('liner', 'Liner#2025chosen')).resolves.toBeDefined();

    const actions = (await t.suite.apps.identity.get(AuditLog).forSubject(`person:${id}`)).map(
      (e) => [e.action, e.actor],
    );
    expect(actions).toContainEqual(['person.password_reset', 'people-tool']);
    expect(actions).toContainEqual(['person.password_changed', id]);
  });

  it('refuses a temporary password once it has expired', async () => {
    const created = await api('POST', '/people', {
      name: '黄三',
      username: 'huangsan',
      password: 'Huangsan#2024demo',
    });
    const id = created.body.id as string;
    const temporary = (await api('POST', `/people/${id}/password-reset`)).body
      .temporaryPassword as string;
    const people = t.suite.apps.identity.get(AccountService).people;
    await people.db.transaction((m) =>
      people.update(m, id, { password_expires_at: new Date(Date.now() - 1000) }),
    );
    expect((await postLogin('huangsan', temporary)).page).toContain('账号或密码错误');
  });

  it('answers 404 for a reset of no one', async () => {
    const res = await api('POST', `/people/${crypto.randomUUID()}/password-reset`);
    expect([res.status, res.body.code]).toEqual([404, 'PersonNotFound']);
  });
});
