import {
  Catch,
  HttpException,
  HttpStatus,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { getLogger, currentRequestId } from '../logging/logger.js';
import { CommonErrorCode, DomainError } from './domain-error.js';
import {
  PROBLEM_CONTENT_TYPE,
  problemFromDomainError,
  problemType,
  type ProblemDetails,
} from './problem-details.js';

const httpStatusCodes: Record<number, CommonErrorCode> = {
  400: CommonErrorCode.BadRequest,
  401: CommonErrorCode.Unauthorized,
  403: CommonErrorCode.Forbidden,
  404: CommonErrorCode.NotFound,
  409: CommonErrorCode.Conflict,
  413: CommonErrorCode.PayloadTooLarge,
  415: CommonErrorCode.UnsupportedMediaType,
  429: CommonErrorCode.TooManyRequests,
  503: CommonErrorCode.ServiceUnavailable,
};

/**
 * Turns every error into RFC 9457 problem details. Client errors are logged at debug,
 * server errors at error with the stack; a 500 never carries internals.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const problem = toProblem(exception, req.originalUrl ?? req.url);
    problem.requestId = currentRequestId();

    const log = getLogger('http');
    if (problem.status >= 500) {
      log.error({ err: exception, code: problem.code }, 'request failed');
    } else if (log.isLevelEnabled('debug')) {
      log.debug({ code: problem.code, status: problem.status }, 'request refused');
    }

    if (res.headersSent) {
      res.end();
      return;
    }
    if (exception instanceof DomainError && exception.headers) res.set(exception.headers);
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}

export function toProblem(exception: unknown, instance?: string): ProblemDetails {
  if (exception instanceof DomainError) return problemFromDomainError(exception, instance);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code =
      httpStatusCodes[status] ??
      (status >= 500 ? CommonErrorCode.InternalError : CommonErrorCode.BadRequest);
    const body = exception.getResponse();
    const message =
      typeof body === 'object' && body !== null && 'message' in body
        ? String((body as { message: unknown }).message)
        : exception.message;
    return {
      type: problemType(code),
      title: status >= 500 ? 'Internal error' : message,
      status,
      code,
      instance,
    };
  }
  // Body parser errors carry a status and a type (entity.too.large, entity.parse.failed).
  const status = (exception as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = httpStatusCodes[status] ?? CommonErrorCode.BadRequest;
    const title =
      status === 413 ? 'The request body is too large' : 'The request body could not be read';
    return { type: problemType(code), title, status, code, instance };
  }
  return {
    type: problemType(CommonErrorCode.InternalError),
    title: 'Internal error',
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    code: CommonErrorCode.InternalError,
    instance,
  };
}
