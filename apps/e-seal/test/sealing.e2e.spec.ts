import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceTokenClient } from '#auth';
import { makeSimplePdf, pdfsigReport, qpdfCheck } from '#pdf';
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

describe('sealing PDFs through the API', () => {
  let t: SealTestSuite;
  let nss: string;
  let sealA: string;
  let sealB: string;
  let clerkA: string;
  let clerkB: string;
  const work = mkdtempSync(join(tmpdir(), 'e-seal-sealing-'));

  beforeAll(async () => {
    t = await startSealTestSuite();
    nss = await nssTrustingPlatformRoot(t);
    sealA = await sealInUse(t, ORG_A);
    sealB = await sealInUse(t, ORG_B, { name: `${ORG_B.name}财务专用章` });
    clerkA = (await callersFor(t, ORG_A)).clerk;
    clerkB = (await callersFor(t, ORG_B)).clerk;
  });

  afterAll(() => t.stop());

  it('returns a sealed PDF that pdfsig validates against the platform root and qpdf accepts', async () => {
    const input = await makeSimplePdf();

    const res = await sealPdf(t, clerkA, input, {
      sealId: sealA,
      page: '1',
      x: '400',
      y: '80',
      reason: '合同盖章',
    });

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/pdf/);
    const sealed = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('x-seal-usage-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(sealed.subarray(0, input.length).equals(input)).toBe(true);
    const file = join(work, 'one.pdf');
    writeFileSync(file, sealed);
    const [sig] = pdfsigReport(file, nss);
    // PAdES (ETSI EN 319 142-1 5.3): a CAdES detached signature, named so in /SubFilter.
    expect(sig).toMatchObject({
      valid: true,
      totalDocumentSigned: true,
      subFilter: 'ETSI.CAdES.detached',
    });
    expect(sig!.certificateValidation).toBe('Certificate is Trusted.');
    expect(qpdfCheck(file).exitCode).toBe(0);
    const report = await verifyPdf(t, sealed);
    expect(report.signatures[0]).toMatchObject({
      subFilter: 'ETSI.CAdES.detached',
      signingTime: { source: 'timestamp', proven: true },
    });
  });

  it('keeps the first seal valid when a second organisation seals the same document', async () => {
    const input = await makeSimplePdf({ pages: 2 });
    const first = await sealPdf(t, clerkA, input, { sealId: sealA, page: '1', x: '80', y: '80' });
    const once = Buffer.from(await first.arrayBuffer());

    const second = await sealPdf(t, clerkB, once, { sealId: sealB, page: '2', x: '300', y: '80' });
    const twice = Buffer.from(await second.arrayBuffer());

    expect(second.status).toBe(200);
    const file = join(work, 'twice.pdf');
    writeFileSync(file, twice);
    const sigs = pdfsigReport(file, nss);
    expect(sigs.map((s) => s.valid)).toEqual([true, true]);
    expect(qpdfCheck(file).exitCode).toBe(0);
    const report = await verifyPdf(t, twice);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures).toHaveLength(2);
    expect(report.signatures[0]).toMatchObject({
      indication: 'TOTAL_PASSED',
      integrity: { coversWholeFile: false, coversRevision: true, intact: true },
      modifications: { laterRevisions: true, beyondPermissions: [] },
      seal: { sealId: sealA, validAtSigningTime: true },
    });
    expect(report.signatures[1]).toMatchObject({
      indication: 'TOTAL_PASSED',
      integrity: { coversWholeFile: true },
      chain: { issuedByThisPlatform: true },
      timestamp: { present: true, valid: true, trusted: true },
      signer: { organisationName: ORG_B.name, uscc: ORG_B.uscc },
    });
  });

  it('places the seal over a given text, on the page where the text is', async () => {
    const input = await makeSimplePdf({ pages: 3 });

    const res = await sealPdf(t, clerkA, input, {
      sealId: sealA,
      nearText: 'Page 2',
      position: 'over',
    });
    const missing = await sealPdf(t, clerkA, input, { sealId: sealA, nearText: '甲方（盖章）' });

    expect(res.status).toBe(200);
    expect(res.headers.get('x-seal-page')).toBe('2');
    const file = join(work, 'near-text.pdf');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    expect(pdfsigReport(file, nss)[0]!.valid).toBe(true);
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { code: string }).code).toBe('PdfTextNotFound');
  });
});

describe('sealing by a business system with its identity token', () => {
  let t: SealTestSuite;

  beforeAll(async () => {
    t = await startSealTestSuite();
  });

  afterAll(() => t.stop());

  it('seals for svc-e-license with a client-credentials token from identity when the seal names it', async () => {
    const sealId = await sealInUse(t, ORG_A, {
      name: `${ORG_A.name}证照专用章`,
      allowedClients: ['svc-e-license'],
    });
    const token = await new ServiceTokenClient(t.ctx, 'e-license').getToken('e-seal', [
      'seal:apply',
    ]);

    const res = await sealPdf(t, token, await makeSimplePdf(), { sealId, x: '60', y: '60' });
    const usage = await api(
      t,
      (await callersFor(t, ORG_A)).admin,
      'GET',
      `/v1/seals/${sealId}/usage`,
    );

    expect(res.status).toBe(200);
    expect(usage.json[0].caller).toEqual({
      sub: 'svc-e-license',
      clientId: 'svc-e-license',
      kind: 'client',
    });
  });
});
