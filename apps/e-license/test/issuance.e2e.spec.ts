import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLicenseIdentifier } from '../src/identifier/license-identifier.js';
import { demoResidenceCertificate } from '../src/demo/demo-catalogue.js';
import { startLicenseSuite, type LicenseSuite } from './license-suite.js';

export const citizen = { name: '张小三', codeType: '111', code: '11010519491231002X' };
export const residence = (extra: Record<string, unknown> = {}) => ({
  typeCode: demoResidenceCertificate.code,
  issuerUscc: '11350100MB0000019U',
  holder: citizen,
  fields: {
    address: '福州市鼓楼区八一七北路1号',
    since: '2020-05-01',
    purpose: '子女入学',
    ...extra,
  },
});

interface Issued {
  license: {
    id: string;
    identifier: string;
    status: string;
    documentSha256: string;
    licenseNumber: string;
  };
  verificationCode: string;
}

describe('issuing a license and verifying it, against the real e-seal', () => {
  let t: LicenseSuite;
  let clerk: string;
  let issued: Issued;

  beforeAll(async () => {
    t = await startLicenseSuite();
    clerk = await t.clerkToken();
  });
  afterAll(() => t.stop());

  it('issues a sealed license with a valid GB/T 36904 identifier', async () => {
    const res = await t.api('/v1/licenses', { token: clerk, body: residence() });
    const body = (await res.json()) as Issued;
    expect({ status: res.status, body }).toMatchObject({ status: 201 });
    issued = body;
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

  it('hands out a PDF that pdfsig accepts as signed and unmodified', async () => {
    const res = await t.api(`/v1/licenses/${issued.license.id}/pdf`, { token: clerk });
    expect(res.status).toBe(200);
    const pdf = Buffer.from(await res.arrayBuffer());
    const dir = mkdtempSync(join(tmpdir(), 'license-'));
    writeFileSync(join(dir, 'license.pdf'), pdf);
    const out = execFileSync('pdfsig', [join(dir, 'license.pdf')], { encoding: 'utf8' });
    expect(out).toMatch(/Signature Validation: Signature is Valid/);
    expect(out).toMatch(/Total document signed|The signature form field is signed/i);
    const text = execFileSync('pdftotext', [join(dir, 'license.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('居住证明');
    expect(text).toContain(issued.license.identifier);
  });
});
