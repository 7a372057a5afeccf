import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { loadCjkFont } from '../appearance/cjk-font.js';
import { PdfErrorCode } from '../errors.js';
import { makeForgeCmsSigner } from '../testing/cms-test-signer.js';
import { pdfCorpusDir } from '../testing/corpus.js';
import { makeTwoTonePng } from '../testing/fixtures.js';
import { makeTestPki } from '../testing/test-pki.js';
import { nssDbTrusting, pdfsigReport, qpdfCheck } from '../testing/tools.js';
import { signPdf, type Rect } from './sign-pdf.js';

const pki = makeTestPki('Placement');
const signer = makeForgeCmsSigner(pki);
const nss = nssDbTrusting(pki.rootPem);
const work = mkdtempSync(join(tmpdir(), 'pdf-placement-'));
const twoTone = { kind: 'png' as const, png: makeTwoTonePng() };

async function contractPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const latin = await doc.embedFont(StandardFonts.Helvetica);
  const cjk = await doc.embedFont(loadCjkFont().bytes, { subset: true });
  const page = doc.addPage([595, 842]);
  page.drawText('Service contract', { x: 72, y: 760, size: 18, font: latin });
  page.drawText('甲方（盖章）：', { x: 72, y: 300, size: 16, font: cjk });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

function save(name: string, pdf: Buffer): string {
  const path = join(work, name);
  writeFileSync(path, pdf);
  return path;
}

function expectValid(path: string): void {
  expect(qpdfCheck(path).exitCode).toBe(0);
  const report = pdfsigReport(path, nss);
  expect(report[report.length - 1]?.valid).toBe(true);
}

/** Renders page 1 at 72 dpi (1 px = 1 pt) and returns where the red and blue pixels are. */
function colourBoxes(path: string) {
  const ppm = execFileSync('pdftoppm', ['-r', '72', '-f', '1', '-l', '1', path], {
    maxBuffer: 64 << 20,
  });
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.toString('latin1', 0, 40))!;
  const [width, height] = [Number(header[1]), Number(header[2])];
  const data = ppm.subarray(header[0].length);
  const boxes = { red: [Infinity, Infinity, -1, -1], blue: [Infinity, Infinity, -1, -1] };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3);
      const key = r > 200 && g < 60 && b < 60 ? 'red' : b > 200 && r < 60 && g < 60 ? 'blue' : '';
      if (!key) continue;
      const box = boxes[key];
      [box[0], box[1], box[2], box[3]] = [
        Math.min(box[0], x),
        Math.min(box[1], y),
        Math.max(box[2], x),
        Math.max(box[3], y),
      ];
    }
  }
  return { width, height, ...boxes };
}

describe('seal placement', () => {
  test('places the seal to the right of the text it is given, on the page that has it', async () => {
    const { pdf, placement } = await signPdf(await contractPdf(), {
      signer,
      nearText: { text: '甲方（盖章）', size: [100, 100] },
      appearance: twoTone,
    });
    const path = save('near-text.pdf', pdf);
    expectValid(path);

    const [x1, y1, x2, y2] = placement!.rect;
    expect(placement!.page).toBe(0);
    // The label starts at x 72 and is about 96 pt wide; its middle is near y 305.
    expect(x1).toBeGreaterThan(160);
    expect(x1).toBeLessThan(190);
    expect([x2 - x1, y2 - y1]).toEqual([100, 100]);
    expect((y1 + y2) / 2).toBeCloseTo(305, -1);
    const seen = colourBoxes(path);
    expect(seen.red[0]).toBeCloseTo(x1, -1);
    expect(seen.height - seen.blue[3]).toBeCloseTo(y1, -1);
  });

  test('stamps over a word of a real paper and keeps it verifiable', async () => {
    const input = readFileSync(join(pdfCorpusDir(), 'pdfjs-tracemonkey.pdf'));

    const { pdf, placement } = await signPdf(input, {
      signer,
      nearText: { text: 'Abstract', position: 'over', size: [80, 80] },
      appearance: twoTone,
    });

    expect(placement!.page).toBe(0);
    expectValid(save('tracemonkey-near.pdf', pdf));
  });

  test('refuses with PdfTextNotFound when the text is not on the page', async () => {
    const input = await contractPdf();

    await expect(signPdf(input, { signer, nearText: { text: '乙方' } })).rejects.toMatchObject({
      code: PdfErrorCode.TextNotFound,
    });
    await expect(
      signPdf(input, { signer, nearText: { text: '甲方' }, rect: [0, 0, 10, 10] }),
    ).rejects.toMatchObject({ code: PdfErrorCode.InvalidOptions });
  });

  test.each([90, 180, 270])(
    'draws the seal upright where the reader asked on a page turned by /Rotate %i',
    async (angle) => {
      const upright = save(`upright-${angle}.pdf`, await contractPdf());
      const turned = join(work, `turned-${angle}.pdf`);
      execFileSync('qpdf', [upright, `--rotate=+${angle}:1`, turned]);
      const rect: Rect = [50, 60, 150, 110];

      const { pdf } = await signPdf(readFileSync(turned), { signer, rect, appearance: twoTone });
      const path = save(`sealed-${angle}.pdf`, pdf);
      expectValid(path);

      const seen = colourBoxes(path);
      // Visible coordinates: x from the left, y from the bottom of the page as shown.
      expect(seen.red[0]).toBeCloseTo(rect[0] + 25, -1);
      expect(seen.height - seen.blue[3]).toBeCloseTo(rect[1], -1);
      // Upright: red (the image's top half) above blue, side by side horizontally.
      expect(seen.red[3]).toBeLessThan(seen.blue[1] + 2);
      expect(Math.abs(seen.red[0] - seen.blue[0])).toBeLessThan(3);
    },
  );

  test('finds text on a rotated page and places the seal beside it as the reader sees it', async () => {
    const upright = save('upright-near.pdf', await contractPdf());
    const turned = join(work, 'turned-near.pdf');
    execFileSync('qpdf', [upright, '--rotate=+90:1', turned]);

    const { pdf, placement } = await signPdf(readFileSync(turned), {
      signer,
      nearText: { text: '甲方（盖章）', position: 'below', size: [60, 60] },
      appearance: twoTone,
    });
    const path = save('turned-near-sealed.pdf', pdf);
    expectValid(path);

    const seen = colourBoxes(path);
    const [x1, , x2, y2] = placement!.rect;
    expect(seen.red[0]).toBeCloseTo(x1, -1);
    expect(seen.red[2]).toBeCloseTo(x2, -1);
    expect(seen.height - seen.red[1]).toBeCloseTo(y2, -1);
    expect(seen.red[3]).toBeLessThan(seen.blue[1] + 2);
  });
});
