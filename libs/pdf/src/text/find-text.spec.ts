import fontkit from '@pdf-lib/fontkit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts, degrees } from 'pdf-lib';
import { loadCjkFont } from '../appearance/cjk-font.js';
import { PdfErrorCode } from '../errors.js';
import { PdfDocument } from '../parser/document.js';
import { pdfCorpusDir } from '../testing/corpus.js';
import { findText, pageGlyphs } from './page-text.js';

/** A page with Latin text in Helvetica (WinAnsi) and Chinese text in a Type 0 CJK subset. */
async function makeTextPdf(rotate = 0): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const latin = await doc.embedFont(StandardFonts.Helvetica);
  const cjk = await doc.embedFont(loadCjkFont().bytes, { subset: true });
  const page = doc.addPage([595, 842]);
  page.setRotation(degrees(rotate));
  page.drawText('Contract No. 2025-017', { x: 72, y: 760, size: 14, font: latin });
  page.drawText('甲方（盖章）：', { x: 72, y: 200, size: 16, font: cjk });
  page.drawText('签订日期：', { x: 300, y: 200, size: 12, font: cjk });
  page.drawText('2025-03-01', { x: 360, y: 200, size: 12, font: latin });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

describe('findText', () => {
  test('finds Latin text drawn in a standard font, with a box at the drawn position', async () => {
    const doc = PdfDocument.load(await makeTextPdf());

    const [hit, ...rest] = findText(doc, 'Contract No.');

    expect(rest).toHaveLength(0);
    expect(hit.page).toBe(0);
    expect(hit.rect[0]).toBeCloseTo(72, 0);
    expect(hit.rect[1]).toBeGreaterThan(755);
    expect(hit.rect[3]).toBeLessThan(775);
    expect(hit.rect[2] - hit.rect[0]).toBeGreaterThan(60);
    expect(hit.rect[2] - hit.rect[0]).toBeLessThan(110);
  });

  test('finds Chinese text shown through a Type 0 font and its ToUnicode CMap', async () => {
    const doc = PdfDocument.load(await makeTextPdf());

    const [party] = findText(doc, '甲方（盖章）');
    const [date] = findText(doc, '签订日期：2025-03-01');

    expect(party.rect[0]).toBeCloseTo(72, 0);
    // Six full-width glyphs of 16 pt: about 96 pt wide.
    expect(party.rect[2] - party.rect[0]).toBeGreaterThan(80);
    expect(party.rect[2] - party.rect[0]).toBeLessThan(110);
    // Across two fonts: from the CJK label at x 300 to the end of the Latin date after 360.
    expect(date.rect[0]).toBeCloseTo(300, 0);
    expect(date.rect[2]).toBeGreaterThan(400);
    expect(date.rect[1]).toBeGreaterThan(190);
  });

  test('reports matches in visible coordinates on a page turned by /Rotate 90', async () => {
    const upright = findText(PdfDocument.load(await makeTextPdf()), '甲方')[0];
    const turned = findText(PdfDocument.load(await makeTextPdf(90)), '甲方')[0];

    // Visible x runs along user y, visible y runs against user x (595 wide MediaBox).
    expect(turned.userRect).toEqual(upright.userRect);
    expect(turned.rect[0]).toBeCloseTo(upright.userRect[1], 3);
    expect(turned.rect[1]).toBeCloseTo(595 - upright.userRect[2], 3);
  });

  test('finds an English word in a real paper set in Type 1 fonts with custom encodings', () => {
    const doc = PdfDocument.load(readFileSync(join(pdfCorpusDir(), 'pdfjs-tracemonkey.pdf')));

    const title = findText(doc, 'Just-in-Time', { page: 0 });
    // "efficient" is set with the fi ligature in pdfTeX output.
    const ligature = findText(doc, 'efficient');

    expect(title).toHaveLength(1);
    expect(title[0].rect[1]).toBeGreaterThan(650);
    expect(ligature.length).toBeGreaterThan(0);
    expect(pageGlyphs(doc, 0).length).toBeGreaterThan(3000);
  });

  test('returns no match for text that is not there and refuses an empty needle', async () => {
    const doc = PdfDocument.load(await makeTextPdf());

    expect(findText(doc, '乙方')).toEqual([]);
    expect(() => findText(doc, '  ')).toThrow(
      expect.objectContaining({ code: PdfErrorCode.InvalidOptions }),
    );
  });
});
