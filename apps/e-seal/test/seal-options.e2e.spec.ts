import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeRgbaPng, makeSimplePdf, pdfsigReport } from '#pdf';
import { startSealTestSuite, type SealTestSuite } from '../src/testing/seal-test-suite.js';
import {
  api,
  callersFor,
  nssTrustingPlatformRoot,
  ORG_A,
  ORG_B,
  sealInUse,
  sealPdf,
  verifyPdf,
} from '../src/testing/seal-fixtures.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('seal certificates, images, certification and expiry', () => {
  let t: SealTestSuite;
  let a: Awaited<ReturnType<typeof callersFor>>;
  let nss: string;
  const work = mkdtempSync(join(tmpdir(), 'e-seal-options-'));

  beforeAll(async () => {
    t = await startSealTestSuite();
    a = await callersFor(t, ORG_A);
    nss = await nssTrustingPlatformRoot(t);
  });

  afterAll(() => t.stop());

  it('issues a seal certificate naming the organisation in UTF-8, its USCC and the seal code', async () => {
    const id = await sealInUse(t, ORG_A);
    const seal = (await api(t, a.admin, 'GET', `/v1/seals/${id}`)).json;
    writeFileSync(join(work, 'seal.pem'), seal.certificatePem);

    const text = execFileSync(
      'openssl',
      ['x509', '-in', join(work, 'seal.pem'), '-noout', '-text', '-nameopt', 'utf8,sep_comma_plus'],
      { encoding: 'utf8' },
    );

    expect(text).toContain(`O=${ORG_A.name}`);
    expect(text).toContain(`NTRCN-${ORG_A.uscc}`);
    expect(text).toContain(`serialNumber=${seal.code}`);
    expect(text).toContain('Digital Signature, Non Repudiation');
    expect(text).toContain(t.url('e-seal', '/v1/pki/crl'));
  });

  it('seals with an uploaded PNG image and serves that image', async () => {
    const png = makeRgbaPng(96);
    const id = await sealInUse(t, ORG_A, {
      name: `${ORG_A.name}图片章`,
      imagePng: png.toString('base64'),
    });

    const res = await sealPdf(t, a.clerk, await makeSimplePdf(), { sealId: id, x: '50', y: '50' });
    const image = await fetch(t.url('e-seal', `/v1/seals/${id}/image`));

    expect(res.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).equals(png)).toBe(true);
  });

  it('certifies a document, still lets a second organisation sign it, and refuses a second certification', async () => {
    const sealA = await sealInUse(t, ORG_A, { name: `${ORG_A.name}认证章` });
    const sealB = await sealInUse(t, ORG_B, { name: `${ORG_B.name}认证章` });
    const clerkB = (await callersFor(t, ORG_B)).clerk;

    const certified = await sealPdf(t, a.clerk, await makeSimplePdf(), {
      sealId: sealA,
      x: '50',
      y: '50',
      certify: 'true',
    });
    const once = Buffer.from(await certified.arrayBuffer());
    const again = await sealPdf(t, clerkB, once, {
      sealId: sealB,
      x: '300',
      y: '50',
      certify: 'true',
    });
    const signed = await sealPdf(t, clerkB, once, { sealId: sealB, x: '300', y: '50' });
    const twice = Buffer.from(await signed.arrayBuffer());
    writeFileSync(join(work, 'certified.pdf'), twice);
    const report = await verifyPdf(t, twice);

    expect(certified.status).toBe(200);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe('PdfCertifyNotFirst');
    expect(signed.status).toBe(200);
    expect(pdfsigReport(join(work, 'certified.pdf'), nss).map((s) => s.valid)).toEqual([
      true,
      true,
    ]);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures[0].modifications).toMatchObject({
      permissions: 2,
      beyondPermissions: [],
    });
  });

  it('refuses sealing once the seal’s validity has ended, and reports it expired', async () => {
    const now = Date.now();
    const applied = await api(t, a.admin, 'POST', '/v1/seals', {
      ownerUscc: ORG_A.uscc,
      ownerName: ORG_A.name,
      name: `${ORG_A.name}临时章`,
      type: '业务专用章',
      validFrom: new Date(now - 60_000).toISOString(),
      validTo: new Date(now + 4_000).toISOString(),
    });
    const id = applied.json.id as string;
    await api(t, a.officer, 'POST', `/v1/seals/${id}/make`, {});
    await api(t, a.filer, 'POST', `/v1/seals/${id}/file`, {});
    await api(t, a.admin, 'POST', `/v1/seals/${id}/activate`, {});
    await sleep(Math.max(0, now + 4_500 - Date.now()));

    const res = await sealPdf(t, a.clerk, await makeSimplePdf(), { sealId: id, x: '50', y: '50' });
    const seal = await api(t, a.admin, 'GET', `/v1/seals/${id}`);

    expect(res.status).toBe(409);
    expect(((await res.json()) as { code: string }).code).toBe('SealExpired');
    expect(seal.json.status).toBe('expired');
  });

  it('lists the seals of the organisations the caller holds roles for, and no others', async () => {
    const other = await callersFor(t, ORG_B);

    const mine = await api(t, a.admin, 'GET', '/v1/seals');
    const theirs = await api(t, other.admin, 'GET', `/v1/seals?ownerUscc=${ORG_A.uscc}`);

    expect(mine.json.length).toBeGreaterThan(0);
    expect(mine.json.every((s: { ownerUscc: string }) => s.ownerUscc === ORG_A.uscc)).toBe(true);
    expect(theirs.status).toBe(403);
  });
});
