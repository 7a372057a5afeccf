import { residentIdCheckDigit } from '#common';
import { RelyingParty } from '../../../test/support/journey.js';
import { issue, residence } from './fixtures.js';
import { startLicenseSuite, type LicenseSuite } from './license-suite.js';

// identity's demo citizen 张三 and demo business system (apps/identity README).
const ZHANGSAN_ID = '11010519900307351' + residentIdCheckDigit('11010519900307351');
const BUSINESS = { id: 'demo-business', secret: 'demo-business-secret-change-me' };

describe('holders and business systems with identity’s real tokens', () => {
  let t: LicenseSuite;
  let rp: RelyingParty;

  beforeAll(async () => {
    t = await startLicenseSuite();
    rp = await RelyingParty.discover(
      t,
      BUSINESS.id,
      BUSINESS.secret,
      'http://localhost:4000/callback',
    );
  });
  afterAll(() => t.stop());

  it('shows a citizen signed in at identity the license issued to their verified ID number', async () => {
    const issued = await issue(
      t,
      await t.clerkToken(),
      residence({}, { name: '张三', codeType: '111', code: ZHANGSAN_ID }),
    );
    const tokens = await rp.signIn({
      identifier: 'zhangsan',
      password: 'Zhangsan#2024',
      scope: 'openid idcard license:holder',
      resource: 'e-license',
    });
    const res = await t.api('/v1/holder/licenses', { token: tokens.access_token });
    expect(res.status).toBe(200);
    const list = (await res.json()) as { id: string }[];
    expect(list.map((l) => l.id)).toEqual([issued.license.id]);

    const business = await rp.clientToken('e-license', 'license:read');
    const path = `/v1/shared/licenses/${encodeURIComponent(issued.license.identifier)}`;
    expect((await t.api(path, { token: business })).status).toBe(403);
    const grant = await t.api('/v1/holder/grants', {
      token: tokens.access_token,
      body: {
        licenseId: issued.license.id,
        clientId: BUSINESS.id,
        purpose: '入学资格审核',
        validUntil: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    expect(grant.status).toBe(201);
    expect((await t.api(path, { token: business })).status).toBe(200);
  });
});
