export { PdfError, PdfErrorCode } from './errors.js';
export { PdfDocument, type LoadOptions, type PageRef } from './parser/document.js';
export {
  PdfDict,
  PdfName,
  PdfRef,
  PdfStream,
  PdfString,
  type PdfObject,
} from './parser/objects.js';
export { IncrementalUpdate, type WrittenUpdate } from './writer/incremental-update.js';
export { digestByteRange, type ByteRange } from './signing/byte-range.js';
export { docMdpPermissions, type DocMdpPermissions } from './signing/doc-mdp.js';
export {
  signPdf,
  pdfDate,
  type CmsSigner,
  type Rect,
  type SignedBytesInfo,
  type SignPdfOptions,
  type SignPdfResult,
} from './signing/sign-pdf.js';
export { renderAppearance, type SignatureAppearance } from './appearance/appearance.js';
export { renderSealPdf, renderSealImage, type SealDesign } from './appearance/official-seal.js';
export { loadCjkFont, type CjkFont } from './appearance/cjk-font.js';
