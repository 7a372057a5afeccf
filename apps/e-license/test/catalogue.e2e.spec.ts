import { createHash } from 'node:crypto';
import type { LicenseTypeView } from '../src/catalogue/license-type.dto.js';
import {
  DEMO_DEFINING_AUTHORITY,
  DEMO_ISSUING_AUTHORITY,
  demoLayout,
} from '../src/demo/demo-catalogue.js';
import { citizen, issue, type Issued } from './fixtures.js';
import { startLicenseSuite, type LicenseSuite } from './license-suite.js';
import { pageTexts } from './pdf-tools.js';

/** e-seal's demo seal of 示例市市场监督管理局, usable by svc-e-license (e-seal demo data). */
const OTHER_SEAL_ID = '5ea10000-0000-4000-8000-000000000003';

const typeCode = `${DEMO_DEFINING_AUTHORITY.uscc}009`;
const version1 = {
  code: typeCode,
  name: '养犬登记证',
  definingAuthorityName: DEMO_DEFINING_AUTHORITY.name,
  definingAuthorityUscc: DEMO_DEFINING_AUTHORITY.uscc,
  holderCategory: 1,
  issuingLevel: '市级',
  fieldsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['dogName'],
    properties: { dogName: { type: 'string', title: '犬名', maxLength: 20 } },
  },
  validityYears: 1,
  layout: {
    ...demoLayout,
    fields: [
      { key: '$holderName', label: '犬主姓名：', x: 80, y: 620, size: 14 },
      { key: 'dogName', label: '犬名：', x: 80, y: 585, size: 12 },
    ],
  },
};
// Version 2 adds the breed, renames a label and lengthens the validity.
const version2 = {
  ...version1,
  code: undefined,
  fieldsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['dogName', 'breed'],
    properties: {
      dogName: { type: 'string', title: '犬名', maxLength: 20 },
      breed: { type: 'string', title: '犬种', maxLength: 20 },
    },
  },
  validityYears: 2,
  layout: {
    ...version1.layout,
    fields: [
      { key: '$holderName', label: '养犬人：', x: 80, y: 620, size: 14 },
      { key: 'dogName', label: '犬名：', x: 80, y: 585, size: 12 },
      { key: 'breed', label: '犬种：', x: 80, y: 550, size: 12 },
    ],
  },
};

const dogLicense = (fields: Record<string, string>, issuerUscc = DEMO_ISSUING_AUTHORITY.uscc) => ({
  typeCode,
  issuerUscc,
  holder: citizen,
  fields,
});

