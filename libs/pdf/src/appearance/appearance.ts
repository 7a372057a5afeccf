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
