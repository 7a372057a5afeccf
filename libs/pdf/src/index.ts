// libs/pdf: the PDF core of the e-seal service. Reading (parser/), incremental updates
// (writer/), PAdES signing (signing/), appearances (appearance/), and the structural half of
// validation (validation/); CMS verification itself lives in libs/pki.
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
  timestampPdf,
  pdfDate,
  type CmsSigner,
  type Rect,
  type SignedBytesInfo,
  type SignPdfOptions,
  type SignPdfResult,
  type TimestampPdfOptions,
} from './signing/sign-pdf.js';
export {
  readSignatures,
  digestSignature,
  parsePdfDate,
  type ByteRangeAnomaly,
  type PdfSignatureInfo,
} from './validation/signatures.js';
export {
  compareRevisions,
  changesBeyondPermissions,
  type AnnotationChange,
  type CompareOptions,
  type RevisionChanges,
  type WidgetChange,
} from './validation/revisions.js';
export { Fingerprinter, FINGERPRINT_NODE_BUDGET } from './validation/fingerprint.js';
export { findText, type TextMatch } from './text/page-text.js';
export type { NearTextPlacement } from './signing/near-text.js';
export {
  MAX_SEAL_PNG_SIDE,
  pngProblem,
  renderAppearance,
  type SignatureAppearance,
} from './appearance/appearance.js';
export { renderSealPdf, renderSealImage, type SealDesign } from './appearance/official-seal.js';
export { loadCjkFont, type CjkFont } from './appearance/cjk-font.js';

// Test support, reusable by other libraries' and apps' specs (no production use).
export { makeTestPki, type TestPki } from './testing/test-pki.js';
export { makeForgeCmsSigner, cmsMessageDigest } from './testing/cms-test-signer.js';
export {
  qpdfCheck,
  pdfsigReport,
  parsePdfsig,
  nssDbTrusting,
  type QpdfCheck,
  type PdfsigSignature,
} from './testing/tools.js';
export { readPdfCorpus, pdfCorpusDir, type CorpusEntry } from './testing/corpus.js';
export { digestMatches } from './testing/digest-check.js';
export { makeSimplePdf, makeRgbaPng, makeTwoTonePng } from './testing/fixtures.js';
