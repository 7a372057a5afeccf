import { deflateSync } from 'node:zlib';
import { PdfError, PdfErrorCode } from '../errors.js';
import { makeSimplePdf } from '../testing/fixtures.js';
import { PdfDocument } from './document.js';

/** A minimal file whose single xref stream uses /Index and PNG Up predictors (as Word writes). */
function xrefStreamPdf(): Buffer {
  const parts: string[] = ['%PDF-1.5\n'];
  const offsets: number[] = [];
  const add = (s: string) => {
    offsets.push(parts.join('').length);
    parts.push(s);
  };
  add('1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n');
  add('2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n');
  add('3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 10 10]>> endobj\n');
  const xrefAt = parts.join('').length;
  const rows = [
    [0, 0, 0xff],
    [1, offsets[0], 0],
    [1, offsets[1], 0],
    [1, offsets[2], 0],
    [1, xrefAt, 0],
  ];
  const raw: number[] = [];
  let prev = [0, 0, 0, 0];
  for (const [t, o, g] of rows) {
    const row = [t, (o >> 8) & 0xff, o & 0xff, g];
    raw.push(2, ...row.map((v, i) => (v - prev[i]) & 0xff));
    prev = row;
  }
  const data = deflateSync(Buffer.from(raw));
  const head =
    `4 0 obj <</Type /XRef /Size 5 /Index [0 5] /W [1 2 1] /Root 1 0 R /Filter /FlateDecode ` +
    `/DecodeParms <</Predictor 12 /Columns 4>> /Length ${data.length}>>\nstream\n`;
  return Buffer.concat([
    Buffer.from(parts.join('') + head, 'latin1'),
    data,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'),
  ]);
}

describe('PdfDocument', () => {
  test('reads a cross-reference stream with PNG predictors', () => {
    const doc = PdfDocument.load(xrefStreamPdf());
    expect(doc.xrefKind).toBe('stream');
    expect(doc.pages()).toHaveLength(1);
    expect(doc.repaired).toBe(false);
  });

  test('reads object streams written by pdf-lib', async () => {
    const doc = PdfDocument.load(await makeSimplePdf({ pages: 3, objectStreams: true }));
    expect(doc.pages()).toHaveLength(3);
    expect(doc.objectNumbers().some((n) => doc.entry(n)?.type === 'compressed')).toBe(true);
  });

  test('refuses a file that is not a PDF', () => {
    expect(() => PdfDocument.load(Buffer.from('hello'))).toThrow(
      expect.objectContaining({ code: PdfErrorCode.NotPdf }),
    );
  });

  test('refuses a file over the size limit', async () => {
    const pdf = await makeSimplePdf();
    expect(() => PdfDocument.load(pdf, { maxBytes: 100 })).toThrow(
      expect.objectContaining({ code: PdfErrorCode.TooLarge }),
    );
  });

  test('survives a /Prev chain that loops, by repairing from the objects', async () => {
    const pdf = await makeSimplePdf();
    const text = pdf.toString('latin1');
    const start = /startxref\s+(\d+)/.exec(text.slice(text.lastIndexOf('startxref')))![1];
    const looped = Buffer.from(
      text.replace(/trailer\s*<</, `trailer\n<< /Prev ${start}`),
      'latin1',
    );
    const doc = PdfDocument.load(looped);
    expect(doc.repaired).toBe(true);
    expect(doc.pages()).toHaveLength(1);
  });

  test('refuses truncated garbage with PdfDamaged, never hanging', () => {
    const garbage = Buffer.concat([
      Buffer.from('%PDF-1.7\n1 0 obj <<'),
      Buffer.alloc(5000, 0x5b),
      Buffer.from('\nstartxref\n9\n%%EOF'),
    ]);
    const err = (() => {
      try {
        PdfDocument.load(garbage);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(PdfError);
    expect((err as PdfError).code).toBe(PdfErrorCode.Damaged);
  });
});
