import { crc32 } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { renderSealPdf, type SealDesign } from './official-seal.js';

/** The visible look of a signature widget. */
export type SignatureAppearance =
  /** A PNG (RGBA allowed: the alpha channel becomes an /SMask), scaled to fit, centred. */
  | { readonly kind: 'png'; readonly png: Buffer }
  /** The round red official seal drawn as vectors with an embedded CJK font subset. */
  | { readonly kind: 'seal'; readonly seal: SealDesign }
  /** Page 0 of a PDF (e.g. from `renderSealPdf`), scaled to the widget. */
  | { readonly kind: 'pdf'; readonly pdf: Buffer };

/** Draws the appearance on a one-page scratch PDF the size of the widget. */
export async function renderAppearance(
  appearance: SignatureAppearance,
  width: number,
  height: number,
): Promise<Buffer> {
  switch (appearance.kind) {
    case 'png':
      return renderPng(appearance.png, width, height);
    case 'seal':
      return renderSealPdf(appearance.seal, { width, height });
    case 'pdf':
      return renderEmbeddedPage(appearance.pdf, width, height);
  }
}

async function renderPng(png: Buffer, width: number, height: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([width, height]);
  const image = await doc.embedPng(png);
  const scale = Math.min(width / image.width, height / image.height);
  const w = image.width * scale;
  const h = image.height * scale;
  page.drawImage(image, { x: (width - w) / 2, y: (height - h) / 2, width: w, height: h });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

async function renderEmbeddedPage(pdf: Buffer, width: number, height: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([width, height]);
  const [embedded] = await doc.embedPdf(pdf, [0]);
  const scale = Math.min(width / embedded.width, height / embedded.height);
  page.drawPage(embedded, {
    x: (width - embedded.width * scale) / 2,
    y: (height - embedded.height * scale) / 2,
    width: embedded.width * scale,
    height: embedded.height * scale,
  });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** The largest seal image side, in pixels: a 4.2 cm seal at 600 dpi is under 1,000. */
export const MAX_SEAL_PNG_SIDE = 2000;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Why `png` cannot be a seal's image, or undefined if it can: a well-formed PNG (every
 * chunk complete with its CRC, IHDR first, IDAT, IEND last) of at most MAX_SEAL_PNG_SIDE
 * pixels a side that decodes. pdf-lib decodes the whole bitmap when it embeds the image in a
 * signature, so a 60,000 x 60,000 header (15 GB of RGBA) or a truncated file must be refused
 * when the image is uploaded, not when it is first used to seal.
 */
export async function pngProblem(png: Buffer): Promise<string | undefined> {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) return 'not a PNG';
  let at = 8;
  let first = true;
  let idat = false;
  let end = false;
  while (at < png.length) {
    if (at + 12 > png.length) return 'a chunk is truncated';
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    if (at + 12 + length > png.length) return `the ${type} chunk is truncated`;
    const crc = png.readUInt32BE(at + 8 + length);
    if (crc32(png.subarray(at + 4, at + 8 + length)) !== crc) return `the ${type} chunk is damaged`;
    if (first) {
      if (type !== 'IHDR' || length !== 13) return 'IHDR is not the first chunk';
      const width = png.readUInt32BE(at + 8);
      const height = png.readUInt32BE(at + 12);
      if (width < 1 || height < 1 || width > MAX_SEAL_PNG_SIDE || height > MAX_SEAL_PNG_SIDE) {
        return `the image is ${width} x ${height} pixels; at most ${MAX_SEAL_PNG_SIDE} a side`;
      }
      first = false;
    }
    if (type === 'IDAT') idat = true;
    at += 12 + length;
    if (type === 'IEND') {
      end = true;
      break;
    }
  }
  if (!idat || !end) return 'the image data or its end is missing';
  try {
    await (await PDFDocument.create()).embedPng(png);
  } catch {
    return 'the image data cannot be decoded';
  }
  return undefined;
}
