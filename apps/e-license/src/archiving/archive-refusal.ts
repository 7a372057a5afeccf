/**
 * What e-archive answered when it did not take a job. Permanent refusals are 4xx answers
 * about the request itself (RFC 9110 15.5): sending the same bytes again gets the same
 * answer, so the job is marked dead. 401 (token expired; a new one is fetched), 408 and 429
 * (RFC 6585 4: come back later), 5xx and network failures are transient and retried.
 */
export class ArchiveRefusal extends Error {
  readonly permanent: boolean;

  constructor(
    readonly httpStatus: number | undefined,
    readonly problemCode: string | undefined,
    readonly detail: string,
  ) {
    super(
      httpStatus === undefined
        ? `e-archive unreachable: ${detail}`
        : `e-archive answered ${httpStatus} ${problemCode ?? ''} ${detail}`.replace(/\s+/g, ' '),
    );
    this.name = 'ArchiveRefusal';
    this.permanent = isPermanent(httpStatus);
  }
}

export function isPermanent(status: number | undefined): boolean {
  if (status === undefined || status < 400 || status >= 500) return false;
  return ![401, 408, 429].includes(status);
}
