import { Logger, Module, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type { ServiceName, SuiteContext } from '../config/suite-context.js';
import { createValidationPipe } from '../errors/validation.js';
import { ProblemDetailsFilter } from '../errors/problem-details.filter.js';
import { NestPinoLogger } from '../logging/nest-logger.js';
import { requestIdMiddleware } from './request-id.js';
import { SuiteCoreModule } from './suite-core.module.js';

export interface ServiceAppOptions {
  name: ServiceName;
  context: SuiteContext;
  /** The service's root module. */
  module: DynamicModule | Type;
  openApi: { title: string; description: string };
  /** Nest's JSON and urlencoded body parsers (default on). */
  bodyParser?: boolean;
  /** Runs before Nest initialises its routes: mount non-Nest handlers here. */
  beforeInit?: (app: NestExpressApplication) => Promise<void> | void;
}

/**
 * The suite's security headers (helmet), as middleware: every response of a service carries
 * them, including those of handlers served ahead of Express (identity's provider routes).
 */
export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        // Swagger UI and the server-rendered pages use inline style attributes.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'form-action': null,
      },
    },
  });
}

/**
 * Creates one service as a Nest application under its path prefix (`/<name>/...`), with the
 * suite's cross-cutting parts: request ids and access log, security headers, problem details
 * for every error, validation of every body, health endpoints and OpenAPI docs at
 * `/<name>/docs` and `/<name>/docs-json`. The application is initialised, not listening.
 */
export async function createServiceApp(
  options: ServiceAppOptions,
): Promise<NestExpressApplication> {
  const { name, context } = options;

  @Module({ imports: [SuiteCoreModule.forRoot(context), options.module] })
  class ServiceRootModule {}
  Object.defineProperty(ServiceRootModule, 'name', { value: `${name}RootModule` });

  // Nest's static logger (used before an app exists, e.g. by @nestjs/typeorm) logs as JSON too.
  Logger.overrideLogger(new NestPinoLogger('nest'));
  const app = await NestFactory.create<NestExpressApplication>(ServiceRootModule, {
    logger: new NestPinoLogger(name),
    bodyParser: false,
    abortOnError: false,
  });
  app.disable('x-powered-by');
  // One setting for the whole service: identity hands the address Express derived from it to
  // oidc-provider too (see ProviderHost.serveAhead), so both see the same client.
  app.set('trust proxy', context.config.TRUST_PROXY);
  app.use(requestIdMiddleware(name));
  app.use(securityHeaders());
  if (options.bodyParser !== false) {
    app.useBodyParser('json', { limit: '2mb' });
    app.useBodyParser('urlencoded', { extended: false, limit: '256kb' });
  }
  app.setGlobalPrefix(name);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.openApi.title)
      .setDescription(options.openApi.description)
      .setVersion('1')
      .addServer(context.publicUrls[name].replace(new RegExp(`/${name}$`), ''))
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup(`${name}/docs`, app, doc, { jsonDocumentUrl: `${name}/docs-json` });

  await options.beforeInit?.(app);
  await app.init();
  return app;
}
