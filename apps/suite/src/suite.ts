import express, { type Request, type Response, type NextFunction } from 'express';
import type { Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  CommonErrorCode,
  PROBLEM_CONTENT_TYPE,
  problemType,
  SERVICE_NAMES,
  type ServiceName,
  type SuiteContext,
} from '#common';
import { createEArchiveApp } from '../../e-archive/src/app.js';
import { createELicenseApp } from '../../e-license/src/app.js';
import { createESealApp } from '../../e-seal/src/app.js';
import { createIdentityApp } from '../../identity/src/app.js';
import { renderLandingPage } from './landing-page.js';

export interface RunningSuite {
  server: Server;
  apps: Record<ServiceName, NestExpressApplication>;
  close(): Promise<void>;
}

const factories: Record<ServiceName, (ctx: SuiteContext) => Promise<NestExpressApplication>> = {
  identity: createIdentityApp,
  'e-seal': createESealApp,
  'e-license': createELicenseApp,
  'e-archive': createEArchiveApp,
};

/**
 * All four services in one process on one port, each under its own path prefix. This is the
 * one place that imports the apps: it composes them and nothing else. The services still talk
 * to each other over HTTP (through this same port), exactly as when run apart.
 */
export async function startSuite(ctx: SuiteContext): Promise<RunningSuite> {
  const root = express();
  root.disable('x-powered-by');
  const apps = {} as Record<ServiceName, NestExpressApplication>;
  const handlers = new Map<string, express.Express>();

  // Listen first so that services calling each other during start-up (JWKS, tokens) reach
  // the port; requests to a service not yet mounted get 503.
  const server = await new Promise<Server>((resolve, reject) => {
    const s = root.listen(ctx.port, ctx.config.HOST, () => resolve(s));
    s.once('error', reject);
  });

  root.get('/', (_req, res) => {
    res.type('html').send(renderLandingPage(ctx));
  });
  root.use((req: Request, res: Response, next: NextFunction) => {
    const first = req.path.split('/')[1] ?? '';
    const handler = handlers.get(first);
    if (handler) return handler(req, res, next);
    const known = (SERVICE_NAMES as readonly string[]).includes(first);
    const code = known ? CommonErrorCode.ServiceUnavailable : CommonErrorCode.NotFound;
    res
      .status(known ? 503 : 404)
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        JSON.stringify({
          type: problemType(code),
          title: known ? 'The service is starting' : 'Not found',
          status: known ? 503 : 404,
          code,
          instance: req.originalUrl,
        }),
      );
  });

  // Identity first: the others may ask it for keys and tokens as they start.
  const mount = async (name: ServiceName) => {
    const app = await factories[name](ctx);
    apps[name] = app;
    handlers.set(name, app.getHttpAdapter().getInstance() as express.Express);
  };
  await mount('identity');
  await Promise.all(SERVICE_NAMES.filter((n) => n !== 'identity').map(mount));

  return {
    server,
    apps,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const name of [...SERVICE_NAMES].reverse()) await apps[name].close();
    },
  };
}
