import { pino, type Logger } from 'pino';
import { currentRequestId } from './request-context.js';
import { maskDeep, maskPersonalIdentifiers, REDACT_PATHS } from './redaction.js';

export { currentRequestId };

let root: Logger | undefined;

/** The process's root logger: JSON lines, secrets redacted, personal identifiers masked. */
export function rootLogger(): Logger {
  root ??= pino({
    level: process.env.LOG_LEVEL ?? 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
    formatters: { log: (obj) => maskDeep(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        if (typeof first === 'string') {
          return method.apply(this, [maskPersonalIdentifiers(first), ...rest] as never);
        }
        if (typeof rest[0] === 'string') rest[0] = maskPersonalIdentifiers(rest[0]);
        return method.apply(this, [first, ...rest] as never);
      },
    },
  });
  return root;
}

/** A child logger for one component; the request id is added to each line automatically. */
export function getLogger(component: string): Logger {
  return rootLogger().child({ component });
}

export function setLogLevel(level: string): void {
  rootLogger().level = level;
}
