import * as oidc from 'openid-client';
import { AuditLog } from '#audit';
import { completeUscc, residentIdCheckDigit } from '#common';
import { startTestSuite, type TestSuite } from '../../../test/support/test-suite.js';
import { AccountService } from './accounts/account.service.js';
import { OrganisationService } from './accounts/organisation.service.js';
import { DEMO } from './bootstrap/demo-data.js';
import { FormBrowser, formOf } from './testing/browser.js';
import { demoBusinessConfig, signInThroughPages } from './testing/relying-party.js';

const REDIRECT = DEMO.business.redirectUris[0];
const id17 = (first17: string) => first17 + residentIdCheckDigit(first17);
const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

/** A date `days` from now as the date input sends it (China Standard Time). */
function inDays(days: number): string {
  return new Date(Date.now() + days * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10);
}

describe('a legal representative manages their organisation’s agents on the account page', () => {
  let t: TestSuite;
  let config: oidc.Configuration;
  const uscc = completeUscc('91440300MA000003');
  const rep = {
    name: '孙八',
    username: 'sunba',
    idNumber: id17('44030519800101123'),
    pw: 'Sunba#2024demo',
  };
  const agent = {
    name: '周九',
    username: 'zhoujiu',
    idNumber: id17('44030619920202234'),
    pw: 'Zhoujiu#2024demo',
  };
  const outsider = {
    name: '吴一',
    username: 'wuyi',
    idNumber: id17('44030719930303345'),
    pw: 'Wuyi#2024demo',
  };
  let orgId: string;
  let repId: string;
  let agentId: string;

  beforeAll(async () => {
    t = await startTestSuite({ DEMO_DATA: 'true' });
    config = await demoBusinessConfig(t.ctx.publicUrls.identity);
    const accounts = t.suite.apps.identity.get(AccountService);
    for (const p of [rep, agent, outsider]) {
      const created = await accounts.createPerson(
        { name: p.name, username: p.username, idNumber: p.idNumber, password: p.pw },
        'test',
      );
      if (p === rep) repId = created.id;
      if (p === agent) agentId = created.id;
    }
    // Registered by ID number only, as a business licence names the representative.
    const org = await t.suite.apps.identity.get(OrganisationService).createOrganisation(
      {
        uscc,
        name: '深圳示例贸易有限公司',
        legalRepresentativeName: rep.name,
        legalRepresentativeIdNumber: rep.idNumber,
      },
      'test',
    );
    orgId = org.id;
  });
  afterAll(() => t.stop());

  async function signedIn(p: { username: string; pw: string }) {
    const browser = new FormBrowser();
    await signInThroughPages(config, browser, t.baseUrl, REDIRECT, {
      identifier: p.username,
      password: p.pw,
      params: { scope: 'openid' },
    });
    return browser;
  }

  async function submit(
    browser: FormBrowser,
    html: string,
    suffix: string,
    fields: Record<string, string>,
  ) {
    const form = formOf(html, suffix);
    return browser.post(new URL(form.action, t.baseUrl).href, { ...form.fields, ...fields });
  }

  async function agentSignsIn() {
    const r = await signInThroughPages(config, new FormBrowser(), t.baseUrl, REDIRECT, {
      identifier: agent.username,
      password: agent.pw,
      params: {
        scope: 'openid offline_access seal:apply seal:manage',
        prompt: 'consent',
        resource: t.ctx.publicUrls['e-seal'],
      },
      actFor: uscc,
    });
    return oidc.authorizationCodeGrant(config, r.callback, {
      pkceCodeVerifier: r.verifier,
      expectedState: r.state,
    });
  }

  const page = () => t.url('identity', '/account');
  const agentsPath = () => `/account/organisations/${orgId}/agents`;

  it('shows the demo legal representative 张三 the demo organisation with its agent 李四', async () => {
    const browser = await signedIn({ username: DEMO.citizen.username, pw: DEMO.citizen.password });
    const home = await (await browser.get(page())).text();
    expect(home).toMatch(/我的单位[\s\S]*示例科技有限公司[\s\S]*李四[\s\S]*全部事项/);
    expect(home).not.toContain('深圳示例贸易有限公司');
  });

  it('authorises a person for seal:apply until a date, whose token acting for the organisation then carries the role, and revokes it at the next token', async () => {
    const browser = await signedIn(rep);
    const home = await (await browser.get(page())).text();
    expect(home).toContain('我的单位');
    expect(home).toContain('深圳示例贸易有限公司');
    expect(home).toContain('尚无经办人');

    const until = inDays(30);
    const authorised = await submit(browser, home, agentsPath(), {
      idNumber: agent.idNumber,
      matter: 'seal:apply',
      validUntil: until,
      password: rep.pw,
    });
    expect(authorised.status).toBe(200);
    const listed = await authorised.text();
    expect(listed).toContain('已授权 周九 为经办人');
    expect(listed).toMatch(
      /周九[\s\S]*申请用印[\s\S]*有效期至：\d{4}-\d\d-\d\d <span[^>]*>Until: /,
    );
    expect(listed).toContain(until);
    expect(listed).not.toContain(agent.idNumber);

    const tokens = await agentSignsIn();
    expect(claims(tokens.access_token)).toMatchObject({
      org: { uscc, name: '深圳示例贸易有限公司' },
      roles: [{ role: 'seal:apply', unit: uscc }],
    });

    const audit = await t.suite.apps.identity.get(AuditLog).forSubject(`organisation:${orgId}`);
    const grant = audit.find((e) => e.action === 'agent.authorised');
    expect(grant).toMatchObject({
      actor: repId,
      details: { personId: agentId, matters: ['seal:apply'] },
    });
    expect(new Date((grant!.details as { validUntil: string }).validUntil).toISOString()).toBe(
      new Date(`${until}T23:59:59.999+08:00`).toISOString(),
    );

    const authorisationId = /id="agent-([0-9a-f-]{36})"/.exec(listed)![1]!;
    const revoked = await submit(browser, listed, `/agents/${authorisationId}/revoke`, {
      password: rep.pw,
    });
    expect(revoked.status).toBe(200);
    expect(await revoked.text()).toMatch(/已撤销授权[\s\S]*周九[\s\S]*已撤销/);

    const after = await oidc.refreshTokenGrant(config, tokens.refresh_token!, {
      resource: t.ctx.publicUrls['e-seal'],
    });
    expect(claims(after.access_token).org).toBeUndefined();
    expect(claims(after.access_token).roles).toEqual([]);
    const actions = (await t.suite.apps.identity.get(AuditLog).forSubject(`organisation:${orgId}`))
      .filter((e) => e.actor === repId)
      .map((e) => e.action);
    expect(actions).toEqual(['agent.authorised', 'agent.revoked']);
  });

  it('refuses an authorisation with a wrong password, a forged CSRF token, an unknown ID number or a past date', async () => {
    const browser = await signedIn(rep);
    const home = await (await browser.get(page())).text();
    const good = { idNumber: outsider.idNumber, password: rep.pw };

    const wrong = await submit(browser, home, agentsPath(), { ...good, password: 'not it' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain(`id="password-authorise-${orgId}-error">密码错误`);
    const forged = await submit(browser, home, agentsPath(), { ...good, csrf: 'forged' });
    expect(forged.status).toBe(403);
    const unknown = await submit(browser, home, agentsPath(), {
      ...good,
      idNumber: id17('11010119700101999'),
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain(`id="agent-id-${orgId}-error">没有使用该证件号码的用户`);
    const past = await submit(browser, home, agentsPath(), { ...good, validUntil: inDays(-1) });
    expect(past.status).toBe(400);
    expect(await past.text()).toContain('有效期须晚于今天');

    expect(await (await browser.get(page())).text()).not.toContain('吴一');
  });

  it('shows a person who does not represent the organisation nothing of it and refuses their changes as for no organisation', async () => {
    const repBrowser = await signedIn(rep);
    const repHome = await (await repBrowser.get(page())).text();
    const ok = await submit(repBrowser, repHome, agentsPath(), {
      idNumber: agent.idNumber,
      password: rep.pw,
    });
    expect(ok.status).toBe(200);
    const authorisationId = /id="agent-([0-9a-f-]{36})"[^]*?有效/.exec(await ok.text())![1]!;

    // Someone who represents no organisation sees no section at all.
    const browser = await signedIn(outsider);
    const home = await (await browser.get(page())).text();
    expect(home).not.toContain('我的单位');
    expect(home).not.toContain('深圳示例贸易有限公司');
    const csrf = formOf(home, '/account/password').fields.csrf!;

    const post = (path: string, fields: Record<string, string>) =>
      browser.post(t.url('identity', path), { csrf, password: outsider.pw, ...fields });
    const theirs = await post(agentsPath(), { idNumber: outsider.idNumber });
    const none = await post(`/account/organisations/${crypto.randomUUID()}/agents`, {
      idNumber: outsider.idNumber,
    });
    expect(theirs.status).toBe(404);
    expect(none.status).toBe(404);
    const [a, b] = [await theirs.text(), await none.text()];
    // Word for word the page for an organisation that does not exist.
    expect(a).toBe(b);
    expect(a).not.toContain('深圳示例贸易有限公司');
    const revoke = await post(`${agentsPath()}/${authorisationId}/revoke`, {});
    expect(revoke.status).toBe(404);

    // The agency stands: the agent still acts for the organisation, with every matter.
    const tokens = await agentSignsIn();
    expect(claims(tokens.access_token)).toMatchObject({ org: { uscc } });
    expect(claims(tokens.access_token).roles).toEqual([
      { role: 'seal:apply', unit: uscc },
      { role: 'seal:manage', unit: uscc },
    ]);
  });
});
