import * as oidc from 'openid-client';
import { startTestSuite, type TestSuite } from '../../../test/support/test-suite.js';
import { DEMO } from './bootstrap/demo-data.js';
import { FormBrowser, formOf } from './testing/browser.js';
import { demoBusinessConfig } from './testing/relying-party.js';

const REDIRECT = DEMO.business.redirectUris[0];

describe('the sign-in pages: security headers, CSRF and per-field errors', () => {
  let t: TestSuite;
  let config: oidc.Configuration;

  beforeAll(async () => {
    t = await startTestSuite({ DEMO_DATA: 'true' });
    config = await demoBusinessConfig(t.ctx.publicUrls.identity);
  });
  afterAll(() => t.stop());

  /** The sign-in page of a new authorization request, as the browser received it. */
  async function loginPage(browser: FormBrowser) {
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    let res = await browser.get(url.href);
    while (res.status >= 300 && res.status < 400) {
      res = await browser.get(new URL(res.headers.get('location')!, url).href);
    }
    return res;
  }

  it('sends a CSP that forbids framing and scripts, and no-store, with the sign-in page', async () => {
    const res = await loginPage(new FormBrowser());
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    // Clickjacking of the password form (OWASP): framed by no other origin.
    expect(csp).toMatch(/frame-ancestors '(self|none)'/);
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('x-frame-options')).toMatch(/^(SAMEORIGIN|DENY)$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses a sign-in with a wrong CSRF token even with the right password', async () => {
    const browser = new FormBrowser();
    const login = formOf(await (await loginPage(browser)).text(), '/login');
    const res = await browser.post(new URL(login.action, t.baseUrl).href, {
      ...login.fields,
      csrf: 'forged-token',
      identifier: DEMO.citizen.username,
      password: DEMO.citizen.password,
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('页面已过期');
  });

  it('answers a malformed sign-in form with a 4xx, never a 500', async () => {
    const browser = new FormBrowser();
    const login = formOf(await (await loginPage(browser)).text(), '/login');
    const url = new URL(login.action, t.baseUrl).href;
    const form = (extra: string) => `${new URLSearchParams(login.fields).toString()}&${extra}`;
    const problem = async (res: Response) => {
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      return (await res.json()) as { code: string; fields: string[] };
    };
    // A field sent twice arrives as an array: it used to reach identifier.trim() (TypeError).
    const twice = await problem(
      await browser.postRaw(
        url,
        form('identifier=zhangsan&identifier=lisi&password=x'),
        'application/x-www-form-urlencoded',
      ),
    );
    expect(twice).toMatchObject({ code: 'BadRequest', fields: ['identifier'] });
    // A NUL character used to reach the people query (PostgreSQL: invalid byte sequence).
    const nul = await problem(
      await browser.postRaw(
        url,
        form('identifier=a%00b&password=x'),
        'application/x-www-form-urlencoded',
      ),
    );
    expect(nul).toMatchObject({ code: 'BadRequest', fields: ['identifier'] });
    // JSON is not parsed on these pages: the body used to be undefined (reading 'csrf').
    const json = await browser.postRaw(
      url,
      JSON.stringify({ ...login.fields, identifier: 'zhangsan', password: 'x' }),
      'application/json',
    );
    expect(json.status).toBe(403);
    // The form still works afterwards.
    const ok = await browser.post(url, {
      ...login.fields,
      identifier: DEMO.citizen.username,
      password: 'wrong password',
    });
    expect(ok.status).toBe(401);
  });

  it('points each field at its own error text after a wrong password', async () => {
    const browser = new FormBrowser();
    const login = formOf(await (await loginPage(browser)).text(), '/login');
    const res = await browser.post(new URL(login.action, t.baseUrl).href, {
      ...login.fields,
      identifier: DEMO.citizen.username,
      password: 'wrong password',
    });
    expect(res.status).toBe(401);
    const html = await res.text();
    for (const id of ['identifier', 'password']) {
      const input = new RegExp(`<input[^>]*id="${id}"[^>]*>`).exec(html)![0];
      expect(input).toContain(`aria-describedby="${id}-error"`);
      expect(input).toContain('aria-invalid="true"');
      expect(html).toMatch(new RegExp(`<p class="error" id="${id}-error">[^<]+`));
    }
    expect(html).toContain('请核对密码');
  });
});
