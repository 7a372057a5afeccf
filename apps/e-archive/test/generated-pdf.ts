import { randomBytes } from 'node:crypto';
import { PDFDocument, PDFHexString, PDFName, PDFString, StandardFonts } from 'pdf-lib';

export interface GeneratedPdfOptions {
  pages?: number;
  /** Incompressible data in an unused stream (large files for the bench and size tests). */
  padBytes?: number;
  title?: string;
  /** A JavaScript action run when the document opens (/OpenAction). */
  openActionScript?: string;
  /** A launch action (ISO 32000-1 12.6.4.5) run when the document opens. */
  launch?: string;
  /** An attachment (pdf-lib compresses it with FlateDecode). */
  attachment?: { name: string; bytes: Buffer; mimeType?: string };
  /** A signature dictionary in no field, as anyone can write one (12.8.1). */
  bogusSignature?: boolean;
  /** Text drawn with a TrueType font that is named but not embedded. */
  unembeddedFont?: string;
}

/** A plain PDF made here with pdf-lib: `pages` pages of text, and the extras asked for. */
export async function generatedPdf(options: GeneratedPdfOptions = {}): Promise<Buffer> {
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
  if (options.launch) {
    const action = doc.context.obj({ S: 'Launch' });
    action.set(PDFName.of('F'), PDFString.of(options.launch));
    doc.catalog.set(PDFName.of('OpenAction'), doc.context.register(action));
  }
  if (options.attachment) {
    const { name, bytes, mimeType } = options.attachment;
    await doc.attach(bytes, name, { mimeType: mimeType ?? 'text/plain' });
  }
  if (options.bogusSignature) {
    const sig = doc.context.obj({
      Type: 'Sig',
      Filter: 'Adobe.PPKLite',
      ByteRange: [0, 10, 20, 30],
    });
    sig.set(PDFName.of('SubFilter'), PDFName.of('ETSI.CAdES.detached'));
    sig.set(PDFName.of('Contents'), PDFHexString.of('3082'.padEnd(64, '0')));
    doc.catalog.set(PDFName.of('ArchiveTestSig'), doc.context.register(sig));
  }
  if (options.unembeddedFont) {
    const page = doc.getPage(0);
    const font = doc.context.register(
      doc.context.obj({
        Type: 'Font',
        Subtype: 'TrueType',
        BaseFont: options.unembeddedFont,
        FirstChar: 32,
        LastChar: 126,
        Encoding: 'WinAnsiEncoding',
      }),
    );
    const key = page.node.newFontDictionary('Unembedded', font);
    const content = `BT ${key.toString()} 12 Tf 50 700 Td (unembedded font) Tj ET`;
    page.node.addContentStream(doc.context.register(doc.context.stream(content)));
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}
