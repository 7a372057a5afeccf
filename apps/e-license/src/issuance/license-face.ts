import { deflateSync } from 'node:zlib';
import {
  PDFDocument,
  StandardFonts,
  degrees,
  fill,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  rgb,
  setFillingRgbColor,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';
import QRCode from 'qrcode';
import type { LicenseLayout } from '../catalogue/license-type.entity.js';
import { pageSize } from '../catalogue/layout.js';
import { deflatedFaceFont, faceFont, faceFontkit } from './face-font.js';

/** What is printed on the face (照面) of a license. */
export interface FaceContent {
  title: string;
  /** Key -> printed text; keys are the layout's field keys (including the `$` face keys). */
  values: Record<string, string>;
  identifier: string;
  verificationCode: string;
  /** The public verification page the QR code opens. */
  verifyUrl: string;
  /** GB/T 36903 metadata, also written into the PDF's document information. */
  metadata: { subject: string; keywords: string[]; author: string };
  /** 加注: repeated on every page of an annotated copy. */
  annotation?: string[];
}

const INK = rgb(0.1, 0.1, 0.1);

/**
 * Renders the unsealed face: title, placed fields, QR code to the verification page, the
 * verification code and identifier, and (for annotated copies) the watermark. Only the glyphs
 * printed are embedded (see faceFont).
 */
export async function renderLicenseFace(layout: LicenseLayout, face: FaceContent): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(faceFontkit);
  useNativeDeflate(doc);
  const texts = [
    face.title,
    ...layout.fields.map((f) => `${f.label}${face.values[f.key] ?? ''}`),
    '验证码证照标识扫码核验',
    ...(face.annotation ?? []),
  ];
  const cjk = await doc.embedFont(faceFont(texts.join('')), { subset: false, customName: 'CJK' });
  narrowToText(cjk, texts.join(''));
  const latin = await doc.embedFont(StandardFonts.Helvetica);

  const [width, height] = pageSize(layout);
  const page = doc.addPage([width, height]);
  page.drawRectangle({
    x: 18,
    y: 18,
    width: width - 36,
    height: height - 36,
    borderColor: rgb(0.55, 0.1, 0.1),
    borderWidth: 2,
  });

  const title = layout.title;
  const titleWidth = cjk.widthOfTextAtSize(face.title, title.size);
  page.drawText(face.title, {
    x: title.x - titleWidth / 2,
    y: title.y,
    size: title.size,
    font: cjk,
    color: INK,
  });

  for (const f of layout.fields) {
    const size = f.size ?? 12;
    const value = face.values[f.key] ?? '';
    page.drawText(`${f.label}`, { x: f.x, y: f.y, size, font: cjk, color: INK });
    const labelWidth = cjk.widthOfTextAtSize(f.label, size);
    drawMixed(page, value, f.x + labelWidth + size * 0.6, f.y, size, cjk, latin);
  }

  await drawQr(page, face.verifyUrl, layout.qr);
  const codeSize = layout.verificationCode.size ?? 10;
  drawMixed(
    page,
    `验证码 ${face.verificationCode}`,
    layout.verificationCode.x,
    layout.verificationCode.y,
    codeSize,
    cjk,
    latin,
  );
  drawMixed(page, `证照标识 ${face.identifier}`, 36, 30, 7, cjk, latin);

  if (face.annotation) drawAnnotation(doc.getPages(), face.annotation, cjk, latin);

  doc.setTitle(face.title);
  doc.setSubject(face.metadata.subject);
  doc.setKeywords(face.metadata.keywords);
  doc.setAuthor(face.metadata.author);
  doc.setCreator('gov-suite e-license');
  doc.setProducer('pdf-lib');
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

interface Ink {
  color?: ReturnType<typeof rgb>;
  opacity?: number;
  /** Degrees counter-clockwise; the runs follow the rotated baseline. */
  rotate?: number;
}

/** Latin letters and digits from Helvetica (the CJK font has none: they print as boxes). */
function drawMixed(
  page: PDFPage,
  text: string,
  x: number,
  y: number,
  size: number,
  cjk: PDFFont,
  latin: PDFFont,
  ink: Ink = {},
): void {
  const angle = ((ink.rotate ?? 0) * Math.PI) / 180;
  let advance = 0;
  for (const run of text.match(/[\x20-\x7e]+|[^\x20-\x7e]+/g) ?? []) {
    const font = /^[\x20-\x7e]/.test(run) ? latin : cjk;
    page.drawText(run, {
      x: x + advance * Math.cos(angle),
      y: y + advance * Math.sin(angle),
      size,
      font,
      color: ink.color ?? INK,
      opacity: ink.opacity,
      rotate: degrees(ink.rotate ?? 0),
    });
    advance += font.widthOfTextAtSize(run, size);
  }
}

function mixedWidth(text: string, size: number, cjk: PDFFont, latin: PDFFont): number {
  let width = 0;
  for (const run of text.match(/[\x20-\x7e]+|[^\x20-\x7e]+/g) ?? []) {
    width += (/^[\x20-\x7e]/.test(run) ? latin : cjk).widthOfTextAtSize(run, size);
  }
  return width;
}

/** The QR code as vector modules (ISO/IEC 18004), error correction M, 4-module quiet zone. */
async function drawQr(
  page: PDFPage,
  url: string,
  at: { x: number; y: number; size: number },
): Promise<void> {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = at.size / (n + 8);
  page.drawRectangle({ x: at.x, y: at.y, width: at.size, height: at.size, color: rgb(1, 1, 1) });
  // One path of rectangles, one per run of dark modules in a row, filled once: the same
  // picture as a rectangle per module at a fraction of the operators (and of the time).
  const ops = [pushGraphicsState(), setFillingRgbColor(0, 0, 0)];
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n;) {
      if (!qr.modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && qr.modules.get(row, col)) col++;
      ops.push(
        rectangle(
          at.x + (start + 4) * cell,
          at.y + at.size - (row + 5) * cell,
          (col - start) * cell,
          cell,
        ),
      );
    }
  }
  ops.push(fill(), popGraphicsState());
  page.pushOperators(...ops);
  await Promise.resolve();
}

