import { createHash } from 'node:crypto';
import type { DocMdpPermissions } from '../signing/doc-mdp.js';
import { formFields } from '../signing/signature-field.js';
import { PdfDocument } from '../parser/document.js';
import { PdfDict, PdfRef, PdfStream, type PdfObject } from '../parser/objects.js';
import { formatObject } from '../writer/serialize.js';

// What changed after a signed revision (PDF 32000-1 12.8.2.2.2 DocMDP; ETSI EN 319 142-1
// 5.4: "modification detection"), so that a verifier can report hide/replace/overlay
// ("shadow") attacks that keep the signed bytes intact.

export interface AnnotationChange {
  readonly page: number;
  readonly subtype?: string;
  readonly object?: number;
}

export interface RevisionChanges {
  readonly pagesAdded: number[];
  readonly pagesRemoved: number[];
  /** Pages whose content streams or resources (fonts, images, XObjects) differ. */
  readonly pageContentChanged: number[];
  readonly annotationsAdded: AnnotationChange[];
  readonly annotationsChanged: AnnotationChange[];
  readonly annotationsRemoved: AnnotationChange[];
  readonly fieldValuesChanged: string[];
  readonly fieldsAdded: string[];
  readonly fieldsRemoved: string[];
  readonly signaturesAdded: string[];
  /** Object numbers (re)defined after the signed revision. */
  readonly objectsChanged: number[];
}

/**
 * Compares the revision that ends at `signedRevisionEnd` (a signature's covered end) with the
 * whole file.
 *
 * @example
 *   const [first] = readSignatures(pdf);
 *   const changes = compareRevisions(pdf, first.revision!.end);
 *   const bad = changesBeyondPermissions(changes, first.docMdp ?? 2);
 */
export function compareRevisions(pdf: Buffer, signedRevisionEnd: number): RevisionChanges {
  const before = PdfDocument.load(pdf.subarray(0, signedRevisionEnd));
  const after = PdfDocument.load(pdf);
  const oldPages = before.pages();
  const newPages = after.pages();
  const oldNums = new Set(oldPages.map((p) => p.ref.num));
  const newNums = new Set(newPages.map((p) => p.ref.num));

  const pageContentChanged: number[] = [];
  const annotationsAdded: AnnotationChange[] = [];
  const annotationsChanged: AnnotationChange[] = [];
  const annotationsRemoved: AnnotationChange[] = [];
  newPages.forEach((page, index) => {
    const old = oldPages.find((p) => p.ref.num === page.ref.num);
    if (!old) return;
    const fp = (doc: PdfDocument, d: PdfDict): string =>
      fingerprint(doc, d.get('Contents')) + fingerprint(doc, d.get('Resources'));
    if (fp(before, old.dict) !== fp(after, page.dict)) pageContentChanged.push(index);

    const oldAnnots = annotations(before, old.dict);
    const newAnnots = annotations(after, page.dict);
    for (const [key, a] of newAnnots) {
      const prior = oldAnnots.get(key);
      const change = { page: index, subtype: a.dict.name('Subtype'), object: a.ref?.num };
      if (!prior) {
        if (!isSignatureWidget(a.dict)) annotationsAdded.push(change);
      } else if (prior.print !== a.print && !isSignatureWidget(a.dict)) {
        annotationsChanged.push(change);
      }
    }
    for (const [key, a] of oldAnnots) {
      if (!newAnnots.has(key)) {
        annotationsRemoved.push({
          page: index,
          subtype: a.dict.name('Subtype'),
          object: a.ref?.num,
        });
      }
    }
  });

  const oldFields = fieldMap(before);
  const newFields = fieldMap(after);
  const fieldValuesChanged: string[] = [];
  const fieldsAdded: string[] = [];
  const signaturesAdded: string[] = [];
  for (const [name, f] of newFields) {
    const prior = oldFields.get(name);
    if (!prior) (f.sig ? signaturesAdded : fieldsAdded).push(name);
    else if (prior.value !== f.value)
      (f.sig && !prior.signed ? signaturesAdded : fieldValuesChanged).push(name);
  }

  return {
    pagesAdded: newPages.flatMap((p, i) => (oldNums.has(p.ref.num) ? [] : [i])),
    pagesRemoved: oldPages.flatMap((p, i) => (newNums.has(p.ref.num) ? [] : [i])),
    pageContentChanged,
    annotationsAdded,
    annotationsChanged,
    annotationsRemoved,
    fieldValuesChanged,
    fieldsAdded,
    fieldsRemoved: [...oldFields.keys()].filter((n) => !newFields.has(n)),
    signaturesAdded,
    objectsChanged: after.objectNumbers().filter((n) => {
      const a = after.entry(n);
      const b = before.entry(n);
      return JSON.stringify(a) !== JSON.stringify(b);
    }),
  };
}

