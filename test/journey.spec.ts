import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { AuditLog } from '#audit';
import { serviceClientSecret } from '#auth';
import { nssDbTrusting, pdfsigReport } from '#pdf';
import { FormBrowser } from '../apps/identity/src/testing/browser.js';
import { DEMO } from '../apps/identity/src/bootstrap/demo-data.js';
import { ClientRegistryService } from '../apps/identity/src/clients/client-registry.service.js';
import { AccountService } from '../apps/identity/src/accounts/account.service.js';
import {
  DEMO_ISSUING_AUTHORITY,
  demoResidenceCertificate,
} from '../apps/e-license/src/demo/demo-catalogue.js';
import {
  backchannelEndpoint,
  call,
  pdfForm,
  RelyingParty,
  sha256,
  until,
} from './support/journey.js';
import { freePort, startTestSuite, type TestSuite } from './support/test-suite.js';

const CORPUS_PDF = new URL('../../shared/corpus/pdf/pdfjs-160F-2019.pdf', import.meta.url);
/** Demo seals of apps/e-seal/src/demo: the organisation's 法定名称章 and the authority's seal. */
const ORG_SEAL = '5ea10000-0000-4000-8000-000000000001';
const AUTHORITY_SEAL = '5ea10000-0000-4000-8000-000000000003';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The whole journey of the suite (issue 7), each step over HTTP between the four real
 * services: sign-in, sealing twice, issuance, pdfsig, holder grants, archiving, revocation,
 * logout with back-channel delivery, audit chains. Steps share state and run in order.
 */
