import * as oidc from 'openid-client';
import { AccessTokenVerifier, type Caller } from '#auth';
import type { ServiceName } from '#common';
import { startTestSuite, type TestSuite } from '../../../test/support/test-suite.js';
import { DEMO } from './bootstrap/demo-data.js';
import { FormBrowser } from './testing/browser.js';
import {
  type SignInOptions,
  demoBusinessConfig,
  signInThroughPages,
} from './testing/relying-party.js';

const REDIRECT = DEMO.business.redirectUris[0];

/**
 * The journeys the other services rely on (docs/INTEGRATION.md): each demo person signs in
 * through the real pages of the demo business system and gets an access token for one
 * resource server, checked exactly as that server checks it (libs/auth, identity's JWKS).
 */
describe('access tokens for the resource servers carry the roles and units of the caller', () => {
  let t: TestSuite;
  let config: oidc.Configuration;

  beforeAll(async () => {
    t = await startTestSuite({ DEMO_DATA: 'true' });
    config = await demoBusinessConfig(t.ctx.publicUrls.identity);
  });
  afterAll(() => t.stop());

  async function callerAt(
    service: ServiceName,
    o: Omit<SignInOptions, 'params'> & { scope: string; browser?: FormBrowser; prompt?: string },
  ): Promise<{ caller: Caller; tokens: oidc.TokenEndpointResponse }> {
    const params = { scope: o.scope, resource: t.ctx.publicUrls[service] };
    const { callback, verifier, state } = await signInThroughPages(
      config,
      o.browser ?? new FormBrowser(),
      t.baseUrl,
      REDIRECT,
      { ...o, params: o.prompt ? { ...params, prompt: o.prompt } : params },
    );
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const caller = await new AccessTokenVerifier(t.ctx, service).verify(
      `Bearer ${tokens.access_token}`,
    );
    return { caller, tokens };
  }

  it('gives an agent acting for the organisation its USCC under org and only its roles there', async () => {
    const { caller } = await callerAt('e-seal', {
      identifier: DEMO.agent.username,
      password: DEMO.agent.password,
      scope: 'openid org seal:apply',
      actFor: DEMO.organisation.uscc,
    });
    expect(caller).toMatchObject({
      kind: 'person',
      clientId: DEMO.business.clientId,
      scopes: ['seal:apply'],
      org: { uscc: DEMO.organisation.uscc, name: DEMO.organisation.name },
      acr: 'loa1',
    });
    // Not the agent's personal license:holder, not seal:read (not asked for).
    expect(caller.roles).toEqual([{ role: 'seal:apply', unit: DEMO.organisation.uscc }]);
  });

  it('gives the same agent signing in as themself no organisation and no organisation roles', async () => {
    const { caller } = await callerAt('e-license', {
      identifier: DEMO.agent.phone,
      password: DEMO.agent.password,
      scope: 'openid license:holder',
    });
    expect(caller.org).toBeUndefined();
    expect(caller.roles).toEqual([{ role: 'license:holder', unit: '*' }]);
  });

  it('drops the organisation when the agent consents again in the same session as themself', async () => {
    const browser = new FormBrowser();
    const agent = { identifier: DEMO.agent.username, password: DEMO.agent.password, browser };
    const acting = await callerAt('e-seal', {
      ...agent,
      scope: 'openid org seal:apply',
      actFor: DEMO.organisation.uscc,
    });
    expect(acting.caller.org).toMatchObject({ uscc: DEMO.organisation.uscc });
    expect(acting.caller.roles).toEqual([{ role: 'seal:apply', unit: DEMO.organisation.uscc }]);

    // Same browser session, so the same grant: only the consent page is shown.
    const myself = await callerAt('e-seal', {
      ...agent,
      password: 'not asked for again',
      scope: 'openid org seal:apply',
      prompt: 'consent',
    });
    expect(myself.caller.org).toBeUndefined();
    // The agent holds seal:apply only for the organisation, never for themself.
    expect(myself.caller.roles).toEqual([]);
    expect(myself.caller.sub).toBe(acting.caller.sub);
  });

  it('gives the clerk license:issue for the issuing authorities', async () => {
    const { caller } = await callerAt('e-license', {
      identifier: DEMO.clerk.username,
      password: DEMO.clerk.password,
      scope: 'openid license:issue',
    });
    expect(caller.scopes).toEqual(['license:issue']);
    expect(caller.roles).toEqual(
      expect.arrayContaining([
        { role: 'license:issue', unit: DEMO.authority.uscc },
        { role: 'license:issue', unit: DEMO.licenseAuthority.uscc },
      ]),
    );
    expect(caller.roles).toHaveLength(2);
  });

  it('gives the archivist archive:read for fonds J001', async () => {
    const { caller } = await callerAt('e-archive', {
      identifier: DEMO.archivist.username,
      password: DEMO.archivist.password,
      scope: 'openid archive:read',
    });
    expect(caller.roles).toEqual([{ role: 'archive:read', unit: DEMO.archivist.fonds }]);
  });

  it('gives the citizen license:holder and the identity document only with the idcard scope', async () => {
    const withCard = await callerAt('e-license', {
      identifier: DEMO.citizen.idNumber,
      password: DEMO.citizen.password,
      scope: 'openid idcard license:holder',
    });
    expect(withCard.caller.roles).toEqual([{ role: 'license:holder', unit: '*' }]);
    expect(withCard.caller.idDocument).toEqual({ type: '111', number: DEMO.citizen.idNumber });

    const without = await callerAt('e-license', {
      identifier: DEMO.citizen.username,
      password: DEMO.citizen.password,
      scope: 'openid license:holder',
    });
    expect(without.caller.idDocument).toBeUndefined();
  });

  it('leaves out a role the person does not hold even when its scope is granted', async () => {
    const { caller } = await callerAt('e-license', {
      identifier: DEMO.citizen.username,
      password: DEMO.citizen.password,
      scope: 'openid license:issue',
    });
    expect(caller.roles).toEqual([]);
  });

  it('issues the demo business system client-credentials tokens for license:read and archive:ingest', async () => {
    for (const [service, scope] of [
      ['e-license', 'license:read'],
      ['e-archive', 'archive:ingest'],
    ] as const) {
      const res = await oidc.clientCredentialsGrant(config, {
        scope,
        resource: t.ctx.publicUrls[service],
      });
      const caller = await new AccessTokenVerifier(t.ctx, service).verify(
        `Bearer ${res.access_token}`,
      );
      expect(caller).toMatchObject({
        kind: 'client',
        sub: DEMO.business.clientId,
        scopes: [scope],
        roles: [{ role: scope, unit: '*' }],
      });
    }
  });
});
