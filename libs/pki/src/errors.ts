/** Stable machine codes of the PKI library; callers switch on these, never on messages. */
export enum PkiErrorCode {
  PkiKeyNotFound = 'PkiKeyNotFound',
  PkiKeyDecryptionFailed = 'PkiKeyDecryptionFailed',
  PkiInvalidArgument = 'PkiInvalidArgument',
  PkiCertificateMalformed = 'PkiCertificateMalformed',
  PkiCrlMalformed = 'PkiCrlMalformed',
  PkiCmsMalformed = 'PkiCmsMalformed',
  PkiUnsupportedAlgorithm = 'PkiUnsupportedAlgorithm',
  PkiTimestampMalformed = 'PkiTimestampMalformed',
  PkiTimestampRejected = 'PkiTimestampRejected',
}

/**
 * The one error class of `#pki`.
 *
 * @example
 * if (err instanceof PkiError && err.code === PkiErrorCode.PkiKeyNotFound) { ... }
 */
export class PkiError extends Error {
  constructor(
    readonly code: PkiErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PkiError';
  }
}
