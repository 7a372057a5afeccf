import { IncrementalUpdate, makeSimplePdf, PdfDict, PdfDocument, PdfStream, signPdf } from '#pdf';
import { startSealTestSuite, type SealTestSuite } from '../src/testing/seal-test-suite.js';
import { callersFor, ORG_A, sealInUse, sealPdf, verifyPdf } from '../src/testing/seal-fixtures.js';

/** An incremental update that draws over page 1 after it was sealed (a "shadow" change). */
function drawOverFirstPage(sealed: Buffer): Buffer {
  const doc = PdfDocument.load(sealed);
  const page = doc.pages()[0]!;
  const update = new IncrementalUpdate(doc);
  const overlay = update.allocate();
  const content = Buffer.from('q 1 1 1 rg 0 0 595 842 re f Q');
  update.set(overlay, new PdfStream(new PdfDict([['Length', content.length]]), content));
  const contents = doc.resolve(page.dict.get('Contents')!);
  const list = Array.isArray(contents) ? contents : [page.dict.get('Contents')!];
  update.set(page.ref, page.dict.clone().set('Contents', [...list, overlay]));
  return update.write().bytes;
}

describe('verification of sealed PDFs', () => {
  let t: SealTestSuite;
  let sealed: Buffer;

  beforeAll(async () => {
    t = await startSealTestSuite();
    const sealId = await sealInUse(t, ORG_A);
    const { clerk } = await callersFor(t, ORG_A);
    const res = await sealPdf(t, clerk, await makeSimplePdf(), { sealId, x: '300', y: '300' });
    sealed = Buffer.from(await res.arrayBuffer());
  });

  afterAll(() => t.stop());

  it('accepts the PDF as a multipart file part as well as a raw body', async () => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(sealed)]), 'sealed.pdf');

    const res = await fetch(t.url('e-seal', '/v1/verification'), { method: 'POST', body: form });
    const report = (await res.json()) as { indication: string; signatureCount: number };

    expect(res.status).toBe(200);
    expect(report).toMatchObject({ indication: 'TOTAL_PASSED', signatureCount: 1 });
  });

  it('reports page content drawn after sealing as a change beyond the permissions', async () => {
    const changed = drawOverFirstPage(sealed);

    const report = await verifyPdf(t, changed);

    expect(report.indication).toBe('TOTAL_FAILED');
    expect(report.signatures[0]).toMatchObject({
      integrity: { intact: true, coversWholeFile: false },
      modifications: { laterRevisions: true },
      subIndication: 'SIG_CONSTRAINTS_FAILURE',
    });
    expect(report.signatures[0].modifications.beyondPermissions).toContain('page content changed');
  });

  it('reports a flipped byte inside the signed range as a broken signature', async () => {
    const broken = Buffer.from(sealed);
    // The page width in the original revision: 595 -> 596, same length, same offsets.
    const at = broken.indexOf('595');
    expect(at).toBeGreaterThan(0);
    broken[at + 2] = '6'.charCodeAt(0);

    const report = await verifyPdf(t, broken);

    expect(report.signatures[0]).toMatchObject({
      indication: 'TOTAL_FAILED',
      subIndication: 'HASH_FAILURE',
      integrity: { digestMatches: false, intact: false },
    });
  });

  it('refuses a PDF with more signatures than E_SEAL_MAX_SIGNATURES (default 50) before checking any', async () => {
    // The cap is applied before any CMS is read, so these containers need not be real.
    let pdf = await makeSimplePdf();
    for (let i = 0; i < 51; i++) {
      pdf = (
        await signPdf(pdf, {
          signer: async () => Buffer.from('3000', 'hex'),
          estimatedSignatureSize: 64,
        })
      ).pdf;
    }

    const res = await fetch(t.url('e-seal', '/v1/verification'), {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: new Uint8Array(pdf),
    });
    const problem = (await res.json()) as { code: string; signatures: number; max: number };

    expect(res.status).toBe(422);
    expect(problem).toMatchObject({ code: 'PdfTooManySignatures', signatures: 51, max: 50 });
  });

  it('shows the report on the public page, in Chinese first and English', async () => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(sealed)]), 'sealed.pdf');

    const res = await fetch(t.url('e-seal', '/verify'), { method: 'POST', body: form });
    const html = await res.text();

    expect(res.status).toBe(200);
    expect(html).toContain('有效 Valid');
    expect(html).toContain(ORG_A.name);
    expect(html).toContain('本平台签发 issued by this platform');
    // Codes are said in words: the seal's status, the revocation state, the proven time.
    expect(html).toContain('使用中 in use');
    expect(html).toContain('未吊销 not revoked');
    expect(html).toContain('已由可信时间戳证明 proven by a trusted time-stamp');
    expect(html).not.toContain('<script');
  });

  it('answers a file that is not a PDF on the page with the form and a message', async () => {
    const form = new FormData();
    form.set('file', new Blob([Buffer.from('hello')]), 'x.pdf');

    const res = await fetch(t.url('e-seal', '/verify'), { method: 'POST', body: form });

    expect(res.status).toBe(415);
    expect(await res.text()).toContain('该文件不是 PDF');
  });
});
