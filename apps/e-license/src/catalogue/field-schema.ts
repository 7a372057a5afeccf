import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { RE2JS } from 're2js';
import { LicenseError, LicenseErrorCode } from '../license.error.js';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/**
 * `pattern` and `patternProperties` of a type's schema run on every issuance with the clerk's
 * (or a business system's) data. With JavaScript's backtracking RegExp, a pattern such as
 * `^(a+)+$` and 30 characters of input froze the whole process for seconds, 40 for minutes.
 * RE2 matches in linear time; a pattern it cannot compile (backreferences, lookarounds) makes
 * the schema unusable, refused when the type is created.
 */
function linearTimeRegExp(pattern: string, flags: string): { test: (s: string) => boolean } {
  const re = RE2JS.compile(pattern, flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0);
  return { test: (s: string) => re.matcher(s).find() };
}
linearTimeRegExp.code = 're2js';

const ajv = addFormats(
  new Ajv({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    code: { regExp: linearTimeRegExp },
  }),
);
const compiled = new Map<string, ValidateFunction>();

/** One failing field of a license's data, named by its JSON pointer (RFC 6901) path. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Compiles a type's field schema (GB/T 36902 证照信息项) once, refusing a schema ajv cannot
 * use or one whose top level is not an object of named fields.
 */
export function compileFieldSchema(key: string, schema: Record<string, unknown>): ValidateFunction {
  const cached = compiled.get(key);
  if (cached) return cached;
  if (schema.type !== 'object' || typeof schema.properties !== 'object') {
    throw new LicenseError(
      LicenseErrorCode.InvalidLicenseType,
      400,
      'fieldsSchema must be a JSON Schema of type object with properties',
    );
  }
  let fn: ValidateFunction;
  try {
    fn = ajv.compile({ ...schema, $id: undefined });
  } catch (err) {
    throw new LicenseError(
      LicenseErrorCode.InvalidLicenseType,
      400,
      `fieldsSchema is not a usable JSON Schema: ${(err as Error).message}`,
    );
  }
  compiled.set(key, fn);
  return fn;
}

/** Checks a license's fields against its type's schema; throws FieldsInvalid naming each. */
export function checkFields(
  key: string,
  schema: Record<string, unknown>,
  fields: Record<string, unknown>,
): void {
  const validate = compileFieldSchema(key, schema);
  if (validate(fields)) return;
  const errors = (validate.errors ?? []).map(toProblem);
  throw new LicenseError(
    LicenseErrorCode.FieldsInvalid,
    400,
    `The license fields do not match the type's schema: ${errors.map((e) => e.field).join(', ')}`,
    { errors },
  );
}

function toProblem(e: ErrorObject): FieldProblem {
  // A missing required field is reported on its parent; name the field itself.
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return { field: `${e.instancePath}/${missing}`.replace(/^\//, ''), message: 'is required' };
  }
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return {
      field: `${e.instancePath}/${extra}`.replace(/^\//, ''),
      message: 'is not a field of this type',
    };
  }
  return {
    field: e.instancePath.replace(/^\//, '') || '(fields)',
    message: e.message ?? 'invalid',
  };
}
