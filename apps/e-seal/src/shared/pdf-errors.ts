import { PdfError, PdfErrorCode } from '#pdf';
import { getLogger } from '#common';
import { SealError, SealErrorCode } from './seal-error.js';

const mapping: Record<PdfErrorCode, [SealErrorCode, number, string]> = {
  [PdfErrorCode.NotPdf]: [SealErrorCode.PdfNotPdf, 415, 'The file is not a PDF'],
  [PdfErrorCode.Damaged]: [SealErrorCode.PdfDamaged, 422, 'The PDF is damaged beyond repair'],
  [PdfErrorCode.Encrypted]: [SealErrorCode.PdfEncrypted, 422, 'Encrypted PDFs cannot be sealed'],
  [PdfErrorCode.CertifiedNoChanges]: [
    SealErrorCode.PdfCertifiedNoChanges,
    409,
    'The document is certified and its certification forbids any change',
  ],
  [PdfErrorCode.CertifyNotFirst]: [
    SealErrorCode.PdfCertifyNotFirst,
    409,
    'Only the first signature of a document can certify it',
  ],
  [PdfErrorCode.TooLarge]: [SealErrorCode.PdfTooLarge, 413, 'The PDF is larger than allowed'],
  [PdfErrorCode.PageNotFound]: [SealErrorCode.PdfPageNotFound, 400, 'The page does not exist'],
  [PdfErrorCode.TextNotFound]: [SealErrorCode.PdfTextNotFound, 422, 'The text was not found'],
  [PdfErrorCode.FieldNameTaken]: [SealErrorCode.PlacementInvalid, 409, 'Field name is taken'],
  [PdfErrorCode.InvalidOptions]: [SealErrorCode.PlacementInvalid, 400, 'Invalid placement'],
  // Our fault, not the document's: the space reserved for the CMS container was too small
  // even after growing it (a larger chain or time-stamp than sign-pdf.ts allows for).
  [PdfErrorCode.SignatureTooLarge]: [
    SealErrorCode.SignatureReservationTooSmall,
    500,
    'The signature did not fit the space reserved for it',
  ],
  [PdfErrorCode.FontNotFound]: [SealErrorCode.PkiNotReady, 503, 'No CJK font installed'],
};

/**
 * Turns #pdf's refusals into the service's stable codes. Anything else thrown while reading
 * an uploaded file is the file's fault as far as the caller can tell: PdfDamaged, with the
 * stack kept in the log.
 */
export function toSealErrorFromPdf(err: unknown): unknown {
  if (err instanceof SealError) return err;
  if (err instanceof PdfError) {
    const [code, status, title] = mapping[err.code] ?? [SealErrorCode.PdfDamaged, 422, err.message];
    if (status >= 500) getLogger('e-seal.pdf').error({ err }, 'sealing failed on our side');
    const details = err.details && status < 500 ? safeDetails(err.details) : {};
    return new SealError(code, status, title, details);
  }
  if (err instanceof RangeError || err instanceof TypeError || err instanceof SyntaxError) {
    getLogger('e-seal.pdf').warn({ err }, 'unexpected parser failure on an uploaded PDF');
    return new SealError(SealErrorCode.PdfDamaged, 422, 'The PDF is damaged beyond repair');
  }
  return err;
}

function safeDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) {
    if (typeof v === 'number' || typeof v === 'string') out[k] = v;
  }
  return out;
}
