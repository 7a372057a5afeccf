import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectPdf } from './pdf-inspection.js';
import { generatedPdf } from '../../test/generated-pdf.js';

const corpus = (name: string) => readFileSync(join(process.cwd(), '../shared/corpus/pdf', name));

describe('PDF inspection for the usability and security checks', () => {
  it('reads pages, version and embedded fonts of a real form, with a usage-rights signature', () => {
    const i = inspectPdf(corpus('pdfjs-160F-2019.pdf'));
    expect(i.openError).toBeUndefined();
    expect(i).toMatchObject({ pageCount: 1, version: '1.7', encrypted: false });
    // Not a seal: Adobe's usage-rights signature under /Perms, which no reader lists as signed.
    expect(i.signatureDictionaries).toEqual([
      expect.objectContaining({ usageRights: true, field: undefined }),
    ]);
    expect(i.signatureCount).toBe(0);
    expect(i.fonts.length).toBeGreaterThan(0);
    expect(i.fonts.map((f) => f.name).sort()).toEqual(['Arial', 'Arial-BoldMT', 'ArialMT']);
    expect(i.fonts.every((f) => f.embedded)).toBe(true);
  });

  it('counts the signatures of a file signed twice, and sees Helvetica as a standard font', () => {
    const twice = inspectPdf(corpus('signpdf-signed-twice.pdf'));
    expect(twice.signatureCount).toBe(2);
    expect(twice.signatureDictionaries.every((d) => d.field !== undefined)).toBe(true);
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

  it('sees a signature dictionary that no signature field holds', async () => {
    const i = inspectPdf(await generatedPdf({ bogusSignature: true }));
    expect(i.signatureCount).toBe(1);
    expect(i.signatureDictionaries).toEqual([
      { objectNumber: expect.any(Number) as number, field: undefined, usageRights: false },
    ]);
  });

  it('finds an ELF binary attached as notes.txt, though FlateDecode hides its magic number', async () => {
    const elf = readFileSync('/bin/true');
    const pdf = await generatedPdf({ attachment: { name: 'notes.txt', bytes: elf } });
    // The stored stream is compressed: the raw bytes do not start with the ELF magic.
    expect(pdf.includes(elf.subarray(0, 16))).toBe(false);
    expect(inspectPdf(pdf).embeddedFiles).toEqual([
      { name: 'notes.txt', executable: true, reason: 'content is ELF' },
    ]);
  });

  it('finds a PE file and a #! script by content, and lets a text attachment through', async () => {
    const pe = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(200)]);
    const script = Buffer.from('#!/bin/sh\nrm -rf /\n');
    const text = Buffer.from('会议纪要 minutes of the meeting\n'.repeat(50));
    const judge = async (bytes: Buffer) =>
      inspectPdf(await generatedPdf({ attachment: { name: 'readme.txt', bytes } })).embeddedFiles;
    expect(await judge(pe)).toEqual([expect.objectContaining({ reason: 'content is PE (MZ)' })]);
    expect(await judge(script)).toEqual([expect.objectContaining({ executable: true })]);
    expect(await judge(text)).toEqual([{ name: 'readme.txt', executable: false }]);
  });
});
