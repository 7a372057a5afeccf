/**
 * Base of every module's error class. A module declares one subclass and a string enum of
 * stable codes; the global filter turns any DomainError into RFC 9457 problem details.
 *
 * @example
 *   export enum SealErrorCode { SealSuspended = 'SealSuspended' }
 *   export class SealError extends DomainError<SealErrorCode> {}
 *   throw new SealError(SealErrorCode.SealSuspended, 409, 'The seal is suspended');
 */
export class DomainError<C extends string = string> extends Error {
  /** Response headers that belong with this error (e.g. WWW-Authenticate, Retry-After). */
  headers?: Record<string, string>;

  constructor(
    readonly code: C,
    readonly status: number,
    message: string,
    /** Extra members of the problem document (RFC 9457 section 3.2), safe to show a client. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export enum CommonErrorCode {
  ValidationFailed = 'ValidationFailed',
  NotFound = 'NotFound',
  Unauthorized = 'Unauthorized',
  Forbidden = 'Forbidden',
  PayloadTooLarge = 'PayloadTooLarge',
  UnsupportedMediaType = 'UnsupportedMediaType',
  TooManyRequests = 'TooManyRequests',
  BadRequest = 'BadRequest',
  Conflict = 'Conflict',
  InternalError = 'InternalError',
  ServiceUnavailable = 'ServiceUnavailable',
}

export class CommonError extends DomainError<CommonErrorCode> {}

/** One failing field of a request, as listed in a ValidationFailed problem. */
export interface FieldError {
  field: string;
  messages: string[];
}

export class ValidationError extends DomainError<CommonErrorCode.ValidationFailed> {
  constructor(readonly errors: FieldError[]) {
    super(CommonErrorCode.ValidationFailed, 400, 'The request has invalid fields', { errors });
  }
}