/**
 * The 加注 watermark: diagonal, light, across every page, plus a plain line at the top. Mixed
 * like the fields: the dates and the English line are Latin text the CJK font cannot print.
 */
function drawAnnotation(pages: PDFPage[], lines: string[], cjk: PDFFont, latin: PDFFont): void {
  for (const page of pages) {
    const { width, height } = page.getSize();
    const angle = Math.PI / 6;
    for (let i = 0; i < lines.length; i++) {
      // Shrunk to fit when long, centred on the page, lines stacked across the baseline: the
      // end of a line (the date) is never off the page and the lines never overlap.
      const at22 = mixedWidth(lines[i]!, 22, cjk, latin);
      const size = Math.max(10, Math.min(22, (22 * width * 0.84) / (at22 * Math.cos(angle))));
      const half = (at22 * size) / 22 / 2;
      const offset = ((lines.length - 1) / 2 - i) * 34;
      const midX = width / 2 - offset * Math.sin(angle);
      const midY = height * 0.45 + offset * Math.cos(angle);
      drawMixed(
        page,
        lines[i]!,
        midX - half * Math.cos(angle),
        midY - half * Math.sin(angle),
        size,
        cjk,
        latin,
        { color: rgb(0.8, 0.2, 0.2), opacity: 0.35, rotate: 30 },
      );
      drawMixed(page, lines[i]!, 36, height - 34 - i * 12, 9, cjk, latin, {
        color: rgb(0.7, 0.1, 0.1),
      });
    }
  }
}

/**
 * pdf-lib deflates embedded fonts with pako (JavaScript), most of the time of a face; the
 * same FlateDecode stream from node:zlib is several times faster, and the face font's stream
 * is mostly compressed already (deflatedFaceFont). Replaces pdf-lib 1.17's
 * `PDFContext.flateStream` on this document only; if that API changes, pako is used as before.
 */
function useNativeDeflate(doc: PDFDocument): void {
  const context = doc.context as unknown as {
    flateStream?: (contents: Uint8Array, dict?: Record<string, unknown>) => unknown;
    stream: (contents: Uint8Array, dict: Record<string, unknown>) => unknown;
  };
  if (typeof context.flateStream !== 'function') return;
  context.flateStream = (contents, dict = {}) =>
    context.stream(deflatedFaceFont(contents) ?? deflateSync(contents), {
      ...dict,
      Filter: 'FlateDecode',
    });
}

interface FullFontEmbedder {
  font?: { glyphsForString(s: string): { id: number }[] };
  glyphCache?: { access(): unknown[] };
}

/**
 * pdf-lib writes /W and /ToUnicode for every glyph of a whole embedded font; narrowing its
 * glyph cache to the printed text keeps both small. Relies on pdf-lib 1.17 internals; if they
 * change the PDF is only larger.
 */
function narrowToText(font: PDFFont, text: string): void {
  const embedder = (font as unknown as { embedder?: FullFontEmbedder }).embedder;
  if (!embedder?.font || !embedder.glyphCache) return;
  const byId = new Map(embedder.font.glyphsForString(text).map((g) => [g.id, g]));
  const used = [...byId.values()].sort((a, b) => a.id - b.id);
  embedder.glyphCache = { access: () => used };
}
