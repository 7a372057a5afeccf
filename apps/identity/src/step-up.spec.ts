import * as oidc from 'openid-client';
import { generate } from 'otplib';
import { startTestSuite, type TestSuite } from '../../../test/support/test-suite.js';
import { AccountService } from './accounts/account.service.js';
import { PersonRepository } from './accounts/person.repository.js';
import { SignInService } from './accounts/sign-in.service.js';
import { TotpService } from './accounts/totp.service.js';
import { DEMO } from './bootstrap/demo-data.js';
import { FormBrowser, formOf } from './testing/browser.js';
import { demoBusinessConfig, signInThroughPages } from './testing/relying-party.js';

const REDIRECT = DEMO.business.redirectUris[0];

describe('assurance levels: step-up to loa2 with a TOTP second factor', () => {
  let t: TestSuite;
  let config: oidc.Configuration;
  let accounts: AccountService;
  let totp: TotpService;
  let n = 0;

  beforeAll(async () => {
    t = await startTestSuite({ DEMO_DATA: 'true' });
    config = await demoBusinessConfig(t.ctx.publicUrls.identity);
    accounts = t.suite.apps.identity.get(AccountService);
    totp = t.suite.apps.identity.get(TotpService);
  });
  afterAll(() => t.stop());

  async function newPerson() {
    const username = `stepup${++n}`;
    const person = await accounts.createPerson(
      { name: '孙八', username, password: 'Sunba#2024demo' },
      'test',
    );
    return { ...person, username: username, password: 'Sunba#2024demo' };
  }

  async function exchange(r: { callback: URL; verifier: string; state: string }) {
    return oidc.authorizationCodeGrant(config, r.callback, {
      pkceCodeVerifier: r.verifier,
      expectedState: r.state,
    });
  }

  /** The code of the time step `offset` steps from now (RFC 6238, 30 s steps). */
  const codeAt = (secret: string, offset = 0) =>
    generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 });

  it('asks a signed-in person only for the one-time code when a client asks for loa2', async () => {
    const person = await newPerson();
    const browser = new FormBrowser();
    const first = await exchange(
      await signInThroughPages(config, browser, t.baseUrl, REDIRECT, {
        identifier: person.username,
        password: person.password,
        params: { scope: 'openid', acr_values: 'loa1' },
      }),
    );
    expect(first.claims()).toMatchObject({ acr: 'loa1', amr: ['pwd'] });

    const { secret } = await totp.enrol(person.id, 'test');
    let pagesSeen = 0;
    const stepped = await exchange(
      await signInThroughPages(config, browser, t.baseUrl, REDIRECT, {
        identifier: person.username,
        password: 'not asked for again',
        params: { scope: 'openid', acr_values: 'loa2' },
        secondFactor: () => {
          pagesSeen++;
          return codeAt(secret);
        },
      }),
    );
    expect(pagesSeen).toBe(1);
    expect(stepped.claims()).toMatchObject({ acr: 'loa2', amr: ['pwd', 'otp'] });
    expect(stepped.claims()!.sub).toBe(first.claims()!.sub);
  });

  it('refuses a wrong code and a code already used, then accepts a recovery code once', async () => {
    const person = await newPerson();
    const { secret, recoveryCodes } = await totp.enrol(person.id, 'test');
    const browser = new FormBrowser();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      acr_values: 'loa2',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const loginPage = (await browser.follow(await browser.get(url.href), t.baseUrl)).page!;
    const login = formOf(loginPage, '/login');
    const otpPage = await (
      await browser.post(new URL(login.action, t.baseUrl).href, {
        ...login.fields,
        identifier: person.username,
        password: person.password,
      })
    ).text();
    const otp = formOf(otpPage, '/otp');
    const submit = (code: string) =>
      browser.post(new URL(otp.action, t.baseUrl).href, { ...otp.fields, code });

    const wrong = await submit('000000' === (await codeAt(secret)) ? '111111' : '000000');
    expect(wrong.status).toBe(401);
    const text = await wrong.text();
    expect(text).toContain('动态码错误');
    expect(text).toContain('aria-describedby="code-error"');
    expect(text).toMatch(/<p class="error" id="code-error">动态码错误/);

    const good = await codeAt(secret);
    expect((await submit(good)).status).toBe(303);
    // Each time step is usable once (RFC 6238 section 5.2).
    const replayed = await signInThroughPages(config, new FormBrowser(), t.baseUrl, REDIRECT, {
      identifier: person.username,
      password: person.password,
      params: { scope: 'openid', acr_values: 'loa2' },
      secondFactor: () => Promise.resolve(good),
    }).catch((err: Error) => err);
    expect((replayed as Error).message).toMatch(/did not return/);

    const recovered = await exchange(
      await signInThroughPages(config, new FormBrowser(), t.baseUrl, REDIRECT, {
        identifier: person.username,
        password: person.password,
        params: { scope: 'openid', acr_values: 'loa2' },
        secondFactor: () => Promise.resolve(recoveryCodes[0]!),
      }),
    );
    expect(recovered.claims()).toMatchObject({ acr: 'loa2' });
    const reused = await signInThroughPages(config, new FormBrowser(), t.baseUrl, REDIRECT, {
      identifier: person.username,
      password: person.password,
      params: { scope: 'openid', acr_values: 'loa2' },
      secondFactor: () => Promise.resolve(recoveryCodes[0]!),
    }).catch((err: Error) => err);
    expect((reused as Error).message).toMatch(/did not return/);
  });

  it('answers unmet_authentication_requirements when the person signing in has no second factor', async () => {
    const person = await newPerson();
    const r = await signInThroughPages(config, new FormBrowser(), t.baseUrl, REDIRECT, {
      identifier: person.username,
      password: person.password,
      params: { scope: 'openid', acr_values: 'loa2' },
    });
    expect(r.callback.searchParams.get('error')).toBe('unmet_authentication_requirements');
  });

  it('answers unmet_authentication_requirements, not a code page, on step-up with no factor', async () => {
    const person = await newPerson();
    const browser = new FormBrowser();
    const first = await signInThroughPages(config, browser, t.baseUrl, REDIRECT, {
      identifier: person.username,
      password: person.password,
      params: { scope: 'openid', acr_values: 'loa1' },
    });
    expect(first.callback.searchParams.get('code')).toBeTruthy();

    const stepUp = await signInThroughPages(config, browser, t.baseUrl, REDIRECT, {
      identifier: person.username,
      password: 'not asked for again',
      params: { scope: 'openid', acr_values: 'loa2' },
      secondFactor: () => Promise.reject(new Error('the code page was shown')),
    });
    expect(stepUp.callback.searchParams.get('error')).toBe('unmet_authentication_requirements');
  });

  it('lets only one of several concurrent sign-ins use the same recovery code', async () => {
    const person = await newPerson();
    const { recoveryCodes } = await totp.enrol(person.id, 'test');
    const signIn = t.suite.apps.identity.get(SignInService);

    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        signIn.secondFactor(person.id, recoveryCodes[0]!, `192.0.2.${i + 1}`),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const after = await t.suite.apps.identity.get(PersonRepository).findById(person.id);
    expect(after!.recovery_codes).toHaveLength(recoveryCodes.length - 1);
  });

  it('publishes the levels of the ladder in discovery', async () => {
    const doc = (await (
      await fetch(t.url('identity', '/.well-known/openid-configuration'))
    ).json()) as Record<string, unknown>;
    expect(doc.acr_values_supported).toEqual(['loa1', 'loa2']);
  });
});
