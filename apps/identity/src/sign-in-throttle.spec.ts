import * as oidc from 'openid-client';
import { startTestSuite, type TestSuite } from '../../../test/support/test-suite.js';
import { THROTTLE } from './accounts/sign-in.service.js';
import { DEMO } from './bootstrap/demo-data.js';
import { FormBrowser, formOf } from './testing/browser.js';
import { demoBusinessConfig } from './testing/relying-party.js';

const REDIRECT = DEMO.business.redirectUris[0];

describe('sign-in throttling per account and per client address', () => {
  let t: TestSuite;
  let config: oidc.Configuration;

  beforeAll(async () => {
    // The test client is on loopback, so it may speak as the trusted proxy.
    t = await startTestSuite({ DEMO_DATA: 'true', TRUST_PROXY: 'loopback' });
    config = await demoBusinessConfig(t.ctx.publicUrls.identity);
  });
  afterAll(() => t.stop());

  /** A sign-in form; `attempt` posts it as a client behind the proxy at `address`. */
  async function loginForm() {
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
    return (identifier: string, password: string, address: string) =>
      browser.post(
        action,
        { ...login.fields, identifier, password },
        { 'x-forwarded-for': address },
      );
  }

  it('locks a person after five failures spread over their username, ID number and phone', async () => {
    const attempt = await loginForm();
    const identifiers = [
      DEMO.citizen.username,
      DEMO.citizen.idNumber,
      DEMO.citizen.phone,
      DEMO.citizen.username,
      DEMO.citizen.idNumber,
    ];
    expect(identifiers).toHaveLength(THROTTLE.accountLimit);
    // A different address for each, so that only the account counter can lock.
    for (const [i, identifier] of identifiers.entries()) {
      expect((await attempt(identifier, 'wrong password', `198.51.100.${i + 1}`)).status).toBe(401);
    }

    const locked = await attempt(DEMO.citizen.phone, DEMO.citizen.password, '198.51.100.99');
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain('锁定');
  });

  it('locks an unknown identifier after the same number of failures, with the same answer', async () => {
    const attempt = await loginForm();
    const statuses: number[] = [];
    for (let i = 0; i <= THROTTLE.accountLimit; i++) {
      statuses.push(
        (await attempt('nobody-at-all', 'wrong password', `198.51.100.${i + 20}`)).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('locks the client address named by the trusted proxy after twenty failures, not others', async () => {
    const attempt = await loginForm();
    for (let i = 0; i < THROTTLE.addressLimit; i++) {
      expect((await attempt(`guess-${i}`, 'wrong password', '203.0.113.7')).status).toBe(401);
    }

    const fromThere = await attempt(DEMO.agent.username, DEMO.agent.password, '203.0.113.7');
    expect(fromThere.status).toBe(429);
    const fromElsewhere = await attempt(DEMO.agent.username, DEMO.agent.password, '203.0.113.8');
    expect(fromElsewhere.status).toBe(303);
  });

  it('starts a person counting afresh after a successful sign-in, and a first success changes nothing', async () => {
    const attempt = await loginForm();
    expect((await attempt(DEMO.clerk.username, DEMO.clerk.password, '198.51.100.40')).status).toBe(
      303,
    );
    const wrongs = async (from: number) => {
      for (let i = 0; i < THROTTLE.accountLimit - 1; i++) {
        const res = await attempt(DEMO.clerk.username, 'wrong password', `198.51.100.${from + i}`);
        expect(res.status).toBe(401);
      }
    };

    await wrongs(41);
    const reset = await loginForm();
    expect((await reset(DEMO.clerk.username, DEMO.clerk.password, '198.51.100.50')).status).toBe(
      303,
    );
    // Without the reset these would be failures five to eight, and the next sign-in locked.
    await wrongs(51);
    const after = await loginForm();
    expect((await after(DEMO.clerk.username, DEMO.clerk.password, '198.51.100.60')).status).toBe(
      303,
    );
  });
});
