import { exportJWK, generateKeyPair } from 'jose';
import * as oidc from 'openid-client';
import { generate } from 'otplib';
import { AuditLog } from '#audit';
import { completeUscc, residentIdCheckDigit } from '#common';
import { startTestSuite, type TestSuite } from '../../../../test/support/test-suite.js';
import { AccountService } from '../accounts/account.service.js';
import { DEMO } from '../bootstrap/demo-data.js';
import { ClientRegistryService } from '../clients/client-registry.service.js';
import { FormBrowser } from '../testing/browser.js';
import { signInThroughPages } from '../testing/relying-party.js';

type Json = Record<string, unknown>;

describe('the admin API /identity/admin/v1', () => {
  let t: TestSuite;
  let adminToken: string;
  let issuer: URL;

  /** A client-credentials tool holding identity:admin, set up the way an operator would. */
  async function toolToken(clientId: string, withRole: boolean): Promise<string> {
    const registry = t.suite.apps.identity.get(ClientRegistryService);
    const { clientSecret } = await registry.register(
      {
        clientId,
        name: clientId,
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
    if (withRole) {
      await t.suite.apps.identity
        .get(AccountService)
        .assignRole(
          { principalType: 'client', principalId: clientId, role: 'identity:admin', unit: '*' },
          'test',
        );
    }
    const config = await oidc.discovery(
      issuer,
      clientId,
      undefined,
      oidc.ClientSecretBasic(clientSecret!),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    return (
      await oidc.clientCredentialsGrant(config, {
        scope: 'identity:admin',
        resource: t.ctx.publicUrls.identity,
      })
    ).access_token;
  }

  async function api(method: string, path: string, body?: unknown, token = adminToken) {
    const res = await fetch(t.url('identity', `/admin/v1${path}`), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Json & Json[] };
  }

  beforeAll(async () => {
    t = await startTestSuite({ DEMO_DATA: 'true' });
    issuer = new URL(t.ctx.publicUrls.identity);
    adminToken = await toolToken('admin-tool', true);
  });
  afterAll(() => t.stop());

  it('refuses a caller with the scope but without the identity:admin role, and one without a token', async () => {
    const token = await toolToken('not-admin', false);
    const res = await api('GET', '/clients', undefined, token);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('RoleRequired');
    expect((await fetch(t.url('identity', '/admin/v1/clients'))).status).toBe(401);
  });

  it('registers a business system whose secret is shown once, works, and is audited', async () => {
    const created = await api('POST', '/clients', {
      clientId: 'tax-portal',
      name: '电子税务局',
      grantTypes: ['client_credentials'],
      scopes: ['license:read'],
    });
    expect(created.status).toBe(201);
    const secret = created.body.clientSecret as string;
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    const fetched = await api('GET', '/clients/tax-portal');
    expect(JSON.stringify(fetched.body)).not.toContain(secret);

    const config = await oidc.discovery(
      issuer,
      'tax-portal',
      undefined,
      oidc.ClientSecretBasic(secret),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    const token = await oidc.clientCredentialsGrant(config, {
      scope: 'license:read',
      resource: t.ctx.publicUrls['e-license'],
    });
    expect(token.access_token.split('.')).toHaveLength(3);

    // A new secret replaces the old one at once.
    const rotated = await api('POST', '/clients/tax-portal/secret');
    expect(rotated.body.clientSecret).not.toBe(secret);
    const old = await fetch(t.url('identity', '/token'), {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`tax-portal:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials&scope=license:read',
    });
    expect(old.status).toBe(401);
    expect(await old.json()).toMatchObject({ error: 'invalid_client' });

    const trail = await t.suite.apps.identity.get(AuditLog).forSubject('client:tax-portal');
    expect(trail.map((e) => e.action)).toEqual(
      expect.arrayContaining(['client.registered', 'client.secret_rotated']),
    );
    expect(JSON.stringify(trail)).not.toContain(secret);
  });

  it("carries a client's roles in its tokens and drops a removed role from the next token", async () => {
    const created = await api('POST', '/clients', {
      clientId: 'role-watch',
      name: '角色测试',
      grantTypes: ['client_credentials'],
      scopes: ['license:read'],
    });
    const config = await oidc.discovery(
      issuer,
      'role-watch',
      undefined,
      oidc.ClientSecretBasic(created.body.clientSecret as string),
      { execute: [oidc.allowInsecureRequests] },
    );
    const roles = async () => {
      const { access_token } = await oidc.clientCredentialsGrant(config, {
        scope: 'license:read',
        resource: t.ctx.publicUrls['e-license'],
      });
      const payload = JSON.parse(Buffer.from(access_token.split('.')[1], 'base64url').toString());
      return payload.roles as { role: string; unit: string }[];
    };
    expect(await roles()).toEqual([]);
    const assigned = await api('POST', '/roles', {
      principalType: 'client',
      principalId: 'role-watch',
      role: 'license:read',
      unit: '*',
    });
    expect(assigned.status).toBe(201);
    // Tokens just issued did not make the new role wait for a cache to expire.
    expect(await roles()).toEqual([{ role: 'license:read', unit: '*' }]);
    expect(await roles()).toEqual([{ role: 'license:read', unit: '*' }]);
    expect((await api('DELETE', `/roles/${String(assigned.body.id)}`)).status).toBe(204);
    expect(await roles()).toEqual([]);
  });

  it('registers a private_key_jwt business system and accepts its signed client assertion', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    const created = await api('POST', '/clients', {
      clientId: 'pkjwt-system',
      name: 'Key-holding system',
      grantTypes: ['client_credentials'],
      scopes: ['archive:ingest'],
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: { keys: [jwk] },
    });
    expect(created.status).toBe(201);
    expect(created.body.clientSecret).toBeUndefined();
    const config = await oidc.discovery(
      issuer,
      'pkjwt-system',
      undefined,
      oidc.PrivateKeyJwt({ key: privateKey, kid: 'k1' }),
      { execute: [oidc.allowInsecureRequests] },
    );
    const token = await oidc.clientCredentialsGrant(config, {
      scope: 'archive:ingest',
      resource: t.ctx.publicUrls['e-archive'],
    });
    expect(token.access_token.split('.')).toHaveLength(3);
  });

  it('refuses bad client metadata with a problem and registers nothing', async () => {
    const res = await api('POST', '/clients', {
      clientId: 'bad-one',
      name: 'Bad',
      redirectUris: ['not a url'],
    });
    expect(res.status).toBe(400);
    expect((await api('GET', '/clients/bad-one')).status).toBe(404);
  });

  it('refuses names shown to people (consent page, account page) that hide or reorder text', async () => {
    // U+202E makes "evil" read backwards on the consent page; a blank name shows nothing.
    for (const name of ['\u202eLIVE latrop', '\u200b', '', '  ', 'a\u0007b']) {
      const client = await api('POST', '/clients', {
        clientId: 'spoof-one',
        name,
        redirectUris: ['https://spoof.example/cb'],
        grantTypes: ['authorization_code'],
        scopes: ['openid'],
      });
      expect(client.status).toBe(400);
      expect(client.body.code).toBe('ValidationFailed');
      const person = await api('POST', '/people', { name });
      expect(person.status).toBe(400);
      const org = await api('POST', '/organisations', {
        uscc: '91110105MA0000007L',
        name,
        legalRepresentativeName: name,
      });
      expect(org.status).toBe(400);
      expect((org.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
        'legalRepresentativeName',
        'name',
      ]);
    }
    expect((await api('GET', '/clients/spoof-one')).status).toBe(404);
  });

  it('creates people, lists them with ID and phone numbers masked, and refuses a wrong check digit', async () => {
    const idNumber = '11010119800101003' + residentIdCheckDigit('11010119800101003');
    const created = await api('POST', '/people', {
      name: '周九',
      username: 'zhoujiu',
      idType: '111',
      idNumber,
      phone: '13700137000',
      password: 'Zhoujiu#2024',
    });
    expect(created.status).toBe(201);
    const list = await api('GET', '/people?limit=200');
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(idNumber);
    expect(text).not.toContain('13700137000');
    expect(list.body.find((p) => p.username === 'zhoujiu')).toMatchObject({
      idNumber: `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`,
      phone: '137****7000',
    });

    const wrongDigit = idNumber.slice(0, 17) + (idNumber.endsWith('1') ? '2' : '1');
    const bad = await api('POST', '/people', { name: '错', idType: '111', idNumber: wrongDigit });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('InvalidIdNumber');
  });

  it('registers an organisation only with a valid unified social credit code', async () => {
    const uscc = completeUscc('91440300MA000001');
    expect(
      (
        await api('POST', '/organisations', {
          uscc,
          name: '深圳示例',
          legalRepresentativeName: '甲',
        })
      ).status,
    ).toBe(201);
    const broken = uscc.slice(0, 17) + (uscc.endsWith('0') ? '1' : '0');
    const bad = await api('POST', '/organisations', {
      uscc: broken,
      name: 'X',
      legalRepresentativeName: '乙',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('InvalidUscc');
  });

  it('registers the legal representative by ID number, answered masked, and refuses a person whose number differs', async () => {
    const first17 = '44010619750505678';
    const idNumber = first17 + residentIdCheckDigit(first17);
    const created = await api('POST', '/organisations', {
      uscc: completeUscc('91440106MA000004'),
      name: '广州示例',
      legalRepresentativeName: '丁',
      legalRepresentativeIdNumber: idNumber,
    });
    expect(created.status).toBe(201);
    expect(created.body.legalRepresentativeIdNumber).toBe(
      `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`,
    );
    expect(JSON.stringify(created.body)).not.toContain(idNumber);

    const person = await api('POST', '/people', { name: '戊', username: 'wuwu', idNumber });
    const other = '44010619750505679';
    const mismatch = await api('POST', '/organisations', {
      uscc: completeUscc('91440106MA000005'),
      name: '广州示例二',
      legalRepresentativeName: '戊',
      legalRepresentativeId: person.body.id,
      legalRepresentativeIdNumber: other + residentIdCheckDigit(other),
    });
    expect([mismatch.status, mismatch.body.code]).toEqual([400, 'InvalidIdNumber']);
  });

  it('limits an agent authorised for named matters to them, and ends the agency when revoked', async () => {
    const person = await api('POST', '/people', {
      name: '吴十',
      username: 'wushi',
      password: 'Wushi#2024demo',
    });
    const uscc = completeUscc('91310000MA000002');
    const org = await api('POST', '/organisations', {
      uscc,
      name: '上海示例',
      legalRepresentativeName: '丙',
    });
    const orgId = org.body.id as string;
    const until = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
    const agent = await api('POST', `/organisations/${orgId}/agents`, {
      personId: person.body.id,
      matters: ['seal:apply'],
      validUntil: until,
    });
    expect(agent.status).toBe(201);
    for (const role of ['seal:apply', 'seal:manage']) {
      const r = await api('POST', '/roles', {
        principalType: 'person',
        principalId: person.body.id,
        role,
        unit: uscc,
        organisationId: orgId,
      });
      expect(r.status).toBe(201);
    }
    const badUnit = await api('POST', '/roles', {
      principalType: 'person',
      principalId: person.body.id,
      role: 'seal:apply',
      unit: 'J001',
    });
    expect(badUnit.body.code).toBe('InvalidUnit');

    const config = await oidc.discovery(
      issuer,
      DEMO.business.clientId,
      undefined,
      oidc.ClientSecretBasic(DEMO.business.secret),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    const r = await signInThroughPages(
      config,
      new FormBrowser(),
      t.baseUrl,
      DEMO.business.redirectUris[0],
      {
        identifier: 'wushi',
        password: 'Wushi#2024demo',
        params: {
          scope: 'openid offline_access seal:apply seal:manage',
          prompt: 'consent',
          resource: t.ctx.publicUrls['e-seal'],
        },
        actFor: uscc,
      },
    );
    const tokens = await oidc.authorizationCodeGrant(config, r.callback, {
      pkceCodeVerifier: r.verifier,
      expectedState: r.state,
    });
    const claims = (jwt: string) =>
      JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Json;
    expect(claims(tokens.access_token)).toMatchObject({
      org: { uscc, name: '上海示例' },
      roles: [{ role: 'seal:apply', unit: uscc }],
    });

    expect(
      (await api('DELETE', `/organisations/${orgId}/agents/${agent.body.id as string}`)).status,
    ).toBe(204);
    const after = await oidc.refreshTokenGrant(config, tokens.refresh_token!, {
      resource: t.ctx.publicUrls['e-seal'],
    });
    expect(claims(after.access_token).org).toBeUndefined();
    expect(claims(after.access_token).roles).toEqual([]);
  });

  it('enrols a TOTP second factor that the sign-in then asks for', async () => {
    const person = await api('POST', '/people', {
      name: '郑十一',
      username: 'zheng11',
      password: 'Zheng#2024demo',
    });
    const enrolled = await api('POST', `/people/${person.body.id as string}/totp`);
    expect(enrolled.status).toBe(201);
    expect(enrolled.body.uri).toMatch(/^otpauth:\/\/totp\//);
    expect(enrolled.body.recoveryCodes).toHaveLength(10);
    const config = await oidc.discovery(
      issuer,
      DEMO.business.clientId,
      undefined,
      oidc.ClientSecretBasic(DEMO.business.secret),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    let asked = false;
    const r = await signInThroughPages(
      config,
      new FormBrowser(),
      t.baseUrl,
      DEMO.business.redirectUris[0],
      {
        identifier: 'zheng11',
        password: 'Zheng#2024demo',
        params: { scope: 'openid' },
        secondFactor: () => {
          asked = true;
          return generate({ secret: enrolled.body.secret as string });
        },
      },
    );
    const tokens = await oidc.authorizationCodeGrant(config, r.callback, {
      pkceCodeVerifier: r.verifier,
      expectedState: r.state,
    });
    expect(asked).toBe(true);
    expect(tokens.claims()!.acr).toBe('loa2');
  });

  it('rotates a signing key: the next key signs and a new next key is published', async () => {
    const before = (await api('GET', '/keys')).body.filter((k) => k.alg === 'ES256');
    const next = before.find((k) => k.state === 'next')!;
    const rotated = await api('POST', '/keys/rotation', { alg: 'ES256' });
    expect(rotated.status).toBe(201);
    expect(rotated.body.activeKid).toBe(next.kid);
    const jwks = (await (await fetch(`${t.ctx.publicUrls.identity}/jwks`)).json()) as {
      keys: Json[];
    };
    const kids = jwks.keys.map((k) => k.kid);
    expect(kids).toEqual(
      expect.arrayContaining([next.kid, rotated.body.nextKid, ...before.map((k) => k.kid)]),
    );
  });
});