describe('the catalogue and issuing authorities through the API', () => {
  let t: LicenseSuite;
  let admin: string;
  let clerk: string;
  let sealAdmin: string;
  let other: { uscc: string; name: string };
  let otherClerk: string;
  let underV1: Issued;
  let v1Pdf: Buffer;

  beforeAll(async () => {
    t = await startLicenseSuite();
    admin = await t.token({ sub: 'admin-1', scopes: ['license:admin'] });
    clerk = await t.clerkToken();
    sealAdmin = await t.issuer!.token(t.ctx, 'e-seal', {
      sub: 'seal-admin',
      scopes: ['seal:manage', 'seal:read'],
      roles: [
        { role: 'seal:manage', unit: '*' },
        { role: 'seal:read', unit: '*' },
      ],
    });
    const seal = (await (await sealApi(`/v1/seals/${OTHER_SEAL_ID}`)).json()) as {
      ownerUscc: string;
      ownerName: string;
      status: string;
    };
    expect(seal.status).toBe('in_use');
    other = { uscc: seal.ownerUscc, name: seal.ownerName };
    otherClerk = await t.clerkToken(other.uscc);
  });
  afterAll(() => t.stop());

  const sealApi = (path: string, method = 'GET') =>
    fetch(t.url('e-seal', path), {
      method,
      headers: { authorization: `Bearer ${sealAdmin}`, 'content-type': 'application/json' },
      body: method === 'POST' ? JSON.stringify({ note: 'catalogue e2e' }) : undefined,
    });

  const issuedBy = async (uscc: string) =>
    (await (
      await t.api(`/v1/licenses?issuer=${uscc}`, { token: await t.clerkToken(uscc) })
    ).json()) as unknown[];

  it('adds a license type for an admin only, and serves it to anyone', async () => {
    expect((await t.api('/v1/types', { token: clerk, body: version1 })).status).toBe(403);

    const res = await t.api('/v1/types', { token: admin, body: version1 });

    expect(res.status).toBe(201);
    const got = (await (await t.api(`/v1/types/${typeCode}`)).json()) as LicenseTypeView;
    expect(got).toMatchObject({ code: typeCode, version: 1, name: '养犬登记证' });
    const list = (await (await t.api('/v1/types')).json()) as LicenseTypeView[];
    expect(list.map((x) => x.code)).toContain(typeCode);
    const again = await t.api('/v1/types', { token: admin, body: version1 });
    expect(await again.json()).toMatchObject({ code: 'LicenseTypeExists' });
  });

  it('registers an issuing authority for an admin only, and serves it to anyone', async () => {
    const body = {
      uscc: other.uscc,
      name: other.name,
      regionCode: '110105',
      level: '区级',
      sealId: OTHER_SEAL_ID,
    };
    expect(
      (await t.api(`/v1/authorities/${other.uscc}`, { method: 'PUT', token: clerk, body })).status,
    ).toBe(403);

    const res = await t.api(`/v1/authorities/${other.uscc}`, { method: 'PUT', token: admin, body });

    expect(res.status).toBe(200);
    expect(await (await t.api(`/v1/authorities/${other.uscc}`)).json()).toEqual(body);
    const list = (await (await t.api('/v1/authorities')).json()) as { uscc: string }[];
    expect(list.map((a) => a.uscc)).toEqual(
      expect.arrayContaining([other.uscc, DEMO_ISSUING_AUTHORITY.uscc]),
    );
  });

  it('makes a revision a new version and keeps the old one readable', async () => {
    underV1 = await issue(t, clerk, dogLicense({ dogName: '旺财' }));
    const pdfRes = await t.api(`/v1/licenses/${underV1.license.id}/pdf`, { token: clerk });
    v1Pdf = Buffer.from(await pdfRes.arrayBuffer());

    const res = await t.api(`/v1/types/${typeCode}/versions`, { token: admin, body: version2 });

    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ version: 2, validity: { years: 2 } });
    const versions = (await (
      await t.api(`/v1/types/${typeCode}/versions`)
    ).json()) as LicenseTypeView[];
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2]);
    expect(await (await t.api(`/v1/types/${typeCode}/versions/1`)).json()).toMatchObject({
      version: 1,
      validity: { years: 1 },
    });
    expect(await (await t.api(`/v1/types/${typeCode}`)).json()).toMatchObject({ version: 2 });
  });

  it('keeps a license issued under version 1 on version 1, its face and data unchanged', async () => {
    const view = (await (
      await t.api(`/v1/licenses/${underV1.license.id}`, { token: clerk })
    ).json()) as {
      typeVersion: number;
      fields: Record<string, string>;
      validity: { from: string; until: string };
      documentSha256: string;
    };
    const pdf = Buffer.from(
      await (await t.api(`/v1/licenses/${underV1.license.id}/pdf`, { token: clerk })).arrayBuffer(),
    );

    expect(view.typeVersion).toBe(1);
    expect(view.fields).toEqual({ dogName: '旺财' });
    expect(Number(view.validity.until.slice(0, 4)) - Number(view.validity.from.slice(0, 4))).toBe(
      1,
    );
    expect(pdf.equals(v1Pdf)).toBe(true);
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(view.documentSha256);
    expect(pageTexts(pdf)[0]).toContain('犬主姓名');

    // A new license follows version 2: its schema (breed required), face and validity.
    const refused = await t.api('/v1/licenses', {
      token: clerk,
      body: dogLicense({ dogName: '来福' }),
    });
    expect(await refused.json()).toMatchObject({ code: 'FieldsInvalid' });
    const underV2 = await issue(t, clerk, dogLicense({ dogName: '来福', breed: '中华田园犬' }));
    expect(underV2.license).toMatchObject({ typeCode });
    const v2 = (await (
      await t.api(`/v1/licenses/${underV2.license.id}`, { token: clerk })
    ).json()) as {
      typeVersion: number;
    };
    expect(v2.typeVersion).toBe(2);
    const v2Pdf = Buffer.from(
      await (await t.api(`/v1/licenses/${underV2.license.id}/pdf`, { token: clerk })).arrayBuffer(),
    );
    expect(pageTexts(v2Pdf)[0]).toContain('养犬人');
  });

  it.each([
    ['suspended', 'suspend'],
    ['cancelled', 'cancel'],
  ])('refuses to issue with a %s seal, with a stable code, storing nothing', async (_, action) => {
    // Works with the seal active (so the refusal below is the seal's doing).
    if (action === 'suspend') {
      await issue(t, otherClerk, dogLicense({ dogName: '大黄', breed: '柴犬' }, other.uscc));
    }
    const before = await issuedBy(other.uscc);
    expect((await sealApi(`/v1/seals/${OTHER_SEAL_ID}/${action}`, 'POST')).status).toBe(201);

    const res = await t.api('/v1/licenses', {
      token: otherClerk,
      body: dogLicense({ dogName: '小黑', breed: '柴犬' }, other.uscc),
    });

    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'SealNotActive', sealId: OTHER_SEAL_ID });
    expect(await issuedBy(other.uscc)).toHaveLength(before.length);
    if (action === 'suspend') {
      expect((await sealApi(`/v1/seals/${OTHER_SEAL_ID}/resume`, 'POST')).status).toBe(201);
    }
  });
});
