import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PdfErrorCode } from '../errors.js';
import { PdfDocument } from '../parser/document.js';
import { PdfDict, PdfStream } from '../parser/objects.js';
import { readSignatures } from '../validation/signatures.js';
import { makeForgeCmsSigner } from '../testing/cms-test-signer.js';
import { pdfCorpusDir } from '../testing/corpus.js';
import { digestMatches } from '../testing/digest-check.js';
import { makeRgbaPng, makeSimplePdf } from '../testing/fixtures.js';
import { makeTestPki } from '../testing/test-pki.js';
import { nssDbTrusting, pdfsigReport, qpdfCheck } from '../testing/tools.js';
import { formatObject } from '../writer/serialize.js';
import { formFields } from './signature-field.js';
import { signPdf, type CmsSigner } from './sign-pdf.js';

const pki = makeTestPki('Seal');
const signer = makeForgeCmsSigner(pki);
const nss = nssDbTrusting(pki.rootPem);
const work = mkdtempSync(join(tmpdir(), 'pdf-sign-'));
const ORG = '某某市市场监督管理局';

function save(name: string, pdf: Buffer): string {
  const path = join(work, name);
  writeFileSync(path, pdf);
  return path;
}

function expectSoundAndValid(path: string, count: number): void {
  expect(qpdfCheck(path).exitCode).toBe(0);
  const report = pdfsigReport(path, nss);
  expect(report).toHaveLength(count);
  expect(report.every((s) => s.valid)).toBe(true);
  expect(report[count - 1].totalDocumentSigned).toBe(true);
}

