/** Stable machine codes for every refusal of the PDF core; the app maps them to problem details. */
export enum PdfErrorCode {
  NotPdf = 'PdfNotPdf',
  Damaged = 'PdfDamaged',
  Encrypted = 'PdfEncrypted',
  CertifiedNoChanges = 'PdfCertifiedNoChanges',
  CertifyNotFirst = 'PdfCertifyNotFirst',
  TooLarge = 'PdfTooLarge',
  PageNotFound = 'PdfPageNotFound',
  FieldNameTaken = 'PdfFieldNameTaken',
  SignatureTooLarge = 'PdfSignatureTooLarge',
  FontNotFound = 'PdfFontNotFound',
  TextNotFound = 'PdfTextNotFound',
  InvalidOptions = 'PdfInvalidOptions',
}

/**
 * The one error type of libs/pdf. Self-contained (name, code, message, details) so that the
 * app can map it onto its `DomainError` without this library depending on `#common`.
 */
export class PdfError extends Error {
  override readonly name = 'PdfError';

  constructor(
    readonly code: PdfErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function damaged(message: string, details?: Record<string, unknown>): PdfError {
  return new PdfError(PdfErrorCode.Damaged, message, details);
}
