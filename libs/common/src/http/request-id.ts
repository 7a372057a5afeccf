import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { getLogger } from '../logging/logger.js';
import { requestContext } from '../logging/request-context.js';

const VALID_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Gives every request an id (the caller's `x-request-id` when well formed), echoes it in the
 * response header, makes it part of every log line written while serving the request, and
 * writes one access-log line when the response is finished. The query string is left out of
 * the log: it may carry codes and tokens.
 */
export function requestIdMiddleware(service: string) {
  const log = getLogger('access');
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && VALID_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    requestContext.run({ requestId }, () => {
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        log.info(
          {
            service,
            method: req.method,
            path: (req.originalUrl ?? req.url).split('?')[0],
            status: res.statusCode,
            ms: Math.round(ms * 10) / 10,
          },
          'request',
        );
      });
      next();
    });
  };
}