describe('signPdf', () => {
  test('draws the round official seal with the organisation name in an embedded CJK subset', async () => {
    const { pdf } = await signPdf(await makeSimplePdf(), {
      signer,
      rect: [400, 600, 540, 740],
      appearance: {
        kind: 'seal',
        seal: { organization: ORG, sealName: '合同专用章', code: '1101080012345' },
      },
    });
    const path = save('seal.pdf', pdf);
    expectSoundAndValid(path, 1);

    const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' });
    // pdf-lib does not prefix subset names; the subset shows in the size instead.
    expect(fonts).toMatch(/\S+\s+CID TrueType\s+Identity-H\s+yes\s+\S+\s+yes/);
    expect(pdf.length).toBeLessThan(200_000);
    const text = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' }).replace(/\s/g, '');
    expect(text).toContain('合同专用章');
    for (const ch of ORG) expect(text).toContain(ch);
  });

  test('scales an RGBA PNG into the widget with its alpha channel as a soft mask', async () => {
    const { pdf } = await signPdf(await makeSimplePdf(), {
      signer,
      rect: [50, 50, 150, 100],
      appearance: { kind: 'png', png: makeRgbaPng() },
    });
    expectSoundAndValid(save('png.pdf', pdf), 1);
    const doc = PdfDocument.load(pdf);
    const images = doc
      .objectNumbers()
      .map((n) => doc.getObject(n))
      .filter((o): o is PdfStream => o instanceof PdfStream && o.dict.name('Subtype') === 'Image');
    expect(images.some((i) => i.dict.has('SMask'))).toBe(true);
  });

  test('writes a cross-reference stream after a file that ends with one', async () => {
    const input = await makeSimplePdf({ objectStreams: true });
    const first = await signPdf(input, {
      signer,
      rect: [10, 10, 110, 60],
      appearance: { kind: 'png', png: makeRgbaPng() },
    });
    const second = await signPdf(first.pdf, { signer });
    const tail = second.pdf.subarray(first.pdf.length).toString('latin1');
    expect(tail).toMatch(/\/Type\s*\/XRef/);
    expect(tail).not.toMatch(/^xref$/m);
    expectSoundAndValid(save('xrefstream.pdf', second.pdf), 2);
  });

  test('certifies with DocMDP P=2 and still accepts a later approval signature', async () => {
    const certified = await signPdf(await makeSimplePdf(), { signer, certify: { permissions: 2 } });
    const approved = await signPdf(certified.pdf, { signer });
    expectSoundAndValid(save('certified-p2.pdf', approved.pdf), 2);
    const [cert] = readSignatures(approved.pdf);
    expect(cert.docMdp).toBe(2);
  });

  test('refuses to sign a document certified with DocMDP P=1', async () => {
    const certified = await signPdf(await makeSimplePdf(), { signer, certify: { permissions: 1 } });
    expectSoundAndValid(save('certified-p1.pdf', certified.pdf), 1);
    await expect(signPdf(certified.pdf, { signer })).rejects.toMatchObject({
      code: PdfErrorCode.CertifiedNoChanges,
    });
  });

  test('refuses a certification signature after an approval signature', async () => {
    const signed = await signPdf(await makeSimplePdf(), { signer });
    await expect(
      signPdf(signed.pdf, { signer, certify: { permissions: 2 } }),
    ).rejects.toMatchObject({
      code: PdfErrorCode.CertifyNotFirst,
    });
  });

  test('keeps the fields and values of a form filled by Acrobat', async () => {
    const path = join(pdfCorpusDir(), 'qpdf-form-filled-by-acrobat.pdf');
    let input: Buffer;
    try {
      input = readFileSync(path);
    } catch {
      console.warn(`skipped: ${path} not found`);
      return;
    }
    const values = (pdf: Buffer) =>
      formFields(PdfDocument.load(pdf))
        .filter((f) => f.dict.name('FT') !== 'Sig')
        .map((f) => `${f.name}=${formatObject(f.dict.get('V') ?? null)}`);
    const { pdf } = await signPdf(input, {
      signer,
      rect: [20, 20, 120, 70],
      appearance: { kind: 'png', png: makeRgbaPng() },
    });
    expect(values(pdf)).toEqual(values(input));
    expect(values(input).length).toBeGreaterThan(3);
    const acro = PdfDocument.load(pdf).resolve(PdfDocument.load(pdf).catalog.get('AcroForm'));
    expect((acro as PdfDict).get('SigFlags')).toBe(3);
  });

  test('grows the placeholder and signs again when the container is larger than reserved', async () => {
    let calls = 0;
    const counting: CmsSigner = (d, i) => {
      calls++;
      return signer(d, i);
    };
    const { pdf } = await signPdf(await makeSimplePdf(), {
      signer: counting,
      estimatedSignatureSize: 200,
    });
    expect(calls).toBe(2);
    expectSoundAndValid(save('grown.pdf', pdf), 1);
  });

  test('refuses a page that does not exist with PdfPageNotFound', async () => {
    await expect(signPdf(await makeSimplePdf(), { signer, page: 3 })).rejects.toMatchObject({
      code: PdfErrorCode.PageNotFound,
    });
  });

  test('refuses a field name that is already taken', async () => {
    const once = await signPdf(await makeSimplePdf(), { signer, fieldName: 'Seal' });
    await expect(signPdf(once.pdf, { signer, fieldName: 'Seal' })).rejects.toMatchObject({
      code: PdfErrorCode.FieldNameTaken,
    });
  });

  test('signs a 10 MB file quickly, spending the time in the signer and not in the PDF code', async () => {
    const input = await makeSimplePdf({ padding: 10 * 1024 * 1024 });
    expect(input.length).toBeGreaterThan(10 * 1024 * 1024);
    let signerMs = 0;
    const timed: CmsSigner = async (d, i) => {
      const t = performance.now();
      const stub = Buffer.concat([Buffer.from([0x30, 0x82, 0x00, 0x04]), Buffer.alloc(4)]);
      void d;
      void i;
      signerMs += performance.now() - t;
      return Promise.resolve(stub);
    };
    const t0 = performance.now();
    const { pdf, digest } = await signPdf(input, { signer: timed });
    const ms = performance.now() - t0 - signerMs;
    console.log(`10 MB sign without the signer: ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(500);
    expect(readSignatures(pdf)[0].coversWholeFile).toBe(true);
    expect(digest).toHaveLength(32);
  });

  test('leaves earlier signatures intact byte for byte and verifiable by digest', async () => {
    const a = await signPdf(await makeSimplePdf({ pages: 3 }), {
      signer,
      page: 2,
      rect: [0, 0, 50, 50],
      appearance: { kind: 'png', png: makeRgbaPng() },
    });
    const b = await signPdf(a.pdf, { signer, page: 1 });
    const sigs = readSignatures(b.pdf);
    expect(sigs.map((s) => digestMatches(b.pdf, s))).toEqual([true, true]);
    expect(sigs.map((s) => s.coversWholeFile)).toEqual([false, true]);
    expect(sigs.map((s) => s.coversRevision)).toEqual([true, true]);
  });
});
