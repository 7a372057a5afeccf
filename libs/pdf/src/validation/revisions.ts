import { inheritedAttribute } from '../geometry/page-geometry.js';
import type { DocMdpPermissions } from '../signing/doc-mdp.js';
import { PdfDocument } from '../parser/document.js';
import { PdfDict, type PdfObject } from '../parser/objects.js';
import { compareAnnotations, type AnnotationChange, type WidgetChange } from './annotations.js';
import { compareFields } from './fields.js';
import { Fingerprinter } from './fingerprint.js';

// What changed after a signed revision (PDF 32000-1 12.8.2.2.2 DocMDP; ETSI EN 319 142-1
// 5.4: "modification detection"), so that a verifier can report hide/replace/overlay
// ("shadow") attacks that keep the signed bytes intact.

export type { AnnotationChange, WidgetChange } from './annotations.js';

export interface RevisionChanges {
  readonly pagesAdded: number[];
  readonly pagesRemoved: number[];
  /**
   * Pages whose content streams, resources (their own or inherited from the Pages tree:
   * fonts, images, XObjects), page actions (/AA) or transparency group differ.
   */
  readonly pageContentChanged: number[];
  /** Pages whose MediaBox, CropBox, BleedBox, TrimBox, ArtBox, Rotate or UserUnit differ. */
  readonly pageGeometryChanged: number[];
  readonly annotationsAdded: AnnotationChange[];
  readonly annotationsChanged: AnnotationChange[];
  readonly annotationsRemoved: AnnotationChange[];
  /**
   * Existing widgets whose appearance (/AP, /AS, /MK, /Rect...) changed. `filled`: the
   * change came with its field being filled (a signature field signed, a form value set).
   */
  readonly widgetsChanged: WidgetChange[];
  readonly fieldValuesChanged: string[];
  readonly fieldsAdded: string[];
  readonly fieldsRemoved: string[];
  readonly signaturesAdded: string[];
  /**
   * Document-level entries that differ: catalog /OpenAction, /AA, /Names (JavaScript,
   * embedded files), /OCProperties, /URI, /Collection; AcroForm /XFA, /NeedAppearances, /CO.
   */
  readonly catalogChanged: string[];
  /** What could not be compared in full (node budget exhausted): never assumed unchanged. */
  readonly incomplete: string[];
}

export interface CompareOptions {
  /** The whole file already loaded (verifying several signatures parses it once). */
  readonly after?: PdfDocument;
}

const PAGE_CONTENT = ['Contents', 'Resources', 'AA', 'Group'];
const PAGE_GEOMETRY = [
  'MediaBox',
  'CropBox',
  'BleedBox',
  'TrimBox',
  'ArtBox',
  'Rotate',
  'UserUnit',
];
// 7.7.3.4: a page without its own Resources, MediaBox, CropBox or Rotate takes its nearest
// ancestor's, so a change to a Pages node changes every page below it.
const INHERITABLE = new Set(['Resources', 'MediaBox', 'CropBox', 'Rotate']);
const CATALOG_KEYS = ['OpenAction', 'AA', 'Names', 'OCProperties', 'URI', 'Collection'];
const ACROFORM_KEYS = ['XFA', 'NeedAppearances', 'CO'];

/**
 * Compares the revision that ends at `signedRevisionEnd` (a signature's covered end) with the
 * whole file.
 *
 * @example
 *   const [first] = readSignatures(pdf);
 *   const changes = compareRevisions(pdf, first.revision!.end);
 *   const bad = changesBeyondPermissions(changes, first.docMdp ?? 2);
 */
