import { Ajv } from 'ajv';
import { LicenseError, LicenseErrorCode } from '../license.error.js';
import type { LicenseLayout } from './license-type.entity.js';

const point = { type: 'number', minimum: 0, maximum: 842 };
const position = {
  type: 'object',
  required: ['x', 'y'],
  properties: { x: point, y: point, size: { type: 'number', minimum: 4, maximum: 200 } },
  additionalProperties: false,
};

const layoutSchema = {
  type: 'object',
  required: ['page', 'title', 'fields', 'qr', 'verificationCode', 'seal'],
  additionalProperties: false,
  properties: {
    page: { enum: ['A4-portrait', 'A4-landscape'] },
    title: { ...position, required: ['x', 'y', 'size'] },
    fields: {
      type: 'array',
      maxItems: 60,
      items: {
        type: 'object',
        required: ['key', 'label', 'x', 'y'],
        additionalProperties: false,
        properties: {
          key: { type: 'string', minLength: 1, maxLength: 64 },
          label: { type: 'string', minLength: 1, maxLength: 64 },
          x: point,
          y: point,
          size: { type: 'number', minimum: 4, maximum: 48 },
        },
      },
    },
    qr: { ...position, required: ['x', 'y', 'size'] },
    verificationCode: position,
    seal: position,
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile<LicenseLayout>(layoutSchema);

/** What the face can print besides the type's own fields. */
export const FACE_KEYS = [
  '$holderName',
  '$holderCode',
  '$licenseNumber',
  '$issuerName',
  '$issueDate',
  '$validity',
] as const;

/** A4 in PDF points (ISO 216: 210 x 297 mm). */
export function pageSize(layout: LicenseLayout): [number, number] {
  return layout.page === 'A4-landscape' ? [841.89, 595.28] : [595.28, 841.89];
}

/** Checks a type's layout: its shape, and that each placed field exists in the schema. */
export function checkLayout(layout: unknown, fieldNames: string[]): LicenseLayout {
  if (!validate(layout)) {
    const errors = (validate.errors ?? []).map((e) => ({
      field: `layout${e.instancePath.replace(/\//g, '.')}`,
      message: e.message ?? 'invalid',
    }));
    throw new LicenseError(LicenseErrorCode.InvalidLicenseType, 400, 'The layout is not valid', {
      errors,
    });
  }
  const unknown = layout.fields
    .filter((f) => !fieldNames.includes(f.key) && !(FACE_KEYS as readonly string[]).includes(f.key))
    .map((f) => f.key);
  if (unknown.length > 0) {
    throw new LicenseError(
      LicenseErrorCode.InvalidLicenseType,
      400,
      `The layout places fields the schema does not define: ${unknown.join(', ')}`,
      {
        errors: unknown.map((k) => ({
          field: `layout.fields.${k}`,
          message: 'not in fieldsSchema',
        })),
      },
    );
  }
  return layout;
}
