import {
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError as ClassValidationError,
} from '@nestjs/common';
import { ValidationError, type FieldError } from './domain-error.js';

/** How deeply objects and arrays of a request may nest (a JSON Schema or a layout needs ~10). */
export const MAX_INPUT_DEPTH = 64;

/**
 * Whether `value` nests objects or arrays more than MAX_INPUT_DEPTH deep. JSON.parse accepts
 * 100,000 levels; class-transformer and class-validator recurse and overflow the stack (500).
 */
export function nestsTooDeeply(value: unknown): boolean {
  let level: unknown[] = [value];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > MAX_INPUT_DEPTH) return true;
    const next: unknown[] = [];
    for (const v of level) {
      if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v) && !ArrayBuffer.isView(v)) {
        for (const child of Object.values(v))
          if (child !== null && typeof child === 'object') next.push(child);
      }
    }
    level = next;
  }
  return false;
}

/** Flattens class-validator's nested errors into one entry per failing field path. */
export function toFieldErrors(errors: ClassValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    if (e.constraints) out.push({ field, messages: Object.values(e.constraints) });
    if (e.children?.length) out.push(...toFieldErrors(e.children, field));
  }
  return out;
}

const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

/**
 * Field paths of the strings (object keys included) under `value` that contain U+0000.
 * PostgreSQL's text and jsonb cannot hold it, so such input must be refused before any query.
 */
export function nulFields(value: unknown, path: string, out: string[] = [], depth = 0): string[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out.push(path);
  } else if (Array.isArray(value)) {
    if (depth < 64) value.forEach((v, i) => nulFields(v, `${path}[${i}]`, out, depth + 1));
  } else if (
    value !== null &&
    typeof value === 'object' &&
    !Buffer.isBuffer(value) &&
    !ArrayBuffer.isView(value)
  ) {
    if (depth >= 64) return out;
    for (const [k, v] of Object.entries(value)) {
      const p = path ? `${path}.${k}` : k;
      if (k.includes('\u0000')) out.push(p);
      else nulFields(v, p, out, depth + 1);
    }
  }
  return out;
}

/**
 * ValidationPipe that also refuses NUL characters in any path parameter, query or body, and a
 * named query parameter given more than once.
 */
class SuiteValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // `?a=1&a=2` arrives as an array; a handler reading one named query parameter expects a
    // string (or a number, a boolean, ...) and would fail on it (`.trim is not a function`).
    if (
      metadata.type === 'query' &&
      metadata.data &&
      Array.isArray(value) &&
      metadata.metatype !== Array
    ) {
      throw new ValidationError([{ field: metadata.data, messages: ['must be given once'] }]);
    }
    if (metadata.type !== 'custom' && nestsTooDeeply(value)) {
      throw new ValidationError([
        {
          field: metadata.data ?? metadata.type,
          messages: [`must not nest objects or arrays more than ${MAX_INPUT_DEPTH} deep`],
        },
      ]);
    }
    if (metadata.type !== 'custom') {
      const fields = nulFields(value, metadata.data ?? '');
      if (fields.length)
        throw new ValidationError(
          fields.map((field) => ({ field: field || metadata.type, messages: [NUL_MESSAGE] })),
        );
    }
    return super.transform(value, metadata);
  }
}

/** The suite's request validation: unknown fields refused, each bad field named, no NULs. */
export function createValidationPipe(): ValidationPipe {
  return new SuiteValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationError(toFieldErrors(errors)),
  });
}
