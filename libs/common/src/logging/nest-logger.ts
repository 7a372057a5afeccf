import type { LoggerService } from '@nestjs/common';
import { getLogger } from './logger.js';

/** Routes Nest's own log calls into the structured logger. */
export class NestPinoLogger implements LoggerService {
  private readonly logger;

  constructor(service: string) {
    this.logger = getLogger(service);
  }

  log_(level: 'info' | 'warn' | 'error' | 'debug' | 'trace', message: unknown, rest: unknown[]) {
    const context = typeof rest[rest.length - 1] === 'string' ? rest[rest.length - 1] : undefined;
    // @nestjs/typeorm keeps one static registry of data-source names for the whole process;
    // with four apps in one process it warns, but each app has its own DI container, so
    // nothing is overridden.
    if (context === 'DataSourceNameRegistry') level = 'debug';
    if (message instanceof Error) this.logger[level]({ err: message, context }, message.message);
    else this.logger[level]({ context }, String(message));
  }

  log(message: unknown, ...rest: unknown[]) {
    // Nest's route mapping lines are noise at info level.
    this.log_('debug', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.log_('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.log_('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.log_('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.log_('trace', message, rest);
  }
}
