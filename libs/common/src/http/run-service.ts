import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestPinoLogger } from '../logging/nest-logger.js';
import { ConfigError } from '../config/load-config.js';
import {
  createSuiteContext,
  type ServiceName,
  type SuiteContext,
} from '../config/suite-context.js';
import { getLogger, setLogLevel } from '../logging/logger.js';

/**
 * Entry point of a service run alone: validates config (a bad value ends the process with
 * one line naming the variable), builds the app, listens on its port.
 */
export async function runService(
  name: ServiceName,
  create: (ctx: SuiteContext) => Promise<NestExpressApplication>,
): Promise<void> {
  const ctx = contextOrExit(name);
  const app = await create(ctx);
  await app.listen(ctx.port, ctx.config.HOST);
  getLogger(name).info({ port: ctx.port, url: ctx.publicUrls[name] }, 'service listening');
}

/** Validates config for a mode, or prints the one-line reason and exits with status 1. */
export function contextOrExit(mode: ServiceName | 'suite'): SuiteContext {
  try {
    const ctx = createSuiteContext(mode);
    setLogLevel(ctx.config.LOG_LEVEL);
    Logger.overrideLogger(new NestPinoLogger('nest'));
    return ctx;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
