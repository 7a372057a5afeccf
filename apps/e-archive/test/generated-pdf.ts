import { randomBytes } from 'node:crypto';
import { PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';

/**
 * A plain PDF made here: `pages` pages of text, and optionally `padBytes` of incompressible
 * data in an unused stream (to make large files for the bench and size tests).
 */
export async function generatedPdf(
  options: { pages?: number; padBytes?: number; title?: string; openActionScript?: string } = {},
): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const unique = randomBytes(8).toString('hex');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < (options.pages ?? 1); i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`${options.title ?? 'Archive test document'} ${unique} - page ${i + 1}`, {
      x: 50,
      y: 780,
      size: 14,
      font,
    });
  }
  if (options.padBytes) {
    const stream = doc.context.stream(randomBytes(options.padBytes), {});
    doc.catalog.set(doc.context.obj('PieceInfo'), doc.context.register(stream));
  }
  if (options.openActionScript) {
    const action = doc.context.obj({ S: 'JavaScript' });
    action.set(PDFName.of('JS'), PDFString.of(options.openActionScript));
    doc.catalog.set(PDFName.of('OpenAction'), doc.context.register(action));
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}
