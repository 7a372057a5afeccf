import { DomainError } from '#common';

/** Stable codes of every refusal of the e-seal service; clients switch on these. */
export enum SealErrorCode {
  SealNotFound = 'SealNotFound',
  SealNotActive = 'SealNotActive',
  SealExpired = 'SealExpired',
  SealTransitionNotAllowed = 'SealTransitionNotAllowed',
  SealSameApprover = 'SealSameApprover',
  SealSameMaker = 'SealSameMaker',
  SealCodeTaken = 'SealCodeTaken',
  SealImageInvalid = 'SealImageInvalid',
  CallerNotAllowed = 'CallerNotAllowed',
  PdfMissing = 'PdfMissing',
  PdfTooLarge = 'PdfTooLarge',
  PdfNotPdf = 'PdfNotPdf',
  PdfDamaged = 'PdfDamaged',
  PdfEncrypted = 'PdfEncrypted',
  PdfTooManySignatures = 'PdfTooManySignatures',
  PdfCertifiedNoChanges = 'PdfCertifiedNoChanges',
  PdfCertifyNotFirst = 'PdfCertifyNotFirst',
  PdfPageNotFound = 'PdfPageNotFound',
  PdfTextNotFound = 'PdfTextNotFound',
  PlacementInvalid = 'PlacementInvalid',
  TimestampQueryInvalid = 'TimestampQueryInvalid',
  SignatureReservationTooSmall = 'SignatureReservationTooSmall',
  PkiNotReady = 'PkiNotReady',
  TooManyRequests = 'TooManyRequests',
}

/** The one error class of the e-seal service. */
export class SealError extends DomainError<SealErrorCode> {}