export function compareRevisions(
  pdf: Buffer,
  signedRevisionEnd: number,
  options: CompareOptions = {},
): RevisionChanges {
  const before = PdfDocument.load(pdf.subarray(0, signedRevisionEnd));
  const after = options.after ?? PdfDocument.load(pdf);
  const fpBefore = new Fingerprinter(before);
  const fpAfter = new Fingerprinter(after);
  const oldPages = before.pages();
  const newPages = after.pages();
  const oldByNum = new Map(oldPages.map((p) => [p.ref.num, p]));
  const newNums = new Set(newPages.map((p) => p.ref.num));

  const pageContentChanged: number[] = [];
  const pageGeometryChanged: number[] = [];
  const pairs: { index: number; old: PdfDict; page: PdfDict }[] = [];
  newPages.forEach((page, index) => {
    const old = oldByNum.get(page.ref.num);
    if (!old) return;
    pairs.push({ index, old: old.dict, page: page.dict });
    const what = `page ${index + 1}`;
    const differs = (keys: readonly string[]) =>
      fpBefore.of(pageValues(before, old.dict, keys), what) !==
      fpAfter.of(pageValues(after, page.dict, keys), what);
    if (differs(PAGE_CONTENT)) pageContentChanged.push(index);
    if (differs(PAGE_GEOMETRY)) pageGeometryChanged.push(index);
  });

  const annotations = compareAnnotations(
    { doc: before, fp: fpBefore },
    { doc: after, fp: fpAfter },
    pairs,
  );
  const fields = compareFields({ doc: before, fp: fpBefore }, { doc: after, fp: fpAfter });
  const catalogChanged = [
    ...changedKeys(fpBefore, fpAfter, before.catalog, after.catalog, CATALOG_KEYS, ''),
    ...changedKeys(
      fpBefore,
      fpAfter,
      before.tryResolve(before.catalog.get('AcroForm')),
      after.tryResolve(after.catalog.get('AcroForm')),
      ACROFORM_KEYS,
      'AcroForm/',
    ),
  ];

  return {
    pagesAdded: newPages.flatMap((p, i) => (oldByNum.has(p.ref.num) ? [] : [i])),
    pagesRemoved: oldPages.flatMap((p, i) => (newNums.has(p.ref.num) ? [] : [i])),
    pageContentChanged,
    pageGeometryChanged,
    ...annotations,
    ...fields,
    catalogChanged,
    incomplete: [...new Set([...fpBefore.exhausted, ...fpAfter.exhausted])],
  };
}

function pageValues(doc: PdfDocument, page: PdfDict, keys: readonly string[]): PdfObject[] {
  return keys.map(
    (k) => (INHERITABLE.has(k) ? inheritedAttribute(doc, page, k) : page.get(k)) ?? null,
  );
}

function changedKeys(
  fpBefore: Fingerprinter,
  fpAfter: Fingerprinter,
  old: unknown,
  now: unknown,
  keys: readonly string[],
  prefix: string,
): string[] {
  const a = old instanceof PdfDict ? old : new PdfDict();
  const b = now instanceof PdfDict ? now : new PdfDict();
  return keys
    .filter((k) => fpBefore.of(a.get(k), `${prefix}${k}`) !== fpAfter.of(b.get(k), `${prefix}${k}`))
    .map((k) => `${prefix}${k}`);
}

/**
 * The changes that the certification's DocMDP permissions do not allow (12.8.2.2.2, Table 254):
 * P=1 nothing; P=2 form filling and signing; P=3 also annotations. Document actions, page
 * geometry and widget appearances redrawn without their field being filled are never allowed;
 * a comparison that could not be completed counts as a change.
 */
export function changesBeyondPermissions(c: RevisionChanges, p: DocMdpPermissions): string[] {
  const out: string[] = [];
  if (c.pagesAdded.length) out.push('pages added');
  if (c.pagesRemoved.length) out.push('pages removed');
  if (c.pageContentChanged.length) out.push('page content changed');
  if (c.pageGeometryChanged.length) out.push('page geometry changed');
  if (c.fieldsAdded.length || c.fieldsRemoved.length) out.push('form fields added or removed');
  if (p === 1 && (c.fieldValuesChanged.length || c.signaturesAdded.length))
    out.push('form filled or signed');
  const annots =
    c.annotationsAdded.length + c.annotationsChanged.length + c.annotationsRemoved.length;
  if (p !== 3 && annots) out.push('annotations changed');
  if (c.widgetsChanged.some((w) => !w.filled)) out.push('widget appearance changed');
  for (const key of c.catalogChanged) out.push(`document ${key} changed`);
  if (c.incomplete.length) out.push('comparison incomplete (too many objects)');
  return out;
}
