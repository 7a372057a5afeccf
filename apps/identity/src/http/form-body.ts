import type { NextFunction, Request, Response } from 'express';
import {
  CommonErrorCode,
  currentRequestId,
  PROBLEM_CONTENT_TYPE,
  problemType,
  type ProblemDetails,
} from '#common';

/**
 * Runs after the urlencoded parser of the sign-in and account pages, whose handlers read
 * `body.x` as one string. A body in any other content type is left unparsed (`undefined`): it
 * becomes an empty form, so the CSRF check refuses it. A field sent twice (`a=1&a=2`, an array)
 * or holding a NUL character (which PostgreSQL cannot store) is refused with 400 here, before
 * any handler trims it or queries with it. Only the fields named in `repeatable` (checkbox
 * groups such as `matter`) may be sent more than once; they are then arrays of strings.
 */
export function formBody(repeatable: readonly string[] = []) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'POST') return next();
    const body: unknown = req.body;
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      req.body = {};
      return next();
    }
    const bad = Object.entries(body as Record<string, unknown>)
      .filter(([k, v]) => {
        const values = Array.isArray(v) && repeatable.includes(k) ? (v as unknown[]) : [v];
        return (
          k.includes('\u0000') || values.some((x) => typeof x !== 'string' || x.includes('\u0000'))
        );
      })
      .map(([k]) => k.split('\u0000').join(''));
    if (bad.length === 0) return next();
    const problem: ProblemDetails = {
      type: problemType(CommonErrorCode.BadRequest),
      title: 'The form has a field sent more than once or holding a NUL character',
      status: 400,
      code: CommonErrorCode.BadRequest,
      fields: bad,
      instance: req.originalUrl,
      requestId: currentRequestId(),
    };
    res.status(400).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  };
}
