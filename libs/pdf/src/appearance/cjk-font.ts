import { existsSync, readFileSync } from 'node:fs';
import { PdfError, PdfErrorCode } from '../errors.js';

/**
 * TrueType (glyf) CJK fonts that fontkit can subset. A .ttc collection and the CFF-based
 * Noto CJK OpenType fonts are known to fail inside pdf-lib's subsetter, so they are not listed.
 */
const CANDIDATES = [
  '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf', // Debian fonts-droid-fallback
  '/usr/share/fonts/truetype/droid/DroidSansFallback.ttf',
  '/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf',
  '/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf',
];

export interface CjkFont {
  readonly path: string;
  readonly bytes: Buffer;
}

let cached: CjkFont | undefined;

/**
 * Finds a TrueType CJK font: `CJK_FONT_PATH` first, then the known system locations.
 *
 * @example
 *   const { bytes } = loadCjkFont(); // throws PdfFontNotFound when none is installed
 */
export function loadCjkFont(env: NodeJS.ProcessEnv = process.env): CjkFont {
  const configured = env.CJK_FONT_PATH;
  if (!configured && cached) return cached;
  const paths = configured ? [configured] : CANDIDATES;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const bytes = readFileSync(path);
    checkTrueType(bytes, path);
    const font = { path, bytes };
    if (!configured) cached = font;
    return font;
  }
  throw new PdfError(
    PdfErrorCode.FontNotFound,
    configured
      ? `CJK_FONT_PATH points at ${configured}, which does not exist`
      : 'no CJK TrueType font found: install fonts-droid-fallback or set CJK_FONT_PATH',
    { tried: paths },
  );
}

function checkTrueType(bytes: Buffer, path: string): void {
  const tag = bytes.subarray(0, 4).toString('latin1');
  const trueType = bytes.readUInt32BE(0) === 0x00010000 || tag === 'true';
  if (!trueType) {
    throw new PdfError(
      PdfErrorCode.FontNotFound,
      `${path} is not a single TrueType (glyf) font (${tag === 'ttcf' ? 'a collection' : 'CFF outlines'})`,
      { path },
    );
  }
}
