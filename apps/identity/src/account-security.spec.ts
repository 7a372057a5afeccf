import * as oidc from 'openid-client';
import { generate } from 'otplib';
import { AuditLog } from '#audit';
import { startTestSuite, type TestSuite } from '../../../test/support/test-suite.js';
import { AccountService } from './accounts/account.service.js';
import { DEMO } from './bootstrap/demo-data.js';
import { FormBrowser, formOf } from './testing/browser.js';
import { demoBusinessConfig, signInThroughPages } from './testing/relying-party.js';

const REDIRECT = DEMO.business.redirectUris[0];
const PASSWORD = 'Zhouqi#2024demo';

describe('the account security page: a signed-in person manages their second factor and password', () => {
  let t: TestSuite;
  let config: oidc.Configuration;
  let n = 0;

  beforeAll(async () => {
    t = await startTestSuite({ DEMO_DATA: 'true' });
    config = await demoBusinessConfig(t.ctx.publicUrls.identity);
  });
  afterAll(() => t.stop());

  /** A new person signed in (loa1) in a fresh browser, and the account page's URL. */
  async function signedIn() {
    const username = `zhouqi${++n}`;
    const person = await t.suite.apps.identity
      .get(AccountService)
      .createPerson({ name: '周七', username, password: PASSWORD }, 'test');
    const browser = new FormBrowser();
    await signInThroughPages(config, browser, t.baseUrl, REDIRECT, {
      identifier: username,
      password: PASSWORD,
      params: { scope: 'openid' },
    });
    return { person, username, browser, page: t.url('identity', '/account') };
  }

  /** Posts the form of `html` whose action ends with `suffix`, with `fields` filled in. */
  async function submit(
    browser: FormBrowser,
    html: string,
    suffix: string,
    fields: Record<string, string>,
  ) {
    const form = formOf(html, suffix);
    return browser.post(new URL(form.action, t.baseUrl).href, { ...form.fields, ...fields });
  }

  it('asks for a sign-in first when there is no session', async () => {
    const res = await new FormBrowser().get(t.url('identity', '/account'));
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('请先通过任一业务系统登录');
  });

  it('enrols with the password and a first code, shows ten recovery codes once, and audits it', async () => {
    const { person, username, browser, page } = await signedIn();
    const home = await (await browser.get(page)).text();
    expect(home).toContain('尚未启用二次验证');

    const wrong = await submit(browser, home, '/account/totp', { password: 'not it' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toMatch(
      /aria-describedby="password-start-error"[\s\S]*id="password-start-error">密码错误/,
    );

    const enrol = await submit(browser, home, '/account/totp', { password: PASSWORD });
    expect(enrol.status).toBe(200);
    const enrolPage = await enrol.text();
    const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(enrolPage)![1]!.replace(/ /g, '');
    expect(enrolPage).toContain(`otpauth://totp/`);
    expect(enrolPage).toContain(`secret=${secret}`);

    const confirmed = await submit(browser, enrolPage, '/account/totp/confirm', {
      code: await generate({ secret }),
    });
    expect(confirmed.status).toBe(200);
    const codes = [...(await confirmed.text()).matchAll(/<li><code>([0-9A-F]{10})<\/code>/g)].map(
      (m) => m[1]!,
    );
    expect(codes).toHaveLength(10);

    // The factor is now asked for: loa2 through the pages with one of the recovery codes.
    const stepped = await signInThroughPages(config, new FormBrowser(), t.baseUrl, REDIRECT, {
      identifier: username,
      password: PASSWORD,
      params: { scope: 'openid', acr_values: 'loa2' },
      secondFactor: () => Promise.resolve(codes[0]!),
    });
    expect(stepped.callback.searchParams.get('code')).toBeTruthy();

    const audit = await t.suite.apps.identity.get(AuditLog).forSubject(`person:${person.id}`);
    expect(audit.map((e) => [e.action, e.actor])).toContainEqual(['totp.enrolled', person.id]);
  });

  it('refuses a wrong first code and keeps the person without a factor', async () => {
    const { browser, page } = await signedIn();
    const home = await (await browser.get(page)).text();
    const enrolPage = await (
      await submit(browser, home, '/account/totp', { password: PASSWORD })
    ).text();
    const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(enrolPage)![1]!.replace(/ /g, '');
    const good = await generate({ secret });

    const wrong = await submit(browser, enrolPage, '/account/totp/confirm', {
      code: good === '000000' ? '111111' : '000000',
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('aria-describedby="code-error"');
    expect(await (await browser.get(page)).text()).toContain('尚未启用二次验证');
  });

  it('regenerates recovery codes and removes the factor, each with the password again', async () => {
    const { person, browser, page } = await signedIn();
    let home = await (await browser.get(page)).text();
    const enrolPage = await (
      await submit(browser, home, '/account/totp', { password: PASSWORD })
    ).text();
    const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(enrolPage)![1]!.replace(/ /g, '');
    await submit(browser, enrolPage, '/account/totp/confirm', { code: await generate({ secret }) });

    home = await (await browser.get(page)).text();
    expect(home).toContain('剩余恢复码：10 个');
    const refused = await submit(browser, home, '/account/recovery-codes', { password: 'no' });
    expect(refused.status).toBe(401);
    const regenerated = await submit(browser, home, '/account/recovery-codes', {
      password: PASSWORD,
    });
    expect([...(await regenerated.text()).matchAll(/<li><code>/g)]).toHaveLength(10);

    const removed = await submit(browser, home, '/account/totp/remove', { password: PASSWORD });
    expect(removed.status).toBe(200);
    expect(await removed.text()).toContain('已解除动态码');
    expect(await (await browser.get(page)).text()).toContain('尚未启用二次验证');

    const actions = (await t.suite.apps.identity.get(AuditLog).forSubject(`person:${person.id}`))
      .filter((e) => e.actor === person.id)
      .map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['totp.enrolled', 'totp.recovery_codes_regenerated', 'totp.removed']),
    );
  });

  it('refuses a change with a wrong CSRF token', async () => {
    const { browser, page } = await signedIn();
    const home = await (await browser.get(page)).text();
    const res = await submit(browser, home, '/account/totp', {
      password: PASSWORD,
      csrf: 'forged',
    });
    expect(res.status).toBe(403);
    expect(await (await browser.get(page)).text()).toContain('尚未启用二次验证');
  });

  it('changes the password with the current one, under the creation policy, and ends the other sessions but not this one', async () => {
    const { person, username, browser, page } = await signedIn();
    // Another device, signed in with a refresh token.
    const elsewhere = await signInThroughPages(config, new FormBrowser(), t.baseUrl, REDIRECT, {
      identifier: username,
      password: PASSWORD,
      params: { scope: 'openid offline_access', prompt: 'consent' },
    });
    const tokens = await oidc.authorizationCodeGrant(config, elsewhere.callback, {
      pkceCodeVerifier: elsewhere.verifier,
      expectedState: elsewhere.state,
    });
    const home = await (await browser.get(page)).text();
    const fresh = 'Zhouqi#2025chosen';

    const wrong = await submit(browser, home, '/account/password', {
      password: 'not it',
      newPassword: fresh,
      newPasswordAgain: fresh,
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('id="password-password-error">密码错误');
    const differ = await submit(browser, home, '/account/password', {
      password: PASSWORD,
      newPassword: fresh,
      newPasswordAgain: `${fresh}!`,
    });
    expect(differ.status).toBe(400);
    expect(await differ.text()).toContain('id="new-password-error">两次输入的新密码不一致');
    const short = await submit(browser, home, '/account/password', {
      password: PASSWORD,
      newPassword: 'short1234',
      newPasswordAgain: 'short1234',
    });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('新密码至少需要 10 个字符');
    // Still the old password: the other device's refresh token works until the change.
    const rotated = await oidc.refreshTokenGrant(config, tokens.refresh_token!);

    const changed = await submit(browser, home, '/account/password', {
      password: PASSWORD,
      newPassword: fresh,
      newPasswordAgain: fresh,
    });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toContain('密码已修改');

    await expect(oidc.refreshTokenGrant(config, rotated.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect((await browser.get(page)).status).toBe(200);
    const again = await signInThroughPages(config, new FormBrowser(), t.baseUrl, REDIRECT, {
      identifier: username,
      password: fresh,
      params: { scope: 'openid' },
    });
    expect(again.callback.searchParams.get('code')).toBeTruthy();
    const audit = await t.suite.apps.identity.get(AuditLog).forSubject(`person:${person.id}`);
    expect(audit.map((e) => [e.action, e.actor])).toContainEqual([
      'person.password_changed',
      person.id,
    ]);
  });
});
