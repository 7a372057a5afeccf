import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import { PROVIDER_PATH_PREFIXES } from './provider-configuration.js';

export type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** What ProviderHost.serveAhead uses of an Express application (no declaration types it). */
export interface ExpressInternals {
  handle(req: IncomingMessage, res: ServerResponse, next?: unknown): void;
  request: object;
  response: object;
}

/** `/identity/token?x` -> `/token?x` when the first segment is one of the provider's. */
export function providerPath(url: string, prefix: string): string | undefined {
  if (!url.startsWith(`${prefix}/`)) return undefined;
  const rest = url.slice(prefix.length);
  const first = /^\/([^/?#]*)/.exec(rest)?.[1] ?? '';
  return PROVIDER_PATH_PREFIXES.includes(first) ? rest : undefined;
}

/**
 * Sets X-Forwarded-For/-Proto/-Host to the client address, scheme and host Express derives
 * under its `trust proxy` setting (req.ip, req.protocol, req.host), for the provider, which
 * believes these headers. Without any such header Express's answer is the socket's address,
 * its scheme and the Host header, whatever it trusts: that case is answered directly.
 */
export function forwardAsExpressSees(
  app: ExpressInternals,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const h = req.headers;
  if (!h['x-forwarded-for'] && !h['x-forwarded-proto'] && !h['x-forwarded-host']) {
    const socket = req.socket as IncomingMessage['socket'] & { encrypted?: boolean };
    h['x-forwarded-for'] = socket.remoteAddress ?? '';
    h['x-forwarded-proto'] = socket.encrypted ? 'https' : 'http';
    if (h.host) h['x-forwarded-host'] = h.host;
    return;
  }
  // What Express's handle does first, so that its getters apply the app's settings.
  const r = req as Request;
  r.res = res as Request['res'];
  (res as ServerResponse & { req: IncomingMessage }).req = req;
  Object.setPrototypeOf(req, app.request);
  Object.setPrototypeOf(res, app.response);
  h['x-forwarded-for'] = r.ip ?? '';
  h['x-forwarded-proto'] = r.protocol;
  if (r.host) h['x-forwarded-host'] = r.host;
  else delete h['x-forwarded-host'];
}

/**
 * The headers a header-only middleware (helmet with static directives) sets, captured once
 * and then set directly: the same headers at a fraction of the cost of running it each time.
 * A middleware that does more than set and remove headers is run as it is.
 */
export function staticHeaders(middleware: Middleware): Middleware {
  const set: [string, string | number | readonly string[]][] = [];
  const removed: string[] = [];
  let plain = true;
  const probe = {
    setHeader: (name: string, value: string | number | readonly string[]) =>
      set.push([name, value]),
    removeHeader: (name: string) => removed.push(name),
  };
  const captured = new Proxy(probe, {
    get(target, key) {
      if (key in target) return target[key as keyof typeof probe];
      plain = false;
      return undefined;
    },
  });
  let calledNext = false;
  try {
    middleware({ headers: {} } as IncomingMessage, captured as unknown as ServerResponse, () => {
      calledNext = true;
    });
  } catch {
    plain = false;
  }
  if (!plain || !calledNext) return middleware;
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}
