import { DomainError } from '#common';

/** Stable codes of every problem the e-license service answers with. */
export enum LicenseErrorCode {
  UnknownLicenseType = 'UnknownLicenseType',
  LicenseTypeExists = 'LicenseTypeExists',
  InvalidLicenseType = 'InvalidLicenseType',
  FieldsInvalid = 'FieldsInvalid',
  InvalidHolderCode = 'InvalidHolderCode',
  HolderCategoryMismatch = 'HolderCategoryMismatch',
  UnknownAuthority = 'UnknownAuthority',
  AuthorityExists = 'AuthorityExists',
  InvalidAuthority = 'InvalidAuthority',
  NotActingForAuthority = 'NotActingForAuthority',
  SealNotActive = 'SealNotActive',
  SealingFailed = 'SealingFailed',
  LicenseNotFound = 'LicenseNotFound',
  TransitionNotAllowed = 'TransitionNotAllowed',
  InvalidIdentifier = 'InvalidIdentifier',
  VerificationFailed = 'VerificationFailed',
  NotHolder = 'NotHolder',
  GrantNotFound = 'GrantNotFound',
  InvalidGrant = 'InvalidGrant',
  NoGrant = 'NoGrant',
  CopyNotFound = 'CopyNotFound',
  InvalidCopy = 'InvalidCopy',
  NotAPdf = 'NotAPdf',
  /** e-seal could not read the uploaded PDF (damaged, encrypted, too large): the file's fault. */
  PdfUnreadable = 'PdfUnreadable',
  VerificationUnavailable = 'VerificationUnavailable',
  InvalidQuery = 'InvalidQuery',
  /** The public verification budget of this client address is spent (Retry-After says how long). */
  TooManyRequests = 'TooManyRequests',
}

/** The e-license service's one error class (see CONVENTIONS.md, habit 3). */
export class LicenseError extends DomainError<LicenseErrorCode> {}

/** The largest `offset` a list accepts: beyond any real list, far inside PostgreSQL's bigint. */
export const MAX_PAGE_OFFSET = 1_000_000;

/**
 * A list's `offset` query parameter: absent or not a number is 0; a whole number from 0 to
 * MAX_PAGE_OFFSET is itself; anything else (1e20 overflowed PostgreSQL's bigint: a 500) is a
 * 400 InvalidQuery.
 */
export function pageOffset(offset: string | undefined): number {
  const n = Number(offset ?? 0);
  if (Number.isNaN(n) || offset === '') return 0;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE_OFFSET) {
    throw new LicenseError(LicenseErrorCode.InvalidQuery, 400, 'offset is out of range', {
      errors: [{ field: 'offset', message: `a whole number from 0 to ${MAX_PAGE_OFFSET}` }],
    });
  }
  return n;
}