describe('the journey through the suite, from sign-in to sign-out', () => {
  let t: TestSuite;
  let rp: RelyingParty;
  let operator: string;
  let operatorRp: RelyingParty;
  let bcl: Awaited<ReturnType<typeof backchannelEndpoint>>;
  const work = mkdtempSync(join(tmpdir(), 'journey-'));
  const original = readFileSync(CORPUS_PDF);
  const citizenBrowser = new FormBrowser();
  let citizenIdToken: string;
  let citizenSid: string;
  let sealedTwice: Buffer;
  let issued: Json;
  let licensePdf: Buffer;
  let archivist: string;
  let nss: string;

  beforeAll(async () => {
    t = await startTestSuite({ DEMO_DATA: 'true' });
    // Operator set-up, as an operator does it once: a tool client holding identity:admin and
    // archive:admin (fixity runs, the archive's audit verification). Everything else below
    // goes through the HTTP APIs.
    const registry = t.suite.apps.identity.get(ClientRegistryService);
    const { clientSecret } = await registry.register(
      {
        clientId: 'journey-operator',
        name: 'journey operator tool',
        firstParty: true,
        metadata: {
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          scope: 'identity:admin archive:admin',
        },
      },
      'test',
    );
    const accounts = t.suite.apps.identity.get(AccountService);
    for (const role of ['identity:admin', 'archive:admin']) {
      await accounts.assignRole(
        { principalType: 'client', principalId: 'journey-operator', role, unit: '*' },
        'test',
      );
    }
    operatorRp = await RelyingParty.discover(t, 'journey-operator', clientSecret!, '');
    operator = await operatorRp.clientToken('identity', 'identity:admin');

    // The demo business system's back-channel URI is fixed to localhost:4000, which may be
    // busy here: the admin API points it at this test's endpoint on a free port.
    const port = await freePort();
    bcl = await backchannelEndpoint(port);
    await call(t.url('identity', '/admin/v1/clients/demo-business'), {
      token: operator,
      method: 'PATCH',
      body: { backchannelLogoutUri: `http://127.0.0.1:${port}/backchannel-logout` },
    });

    rp = await RelyingParty.discover(
      t,
      DEMO.business.clientId,
      DEMO.business.secret,
      DEMO.business.redirectUris[1],
    );
    const ca = await fetch(t.url('e-seal', '/v1/pki/ca'));
    const pems = (await ca.text()).match(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g,
    );
    // Issuing then root: pdfsig trusts the root only and builds the chain from the CMS.
    nss = nssDbTrusting(`${pems!.at(-1)!}\n`);
  }, 60_000);

  afterAll(async () => {
    await bcl?.close();
    await t?.stop();
  });

  it('signs the citizen in to the business system through the sign-in form with PKCE', async () => {
    const tokens = await rp.signIn({
      browser: citizenBrowser,
      identifier: DEMO.citizen.username,
      password: DEMO.citizen.password,
      scope: 'openid profile idcard',
    });
    const claims = tokens.claims()!;
    citizenIdToken = tokens.id_token!;
    citizenSid = claims.sid as string;
    expect(claims).toMatchObject({
      iss: t.ctx.publicUrls.identity,
      aud: DEMO.business.clientId,
      acr: 'loa1',
    });
    expect(claims.sid).toEqual(expect.any(String));
    expect(claims.auth_time).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    // Profile and ID-card claims come from userinfo (OIDC Core 5.4: code flow).
    const me = await oidc.fetchUserInfo(rp.config, tokens.access_token, claims.sub);
    expect(me).toMatchObject({ sub: claims.sub, name: DEMO.citizen.name });
  });

  it('lets the agent seal the document for the organisation, then a second organisation seal it too', async () => {
    const agent = await rp.signIn({
      identifier: DEMO.agent.username,
      password: DEMO.agent.password,
      scope: 'openid org seal:apply',
      resource: 'e-seal',
      actFor: DEMO.organisation.uscc,
    });
    const first = await fetch(t.url('e-seal', '/v1/sealing'), {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.access_token}` },
      body: pdfForm(original, 'notice.pdf', {
        sealId: ORG_SEAL,
        page: '1',
        x: '80',
        y: '80',
        reason: '合同盖章',
      }),
    });
    if (first.status !== 200) throw new Error(`first seal: ${first.status} ${await first.text()}`);
    const once = Buffer.from(await first.arrayBuffer());
    expect(first.headers.get('x-document-sha256-before')).toBe(sha256(original));
    expect(once.subarray(0, original.length).equals(original)).toBe(true);

    // The second organisation: the demo authority's seal, used by the business system named on
    // it (svc-e-license) with client credentials, as a back-office system seals.
    const svc = await RelyingParty.discover(
      t,
      'svc-e-license',
      serviceClientSecret(t.ctx, 'e-license'),
      '',
    );
    const svcToken = await svc.clientToken('e-seal', 'seal:apply');
    const second = await fetch(t.url('e-seal', '/v1/sealing'), {
      method: 'POST',
      headers: { authorization: `Bearer ${svcToken}` },
      body: pdfForm(once, 'notice.pdf', {
        sealId: AUTHORITY_SEAL,
        page: '1',
        x: '300',
        y: '80',
        reason: '审批盖章',
      }),
    });
    if (second.status !== 200) {
      throw new Error(`second seal: ${second.status} ${await second.text()}`);
    }
    sealedTwice = Buffer.from(await second.arrayBuffer());
    expect(second.headers.get('x-document-sha256-after')).toBe(sha256(sealedTwice));
  });

  it('lets the clerk issue the citizen a residence certificate', async () => {
    const clerk = await rp.signIn({
      identifier: DEMO.clerk.username,
      password: DEMO.clerk.password,
      scope: 'openid license:issue',
      resource: 'e-license',
    });
    issued = await call(t.url('e-license', '/v1/licenses'), {
      token: clerk.access_token,
      body: {
        typeCode: demoResidenceCertificate.code,
        issuerUscc: DEMO_ISSUING_AUTHORITY.uscc,
        holder: { name: DEMO.citizen.name, codeType: '111', code: DEMO.citizen.idNumber },
        fields: { address: '福州市鼓楼区八一七北路1号', since: '2020-05-01', purpose: '子女入学' },
      },
      expect: 201,
    });
    expect(issued.license).toMatchObject({ status: 'valid', version: 1 });
    const pdf = await fetch(t.url('e-license', `/v1/licenses/${issued.license.id}/pdf`), {
      headers: { authorization: `Bearer ${clerk.access_token}` },
    });
    licensePdf = Buffer.from(await pdf.arrayBuffer());
    expect(sha256(licensePdf)).toBe(issued.license.documentSha256);
  });

  it('has poppler’s pdfsig validate every seal against the platform root', () => {
    const twice = join(work, 'sealed-twice.pdf');
    const license = join(work, 'license.pdf');
    writeFileSync(twice, sealedTwice);
    writeFileSync(license, licensePdf);
    for (const [file, count] of [
      [twice, 2],
      [license, 1],
    ] as const) {
      const sigs = pdfsigReport(file, nss);
      expect(sigs).toHaveLength(count);
      for (const s of sigs) {
        expect(s).toMatchObject({ valid: true, certificateValidation: 'Certificate is Trusted.' });
      }
    }
  });

  it('lets the holder list the license, grant the business system access, and see its read', async () => {
    const holder = await rp.signIn({
      identifier: DEMO.citizen.idNumber,
      password: DEMO.citizen.password,
      scope: 'openid idcard license:holder',
      resource: 'e-license',
    });
    const token = holder.access_token;
    const mine = await call<Json[]>(t.url('e-license', '/v1/holder/licenses'), { token });
    expect(mine.map((l) => l.id)).toEqual([issued.license.id]);

    await call(t.url('e-license', '/v1/holder/grants'), {
      token,
      body: {
        licenseId: issued.license.id,
        clientId: DEMO.business.clientId,
        purpose: '办理入学登记',
        validUntil: new Date(Date.now() + 86_400_000).toISOString(),
      },
      expect: 201,
    });

    const business = await rp.clientToken('e-license', 'license:read');
    const grants = await call<Json[]>(t.url('e-license', '/v1/shared/grants'), {
      token: business,
    });
    expect(JSON.stringify(grants)).toContain(issued.license.identifier);
    const read = await call(
      t.url('e-license', `/v1/shared/licenses/${encodeURIComponent(issued.license.identifier)}`),
      { token: business },
    );
    expect(read).toMatchObject({ purpose: '办理入学登记', fields: { since: '2020-05-01' } });

    const usage = await call<Json[]>(t.url('e-license', '/v1/holder/usage'), { token });
    expect(usage).toContainEqual(
      expect.objectContaining({
        who: { kind: 'client', id: DEMO.business.clientId },
        action: 'read-data',
        purpose: '办理入学登记',
      }),
    );
  });

  it('has the archivist find the license, archived through e-license’s outbox, by 居住证明 and download it byte-identical', async () => {
    const a = await rp.signIn({
      identifier: DEMO.archivist.username,
      password: DEMO.archivist.password,
      scope: 'openid archive:read',
      resource: 'e-archive',
    });
    archivist = a.access_token;
    // The outbox is polled every 5 s; its last error names why e-archive refused a job.
    const record = await until(
      'the license in e-archive',
      async () => {
        const found = (await search('居住证明')).items.find(
          (i) => i.documentNumber === issued.license.licenseNumber,
        );
        if (!found) {
          const job = await call(
            t.url('e-license', `/v1/licenses/${issued.license.id}/archiving`),
            { token: await clerkToken() },
          );
          if (job.last_error) throw new Error(`outbox: ${String(job.last_error)}`);
        }
        return found;
      },
      30_000,
    );
    await expectDownload(record.id as string, licensePdf);
  });

  it('takes the doubly sealed document from the business system and lets the archivist find it by 合作', async () => {
    const business = await rp.clientToken('e-archive', 'archive:ingest');
    const now = new Date();
    const record = await call(t.url('e-archive', '/v1/records'), {
      token: business,
      form: pdfForm(sealedTwice, 'notice.pdf', {
        metadata: JSON.stringify({
          fondsCode: DEMO.archivist.fonds,
          category: 'WS',
          year: now.getUTCFullYear(),
          retention: 'D30',
          organisation: 'BGS',
          title: '关于示例项目合作的通知（双方盖章）',
          creator: DEMO.organisation.name,
          date: now.toISOString().slice(0, 10),
          pageCount: 1,
          openness: '内部',
          sourceSystem: DEMO.business.clientId,
          sourceId: `journey-${sha256(sealedTwice).slice(0, 16)}`,
          sha256: sha256(sealedTwice),
        }),
      }),
      expect: 201,
    });
    const found = (await search('合作')).items.find((i) => i.id === record.id);
    expect(found).toBeDefined();
    await expectDownload(record.id as string, sealedTwice);
  });

  it('runs a clean fixity check over the archive', async () => {
    const op = await operatorToken('e-archive', 'archive:admin');
    const run = await call(t.url('e-archive', '/v1/fixity-runs'), {
      token: op,
      method: 'POST',
      expect: 201,
    });
    expect(run).toMatchObject({ failed: [] });
    expect(run).toMatchObject({ failures: 0, failed: [] });
    expect(run.checked).toBeGreaterThanOrEqual(2);
  });

  it('verifies the revoked license as revoked, by identifier and by its PDF', async () => {
    const clerk = await rp.signIn({
      identifier: DEMO.clerk.username,
      password: DEMO.clerk.password,
      scope: 'openid license:issue',
      resource: 'e-license',
    });
    await call(t.url('e-license', `/v1/licenses/${issued.license.id}/revoke`), {
      token: clerk.access_token,
      body: { reason: '申请人提供虚假材料' },
    });
    const byId = await call(t.url('e-license', '/v1/verification'), {
      body: { identifier: issued.license.identifier, code: issued.verificationCode },
    });
    expect(byId).toMatchObject({ valid: false, status: 'revoked' });
    const byPdf = await call(t.url('e-license', '/v1/verification/document'), {
      form: pdfForm(licensePdf, 'license.pdf'),
    });
    expect(byPdf).toMatchObject({ valid: false, license: { status: 'revoked' } });
  });

  it('signs the citizen out through the end-session page and delivers the back-channel logout', async () => {
    const end = oidc.buildEndSessionUrl(rp.config, {
      id_token_hint: citizenIdToken,
      post_logout_redirect_uri: DEMO.business.postLogoutRedirectUris[1],
      state: 'bye',
    });
    const confirm = await citizenBrowser.follow(await citizenBrowser.get(end.href), t.baseUrl);
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)">/.exec(confirm.page!);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.page!);
    if (!action || !xsrf) throw new Error(`no logout form: ${confirm.page?.slice(0, 300)}`);
    const done = await citizenBrowser.follow(
      await citizenBrowser.post(new URL(action[1]!, t.baseUrl).href, {
        xsrf: xsrf[1]!,
        logout: 'yes',
      }),
      t.baseUrl,
    );
    expect(done.location).toBe(`${DEMO.business.postLogoutRedirectUris[1]}?state=bye`);

    const token = await until('the back-channel logout token', async () => bcl.tokens[0], 10_000);
    const jwks = createRemoteJWKSet(new URL(`${t.ctx.publicUrls.identity}/jwks`));
    const { payload } = await jwtVerify(token, jwks, {
      issuer: t.ctx.publicUrls.identity,
      audience: DEMO.business.clientId,
    });
    expect(payload).toMatchObject({
      sid: citizenSid,
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    });
  });

  it('verifies every audit chain', async () => {
    const op = await operatorToken('e-archive', 'archive:admin');
    const archive = await call(t.url('e-archive', '/v1/audit/verification'), { token: op });
    expect({ service: 'e-archive over HTTP', ...archive }).toMatchObject({ ok: true });
    for (const service of ['identity', 'e-seal', 'e-license', 'e-archive'] as const) {
      const chain = await t.suite.apps[service].get(AuditLog).verifyChain();
      expect({ service, ...chain }).toMatchObject({ service, ok: true });
      expect(chain.checked).toBeGreaterThan(0);
    }
  });

  function search(q: string) {
    const query = `q=${encodeURIComponent(q)}&purpose=${encodeURIComponent('核对')}`;
    return call<{ items: Json[] }>(t.url('e-archive', `/v1/records?${query}`), {
      token: archivist,
    });
  }

  async function expectDownload(recordId: string, bytes: Buffer): Promise<void> {
    const purpose = encodeURIComponent('核对原件');
    const res = await fetch(
      t.url('e-archive', `/v1/records/${recordId}/content?purpose=${purpose}`),
      {
        headers: { authorization: `Bearer ${archivist}` },
      },
    );
    expect(res.status).toBe(200);
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(bytes));
  }

  let clerkAccess: string | undefined;
  async function clerkToken(): Promise<string> {
    clerkAccess ??= (
      await rp.signIn({
        identifier: DEMO.clerk.username,
        password: DEMO.clerk.password,
        scope: 'openid license:issue',
        resource: 'e-license',
      })
    ).access_token;
    return clerkAccess;
  }

  function operatorToken(resource: string, scope: string): Promise<string> {
    return operatorRp.clientToken(resource, scope);
  }
});
