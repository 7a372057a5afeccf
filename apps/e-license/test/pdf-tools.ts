import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQRModule from 'jsqr';

// jsqr is CommonJS (module.exports = jsQR) typed as `export default` (see license-face.spec.ts).
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

function withFile<T>(pdf: Buffer, use: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'license-pdf-'));
  try {
    writeFileSync(join(dir, 'f.pdf'), pdf);
    return use(join(dir, 'f.pdf'), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of each page, as poppler's pdftotext reads it (one call per page). */
export function pageTexts(pdf: Buffer): string[] {
  return withFile(pdf, (file) => {
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
    return Array.from({ length: pages }, (_, i) =>
      execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), file, '-'], {
        encoding: 'utf8',
      }),
    );
  });
}

/** The QR code on page 1 as a phone camera reads it: poppler rasterises, jsQR decodes. */
export function decodeQr(pdf: Buffer): string | undefined {
  return withFile(pdf, (file, dir) => {
    execFileSync('pdftoppm', ['-r', '150', '-gray', '-singlefile', file, join(dir, 'p')]);
    const pgm = readFileSync(join(dir, 'p.pgm'));
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString('latin1', 0, 40))!;
    const [width, height] = [Number(header[1]), Number(header[2])];
    const grey = pgm.subarray(header[0].length);
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) rgba.set([grey[i]!, grey[i]!, grey[i]!, 255], i * 4);
    return jsQR(rgba, width, height)?.data;
  });
}
