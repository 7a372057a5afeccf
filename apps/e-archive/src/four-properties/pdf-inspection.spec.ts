import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectPdf } from './pdf-inspection.js';

const corpus = (name: string) => readFileSync(join(process.cwd(), '../shared/corpus/pdf', name));

describe('PDF inspection for the usability and security checks', () => {
  it('reads pages, version and embedded fonts of a real form, with a usage-rights signature', () => {
    const i = inspectPdf(corpus('pdfjs-160F-2019.pdf'));
    expect(i.openError).toBeUndefined();
    expect(i).toMatchObject({ pageCount: 1, version: '1.7', encrypted: false });
    // Not a seal: Adobe's usage-rights signature under /Perms, which no reader lists as signed.
    expect(i.signatureCount).toBe(1);
    expect(i.fonts.length).toBeGreaterThan(0);
    expect(i.fonts.map((f) => f.name).sort()).toEqual(['Arial', 'Arial-BoldMT', 'ArialMT']);
    expect(i.fonts.every((f) => f.embedded)).toBe(true);
  });

  it('counts the signatures of a file signed twice, and sees Helvetica as a standard font', () => {
    expect(inspectPdf(corpus('signpdf-signed-twice.pdf')).signatureCount).toBe(2);
    const signed = inspectPdf(corpus('qpdf-digitally-signed.pdf'));
    expect(signed.fonts).toContainEqual({ name: 'Helvetica', embedded: false, standard14: true });
  });

  it('reports a five-byte file as not opening, and an AES file as encrypted', () => {
    expect(inspectPdf(corpus('qpdf-bad1.pdf')).openError?.code).toBeDefined();
    expect(inspectPdf(corpus('qpdf-V4-aes.pdf')).encrypted).toBe(true);
  });

  it('finds JavaScript and launch actions written into a PDF', () => {
    const pdf = Buffer.from(
      '%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>endobj\n' +
        '2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
        '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\n' +
        '4 0 obj<</S/JavaScript/JS(app.alert\\(1\\))/Next 5 0 R>>endobj\n' +
        '5 0 obj<</S/Launch/F(calc.exe)>>endobj\n' +
        'trailer<</Root 1 0 R/Size 6>>\nstartxref\n0\n%%EOF\n',
      'latin1',
    );
    const i = inspectPdf(pdf);
    expect(i.javaScript).toHaveLength(1);
    expect(i.launchActions).toBe(1);
  });
});
