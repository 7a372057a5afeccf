import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parseLicenseIdentifier } from '../src/identifier/license-identifier.js';
import { citizen, issue, residence, verify, type Issued } from './fixtures.js';
import { startLicenseSuite, type LicenseSuite } from './license-suite.js';

async function countLicenses(t: LicenseSuite): Promise<number> {
  const c = new pg.Client({ connectionString: t.db.url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: string }>('SELECT count(*) AS n FROM e_license.license');
    return Number(rows[0]!.n);
  } finally {
    await c.end();
  }
}

describe('issuing a license and verifying it, against the real e-seal', () => {
  let t: LicenseSuite;
  let clerk: string;
  let issued: Issued;
  let pdf: Buffer;

  beforeAll(async () => {
    t = await startLicenseSuite();
    clerk = await t.clerkToken();
  });
  afterAll(() => t.stop());

  it('issues a sealed license with a valid GB/T 36904 identifier', async () => {
    issued = await issue(t, clerk);
    expect(parseLicenseIdentifier(issued.license.identifier).valid).toBe(true);
    expect(issued.license.status).toBe('valid');
    expect(issued.verificationCode).toMatch(/^[2-9A-Z]{8}$/);
  });

  it('verifies the license by identifier and verification code, with the name masked', async () => {
    const res = await t.api('/v1/verification', {
      body: { identifier: issued.license.identifier, code: issued.verificationCode },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      valid: true,
      outcome: 'valid',
      status: 'valid',
      holderName: '张*三',
    });
    expect(JSON.stringify(body)).not.toContain(citizen.code);
  });

  it('answers a wrong verification code like an unknown license', async () => {
    const res = await t.api('/v1/verification', {
      body: { identifier: issued.license.identifier, code: 'WRONG234' },
    });
    expect(await res.json()).toMatchObject({ valid: false, outcome: 'not-found' });
  });

  it('refuses an identifier whose check character is wrong', async () => {
    const id = issued.license.identifier;
    const last = id.at(-1) === 'A' ? 'B' : 'A';
    const res = await t.api('/v1/verification', {
      body: { identifier: id.slice(0, -1) + last, code: 'X' + issued.verificationCode },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'InvalidIdentifier' });
  });

  it('hands out a PDF that pdfsig accepts as signed and unmodified', async () => {
    const res = await t.api(`/v1/licenses/${issued.license.id}/pdf`, { token: clerk });
    expect(res.status).toBe(200);
    pdf = Buffer.from(await res.arrayBuffer());
    const dir = mkdtempSync(join(tmpdir(), 'license-'));
    writeFileSync(join(dir, 'license.pdf'), pdf);
    const out = execFileSync('pdfsig', [join(dir, 'license.pdf')], { encoding: 'utf8' });
    expect(out).toMatch(/Signature Validation: Signature is Valid/);
    expect(out).toMatch(/Total document signed/);
    const text = execFileSync('pdftotext', [join(dir, 'license.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('居住证明');
    expect(text).toContain(issued.license.identifier);
  });

  it('verifies the uploaded PDF: seal by e-seal, same bytes as issued, license valid', async () => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'l.pdf');
    const res = await fetch(t.url('e-license', '/v1/verification/document'), {
      method: 'POST',
      body: form,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      issuedHere: true,
      valid: true,
      seal: { indication: 'TOTAL_PASSED' },
      license: { status: 'valid', holderName: '张*三' },
    });
  });

  it('does not vouch for a PDF that differs by one byte from the one issued', async () => {
    const changed = Buffer.from(pdf);
    const at = changed.indexOf('/Producer');
    changed[at + 2] = changed[at + 2] === 0x72 ? 0x52 : 0x72;
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(changed)], { type: 'application/pdf' }), 'l.pdf');
    const res = await fetch(t.url('e-license', '/v1/verification/document'), {
      method: 'POST',
      body: form,
    });
    const body = (await res.json()) as { issuedHere: boolean; valid: boolean };
    expect(body).toMatchObject({ issuedHere: false, valid: false });
  });

  it('serves the QR code page in Chinese and English without the holder code', async () => {
    const qr = `/verify/${encodeURIComponent(issued.license.identifier)}?code=${issued.verificationCode}`;
    const res = await fetch(t.url('e-license', qr));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain('该电子证照有效');
    expect(html).toContain('This license is valid');
    expect(html).toContain('张*三');
    expect(html).not.toContain(citizen.code);
    expect(html).not.toContain('<script');
  });

  it('never repeats a serial or an identifier under 20 concurrent issuances', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => issue(t, clerk)));
    const ids = new Set(results.map((r) => r.license.identifier));
    const numbers = new Set(results.map((r) => r.license.licenseNumber));
    expect(ids.size).toBe(20);
    expect(numbers.size).toBe(20);
    for (const r of results) expect(parseLicenseIdentifier(r.license.identifier).valid).toBe(true);
  });

  describe('bad input', () => {
    const refused = async (body: unknown, token = clerk) => {
      const before = await countLicenses(t);
      const res = await t.api('/v1/licenses', { token, body });
      const problem = (await res.json()) as { code: string; errors?: { field: string }[] };
      expect(await countLicenses(t)).toBe(before);
      return { status: res.status, ...problem };
    };

    it('refuses an unknown license type', async () => {
      expect(await refused({ ...residence(), typeCode: '11350000MB0000027H999' })).toMatchObject({
        status: 404,
        code: 'UnknownLicenseType',
      });
    });

    it('names each field that fails the type schema', async () => {
      const body = residence({ since: 'yesterday', color: 'red' });
      delete (body.fields as Record<string, unknown>).address;
      const p = await refused(body);
      expect(p).toMatchObject({ status: 400, code: 'FieldsInvalid' });
      expect(p.errors!.map((e) => e.field).sort()).toEqual(['address', 'color', 'since']);
    });

    it('refuses a resident ID number with a wrong check digit', async () => {
      const p = await refused(residence({}, { ...citizen, code: '110105194912310021' }));
      expect(p).toMatchObject({ status: 400, code: 'InvalidHolderCode' });
    });

    it('refuses a USCC as the holder of a license for persons', async () => {
      const p = await refused(
        residence({}, { name: '某公司', codeType: '001', code: '91350100M000100145' }),
      );
      expect(p).toMatchObject({ status: 400, code: 'HolderCategoryMismatch' });
    });

    it('refuses a clerk who does not act for the issuing authority', async () => {
      const other = await t.clerkToken('11110000MB0000035E');
      expect(await refused(residence(), other)).toMatchObject({
        status: 403,
        code: 'NotActingForAuthority',
      });
    });

    it('issues nothing when e-seal refuses the seal', async () => {
      const admin = await t.token({ sub: 'admin-1', scopes: ['license:admin'] });
      const put = await t.api('/v1/authorities/11110000MB0000035E', {
        method: 'PUT',
        token: admin,
        body: {
          name: '某省测试发证机关',
          uscc: '11110000MB0000035E',
          regionCode: '110000',
          level: '省级',
          sealId: '5ea10000-0000-4000-8000-0000000000ff',
        },
      });
      expect(put.status).toBe(200);
      const clerkThere = await t.clerkToken('11110000MB0000035E');
      const p = await refused({ ...residence(), issuerUscc: '11110000MB0000035E' }, clerkThere);
      expect(p).toMatchObject({ status: 409, code: 'SealNotActive' });
    });
  });

  it('shows a freshly issued license as valid in the fixture helper too', async () => {
    expect(await verify(t, issued)).toMatchObject({ valid: true });
  });
});
