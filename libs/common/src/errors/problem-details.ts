import { DomainError } from './domain-error.js';

/** RFC 9457 problem details document. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  requestId?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const PROBLEM_BASE = 'https://gov-suite.example/problems/';

/** Maps a code to its problem type URI; the code stays the value clients switch on. */
export function problemType(code: string): string {
  return `${PROBLEM_BASE}${code.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`;
}

export function problemFromDomainError(err: DomainError, instance?: string): ProblemDetails {
  return {
    ...err.extensions,
    type: problemType(err.code),
    title: err.message,
    status: err.status,
    code: err.code,
    instance,
  };
}
