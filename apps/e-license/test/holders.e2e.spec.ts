import { ArchiveOutboxWorker } from '../src/archiving/archive-outbox.worker.js';
import { businessLicense, citizen, company, issue, type Issued } from './fixtures.js';
import { startLicenseSuite, type LicenseSuite } from './license-suite.js';

describe('holders, grants and business systems', () => {
  let t: LicenseSuite;
  let clerk: string;
  let person: string;
  let agent: string;
  let business: string;
  let stranger: string;
  let mine: Issued;
  let companyLicense: Issued;

  beforeAll(async () => {
    t = await startLicenseSuite();
    clerk = await t.clerkToken();
    mine = await issue(t, clerk);
    companyLicense = await issue(t, clerk, businessLicense());
    person = await t.token({
      sub: 'person-zhang',
      clientId: 'citizen-portal',
      scopes: ['license:holder'],
      idDocument: { type: '111', number: citizen.code },
    });
    agent = await t.token({
      sub: 'person-li',
      clientId: 'enterprise-portal',
      scopes: ['license:holder'],
      roles: [{ role: 'license:holder', unit: company.code }],
      org: { uscc: company.code, name: company.name },
    });
    business = await t.token({ sub: 'housing-fund', scopes: ['license:read'] });
    stranger = await t.token({
      sub: 'person-wang',
      scopes: ['license:holder'],
      idDocument: { type: '111', number: '110105199003073518' },
    });
  });
  afterAll(() => t.stop());

  it('shows a person the licenses issued to the ID number in the token', async () => {
    const res = await t.api('/v1/holder/licenses', { token: person });
    const list = (await res.json()) as { id: string }[];
    expect(list.map((l) => l.id)).toEqual([mine.license.id]);
  });

  it('shows an agent the licenses of the organisation it acts for', async () => {
    const list = (await (await t.api('/v1/holder/licenses', { token: agent })).json()) as {
      id: string;
    }[];
    expect(list.map((l) => l.id)).toEqual([companyLicense.license.id]);
  });

  it('does not show another person the license, nor let them download it', async () => {
    expect(await (await t.api('/v1/holder/licenses', { token: stranger })).json()).toEqual([]);
    const res = await t.api(`/v1/holder/licenses/${mine.license.id}/pdf`, { token: stranger });
    expect(res.status).toBe(404);
  });

  it('lets the holder download the face and read the data separately', async () => {
    const pdf = await t.api(`/v1/holder/licenses/${mine.license.id}/pdf`, { token: person });
    expect(pdf.headers.get('content-type')).toMatch(/application\/pdf/);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const data = (await (
      await t.api(`/v1/holder/licenses/${mine.license.id}`, { token: person })
    ).json()) as {
      fields: Record<string, string>;
    };
    expect(data.fields.address).toBe('福州市鼓楼区八一七北路1号');
  });

  it('refuses a business system without a grant, and logs nothing for it', async () => {
    const res = await t.api(`/v1/shared/licenses/${encodeURIComponent(mine.license.identifier)}`, {
      token: business,
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'NoGrant' });
  });

  it('lets a business system read under the holder’s grant, and logs who, when and why', async () => {
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const grant = await t.api('/v1/holder/grants', {
      token: person,
      body: {
        licenseId: mine.license.id,
        clientId: 'housing-fund',
        purpose: '公积金提取',
        validUntil: until,
      },
    });
    expect(grant.status).toBe(201);
    const res = await t.api(`/v1/shared/licenses/${encodeURIComponent(mine.license.identifier)}`, {
      token: business,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      purpose: '公积金提取',
      fields: { since: '2020-05-01' },
    });

    const usage = (await (await t.api('/v1/holder/usage', { token: person })).json()) as {
      who: { kind: string; id: string };
      action: string;
      purpose: string;
      at: string;
    }[];
    expect(usage).toContainEqual(
      expect.objectContaining({
        who: { kind: 'client', id: 'housing-fund' },
        action: 'read-data',
        purpose: '公积金提取',
      }),
    );
  });

  it('refuses the business system again once the holder revokes the grant', async () => {
    const grants = (await (await t.api('/v1/holder/grants', { token: person })).json()) as {
      id: string;
    }[];
    const del = await t.api(`/v1/holder/grants/${grants[0]!.id}`, {
      token: person,
      method: 'DELETE',
    });
    expect(await del.json()).toMatchObject({ active: false });
    const res = await t.api(
      `/v1/shared/licenses/${encodeURIComponent(mine.license.identifier)}/pdf`,
      {
        token: business,
      },
    );
    expect(res.status).toBe(403);
  });

  it('lets a system with a standing permission for the type read, logged with that basis', async () => {
    const admin = await t.token({ sub: 'admin-1', scopes: ['license:admin'] });
    const amr = await t.token({ sub: 'amr-approval', scopes: ['license:read'] });
    const perm = await t.api('/v1/permissions', {
      token: admin,
      body: {
        clientId: 'amr-approval',
        typeCode: companyLicense.license.typeCode,
        purpose: '登记机关内部业务',
      },
    });
    expect(perm.status).toBe(201);
    const res = await t.api(
      `/v1/shared/licenses/${encodeURIComponent(companyLicense.license.identifier)}/pdf`,
      {
        token: amr,
      },
    );
    expect(res.status).toBe(200);
    const other = await t.api(
      `/v1/shared/licenses/${encodeURIComponent(mine.license.identifier)}`,
      { token: amr },
    );
    expect(other.status).toBe(403);
    const usage = (await (await t.api('/v1/holder/usage', { token: agent })).json()) as {
      basis: string;
    }[];
    expect(usage[0]!.basis).toMatch(/^standing:/);
  });

  it('refuses a person’s token on the business-system API', async () => {
    const personWithRead = await t.token({ sub: 'p', scopes: ['license:read'], clientId: 'x' });
    const res = await t.api(`/v1/shared/licenses/${encodeURIComponent(mine.license.identifier)}`, {
      token: personWithRead,
    });
    expect(res.status).toBe(403);
  });

  describe('annotated copies (加注件)', () => {
    it('makes a sealed copy that verifies as an annotated copy for its purpose', async () => {
      const until = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
      const res = await t.api(`/v1/holder/licenses/${mine.license.id}/copies`, {
        token: person,
        body: { purpose: '子女入学', recipient: '鼓楼区教育局', validUntil: until },
      });
      expect(res.status).toBe(201);
      const copy = (await res.json()) as {
        id: string;
        verifyUrl: string;
        verificationCode: string;
      };
      const page = await (await fetch(copy.verifyUrl)).text();
      expect(page).toContain('加注件，仅用于“子女入学”');
      expect(page).toContain(`Annotated copy for 子女入学, valid until ${until}`);

      const pdf = await t.api(`/v1/holder/copies/${copy.id}/pdf`, { token: person });
      const form = new FormData();
      form.set(
        'file',
        new Blob([new Uint8Array(await pdf.arrayBuffer())], { type: 'application/pdf' }),
        'c.pdf',
      );
      const up = await fetch(t.url('e-license', '/v1/verification/document'), {
        method: 'POST',
        body: form,
      });
      expect(await up.json()).toMatchObject({
        issuedHere: true,
        valid: true,
        seal: { indication: 'TOTAL_PASSED' },
        license: { copy: { purpose: '子女入学', expired: false } },
      });
    });

    it('refuses a copy valid beyond the license', async () => {
      const res = await t.api(`/v1/holder/licenses/${mine.license.id}/copies`, {
        token: person,
        body: { purpose: '子女入学', recipient: '鼓楼区教育局', validUntil: '2099-01-01' },
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'InvalidCopy' });
    });
  });

  it('hands each issued PDF to e-archive from the outbox, keeping it until e-archive takes it', async () => {
    const worker = t.suite.apps['e-license'].get(ArchiveOutboxWorker);
    type Status = {
      attempts: number;
      status?: string;
      archived_at: string | null;
      last_error: string | null;
    };
    let status: Status = { attempts: 0, archived_at: null, last_error: null };
    // The background pass may hold the job's lease; wait for the first attempt to be recorded.
    for (let i = 0; i < 50 && status.attempts === 0; i++) {
      await worker.runOnce();
      const res = await t.api(`/v1/licenses/${mine.license.id}/archiving`, { token: clerk });
      status = (await res.json()) as Status;
      if (status.attempts === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status.attempts).toBeGreaterThanOrEqual(1);
    // At any hour: e-archive checks the issue date (China time) against China time.
    expect(status).toMatchObject({ status: 'archived', last_error: null });
    expect(status.archived_at).not.toBeNull();
  });
});
