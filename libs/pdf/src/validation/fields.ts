import type { PdfDocument } from '../parser/document.js';
import { formFields } from '../signing/signature-field.js';
import type { Fingerprinter } from './fingerprint.js';

interface Side {
  readonly doc: PdfDocument;
  readonly fp: Fingerprinter;
}

interface Field {
  readonly value: string;
  readonly sig: boolean;
  readonly signed: boolean;
}

/**
 * Form fields (12.7) added, removed, filled and signed between two revisions. A signature
 * field that arrives signed is a signature added (DocMDP P=2 allows signing); one that
 * arrives empty is a field added, which no permission level allows.
 */
export function compareFields(
  before: Side,
  after: Side,
): {
  fieldValuesChanged: string[];
  fieldsAdded: string[];
  fieldsRemoved: string[];
  signaturesAdded: string[];
} {
  const oldFields = fieldMap(before);
  const newFields = fieldMap(after);
  const fieldValuesChanged: string[] = [];
  const fieldsAdded: string[] = [];
  const signaturesAdded: string[] = [];
  for (const [name, f] of newFields) {
    const prior = oldFields.get(name);
    if (!prior) (f.signed ? signaturesAdded : fieldsAdded).push(name);
    else if (prior.value !== f.value) {
      (f.sig && !prior.signed ? signaturesAdded : fieldValuesChanged).push(name);
    }
  }
  return {
    fieldValuesChanged,
    fieldsAdded,
    fieldsRemoved: [...oldFields.keys()].filter((n) => !newFields.has(n)),
    signaturesAdded,
  };
}

function fieldMap(side: Side): Map<string, Field> {
  const out = new Map<string, Field>();
  for (const f of formFields(side.doc)) {
    const sig = f.dict.name('FT') === 'Sig';
    const v = f.dict.get('V');
    out.set(f.name, {
      value: side.fp.of(v ?? null, `field ${f.name}`),
      sig,
      signed: sig && v !== undefined,
    });
  }
  return out;
}
