import { demoLayout, demoResidenceCertificate } from '../demo/demo-catalogue.js';
import { checkFields, compileFieldSchema } from './field-schema.js';
import { checkLayout } from './layout.js';

const schema = demoResidenceCertificate.fieldsSchema;

describe('license fields against the type schema', () => {
  it('accepts fields that match', () => {
    expect(() =>
      checkFields('t1', schema, { address: '福州市鼓楼区1号', since: '2020-01-01' }),
    ).not.toThrow();
  });

  it('names every failing field: missing, malformed and unknown', () => {
    try {
      checkFields('t1', schema, { since: '2020-13-01', extra: 1 });
      throw new Error('not refused');
    } catch (err) {
      const e = err as { code: string; extensions: { errors: { field: string }[] } };
      expect(e.code).toBe('FieldsInvalid');
      expect(e.extensions.errors.map((x) => x.field).sort()).toEqual(['address', 'extra', 'since']);
    }
  });

  it('refuses a schema that is not an object of named fields', () => {
    expect(() => compileFieldSchema('t2', { type: 'string' })).toThrow(
      expect.objectContaining({ code: 'InvalidLicenseType' }),
    );
  });

  it('refuses a layout that places a field the schema does not define', () => {
    const layout = {
      ...demoLayout,
      fields: [...demoLayout.fields, { key: 'colour', label: '颜色', x: 1, y: 1 }],
    };
    expect(() => checkLayout(layout, ['address', 'since', 'purpose'])).toThrow(
      expect.objectContaining({ code: 'InvalidLicenseType' }),
    );
    expect(checkLayout(demoLayout, ['address', 'since', 'purpose'])).toBe(demoLayout);
  });
});
