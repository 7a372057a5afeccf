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
  VerificationUnavailable = 'VerificationUnavailable',
  InvalidQuery = 'InvalidQuery',
  /** The public verification budget of this client address is spent (Retry-After says how long). */
  TooManyRequests = 'TooManyRequests',
}

/** The e-license service's one error class (see CONVENTIONS.md, habit 3). */
export class LicenseError extends DomainError<LicenseErrorCode> {}
