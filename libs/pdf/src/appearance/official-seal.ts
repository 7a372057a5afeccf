import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, StandardFonts, degrees, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { loadCjkFont } from './cjk-font.js';
import { hollowTrueType } from './truetype-subset.js';

/** The standard round official seal (公章): organisation on the arc, star, seal name below. */
export interface SealDesign {
  /** Along the upper arc, e.g. '某某市市场监督管理局'. */
  readonly organization: string;
  /** Straight below the star, e.g. '合同专用章'. */
  readonly sealName?: string;
  /** Small text along the lower arc (e.g. the 13-digit seal code). */
  readonly code?: string;
  /** RGB 0..1. Default a seal red. */
  readonly color?: readonly [number, number, number];
  /** A TrueType (glyf) font; default `loadCjkFont()`. */
  readonly font?: Buffer;
}

const DEFAULT_COLOR = [0.86, 0.08, 0.08] as const;

/**
 * Renders the seal as a one-page vector PDF (paths plus an embedded font subset). The page is
 * the seal preview; `signPdf` turns it into the widget's appearance stream.
 *
 * @example
 *   const pdf = await renderSealPdf({ organization: '某某市人民政府', sealName: '公章' });
 */
export async function renderSealPdf(
  design: SealDesign,
  box: { width: number; height: number } = { width: 160, height: 160 },
): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const text = `${design.organization}${design.sealName ?? ''}${design.code ?? ''}`;
  const fontBytes = hollowTrueType(design.font ?? loadCjkFont().bytes, text);
  const cjk = await doc.embedFont(fontBytes, { subset: false });
  limitToUsedGlyphs(cjk, text);
  const latin = await doc.embedFont(StandardFonts.Helvetica);
  // CJK fallback fonts often lack Latin letters and digits: those come from Helvetica.
  const fonts: Fonts = (ch) => (/^[\x20-\x7e]$/.test(ch) && !hasGlyph(fontBytes, ch) ? latin : cjk);
  const page = doc.addPage([box.width, box.height]);
  drawSeal(page, fonts, design, box.width, box.height);
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** Alias kept for the e-seal app's preview endpoint: the preview is a vector PDF. */
export const renderSealImage = renderSealPdf;

type Fonts = (ch: string) => PDFFont;

interface FullFontEmbedder {
  font?: { glyphsForString(s: string): { id: number }[] };
  glyphCache?: { access(): unknown[] };
}

/**
 * pdf-lib's whole-font embedder writes /W and /ToUnicode for every glyph of the font (tens of
 * thousands for CJK). Its cache is narrowed to the glyphs of the text so both stay small.
 * Relies on pdf-lib 1.17 internals (`embedder.glyphCache`); if they change, output is only larger.
 */
function limitToUsedGlyphs(font: PDFFont, text: string): void {
  const embedder = (font as unknown as { embedder?: FullFontEmbedder }).embedder;
  if (!embedder?.font || !embedder.glyphCache) return;
  const byId = new Map(embedder.font.glyphsForString(text).map((g) => [g.id, g]));
  const used = [...byId.values()].sort((a, b) => a.id - b.id);
  embedder.glyphCache = { access: () => used };
}

const glyphCache = new WeakMap<Buffer, ReturnType<typeof fontkit.create>>();

function hasGlyph(font: Buffer, ch: string): boolean {
  let fk = glyphCache.get(font);
  if (!fk) {
    fk = fontkit.create(font);
    glyphCache.set(font, fk);
  }
  return fk.hasGlyphForCodePoint(ch.codePointAt(0) ?? 0);
}

function drawSeal(page: PDFPage, font: Fonts, design: SealDesign, w: number, h: number): void {
  const [r, g, b] = design.color ?? DEFAULT_COLOR;
  const color = rgb(r, g, b);
  const s = Math.min(w, h);
  const cx = w / 2;
  const cy = h / 2;
  const border = s * 0.035;
  const radius = s / 2 - border / 2 - 0.5;

  page.drawCircle({ x: cx, y: cy, size: radius, borderColor: color, borderWidth: border });

  // Upper arc: glyphs stand with their tops outwards, read clockwise from the left.
  const orgSize = s * 0.115;
  const orgChars = [...design.organization];
  const span = Math.min(220, Math.max(60, orgChars.length * 22));
  const baseRadius = radius - border / 2 - s * 0.03 - orgSize * 0.88;
  orgChars.forEach((ch, i) => {
    const step = orgChars.length > 1 ? span / (orgChars.length - 1) : 0;
    const theta = 90 + (orgChars.length > 1 ? span / 2 : 0) - i * step;
    drawOnArc(page, font, ch, orgSize, color, cx, cy, baseRadius, theta, theta - 90);
  });

  // Lower arc: small code, tops towards the centre, read left to right.
  if (design.code) {
    const codeSize = s * 0.055;
    const codeChars = [...design.code];
    const codeSpan = Math.min(80, codeChars.length * 6);
    const r0 = radius - border / 2 - s * 0.035;
    codeChars.forEach((ch, i) => {
      const step = codeChars.length > 1 ? codeSpan / (codeChars.length - 1) : 0;
      const theta = 270 - (codeChars.length > 1 ? codeSpan / 2 : 0) + i * step;
      drawOnArc(page, font, ch, codeSize, color, cx, cy, r0, theta, theta + 90);
    });
  }

  page.drawSvgPath(starPath(s * 0.16), { x: cx, y: cy + s * 0.02, color });

  if (design.sealName) {
    const size = s * 0.1;
    const chars = [...design.sealName];
    const widthAt = (sz: number): number =>
      chars.reduce((w, ch) => w + font(ch).widthOfTextAtSize(ch, sz), 0);
    const fit = Math.min(size, (size * s * 0.56) / Math.max(widthAt(size), 1));
    let x = cx - widthAt(fit) / 2;
    for (const ch of chars) {
      page.drawText(ch, { x, y: cy - s * 0.23, size: fit, font: font(ch), color });
      x += font(ch).widthOfTextAtSize(ch, fit);
    }
  }
}

/** Places one glyph with its baseline centre at angle `theta` (degrees) on a circle. */
function drawOnArc(
  page: PDFPage,
  fonts: Fonts,
  ch: string,
  size: number,
  color: ReturnType<typeof rgb>,
  cx: number,
  cy: number,
  radius: number,
  theta: number,
  rotation: number,
): void {
  const font = fonts(ch);
  const t = (theta * Math.PI) / 180;
  const rot = (rotation * Math.PI) / 180;
  const half = font.widthOfTextAtSize(ch, size) / 2;
  const px = cx + radius * Math.cos(t) - half * Math.cos(rot);
  const py = cy + radius * Math.sin(t) - half * Math.sin(rot);
  page.drawText(ch, { x: px, y: py, size, font, color, rotate: degrees(rotation) });
}

/** A five-pointed star, one point up, in SVG coordinates (y down) around the origin. */
function starPath(outer: number): string {
  const inner = outer * 0.382;
  const pts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const rad = i % 2 === 0 ? outer : inner;
    const a = ((90 + i * 36) * Math.PI) / 180;
    pts.push(`${(rad * Math.cos(a)).toFixed(3)} ${(-rad * Math.sin(a)).toFixed(3)}`);
  }
  return `M ${pts.join(' L ')} Z`;
}