/**
 * The changes that the certification's DocMDP permissions do not allow (12.8.2.2.2, Table 254):
 * P=1 nothing; P=2 form filling and signing; P=3 also annotations.
 */
export function changesBeyondPermissions(c: RevisionChanges, p: DocMdpPermissions): string[] {
  const out: string[] = [];
  if (c.pagesAdded.length) out.push('pages added');
  if (c.pagesRemoved.length) out.push('pages removed');
  if (c.pageContentChanged.length) out.push('page content changed');
  if (c.fieldsAdded.length || c.fieldsRemoved.length) out.push('form fields added or removed');
  if (p === 1 && (c.fieldValuesChanged.length || c.signaturesAdded.length))
    out.push('form filled or signed');
  const annots =
    c.annotationsAdded.length + c.annotationsChanged.length + c.annotationsRemoved.length;
  if (p !== 3 && annots) out.push('annotations changed');
  return out;
}

function isSignatureWidget(d: PdfDict): boolean {
  return d.name('FT') === 'Sig';
}

function annotations(
  doc: PdfDocument,
  page: PdfDict,
): Map<string, { ref?: PdfRef; dict: PdfDict; print: string }> {
  const out = new Map<string, { ref?: PdfRef; dict: PdfDict; print: string }>();
  const list = doc.tryResolve(page.get('Annots'));
  if (!Array.isArray(list)) return out;
  list.forEach((a, i) => {
    const dict = doc.tryResolve(a);
    if (!(dict instanceof PdfDict)) return;
    const ref = a instanceof PdfRef ? a : undefined;
    const print = fingerprint(doc, dict, new Set(['P', 'Parent', 'V']));
    out.set(ref ? `r${ref.num}` : `d${i}:${print}`, { ref, dict, print });
  });
  return out;
}

function fieldMap(doc: PdfDocument): Map<string, { value: string; sig: boolean; signed: boolean }> {
  const out = new Map<string, { value: string; sig: boolean; signed: boolean }>();
  for (const f of formFields(doc)) {
    const sig = f.dict.name('FT') === 'Sig';
    const v = f.dict.get('V');
    out.set(f.name, { value: fingerprint(doc, v ?? null), sig, signed: sig && v !== undefined });
  }
  return out;
}

/** A digest of an object with references followed (bounded, cycle-safe), streams by bytes. */
function fingerprint(doc: PdfDocument, o: PdfObject | undefined, skip = new Set<string>()): string {
  const h = createHash('sha256');
  const seen = new Set<number>();
  let budget = 20_000;
  const walk = (x: PdfObject | undefined, depth: number): void => {
    if (--budget < 0 || depth > 48) return;
    if (x instanceof PdfRef) {
      if (seen.has(x.num)) return void h.update(`@${x.num}`);
      seen.add(x.num);
      return walk(doc.tryResolve(x), depth + 1);
    }
    if (Array.isArray(x)) {
      h.update('[');
      for (const i of x) walk(i, depth + 1);
      return void h.update(']');
    }
    if (x instanceof PdfStream) {
      walk(x.dict, depth + 1);
      return void h.update(x.raw);
    }
    if (x instanceof PdfDict) {
      h.update('<<');
      for (const [k, v] of [...x.map].sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (skip.has(k) && depth === 0) continue;
        h.update(`/${k} `);
        walk(v, depth + 1);
      }
      return void h.update('>>');
    }
    h.update(formatObject(x ?? null) + ' ');
  };
  walk(o, 0);
  return h.digest('hex');
}
