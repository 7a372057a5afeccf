import type { PdfDocument } from '../parser/document.js';
import { PdfDict, PdfName, PdfRef, PdfString, type PdfObject } from '../parser/objects.js';
import type { IncrementalUpdate } from '../writer/incremental-update.js';

// PDF 32000-1 12.7 (interactive forms) and 12.7.4.5 (signature fields).

export interface SignatureField {
  /** Fully qualified name (12.7.3.2), parts joined by '.'. */
  readonly name: string;
  readonly ref?: PdfRef;
  readonly dict: PdfDict;
}

/** Walks /AcroForm /Fields and their /Kids (bounded, cycle-safe); yields terminal fields. */
export function formFields(doc: PdfDocument): SignatureField[] {
  const acro = doc.tryResolve(doc.catalog.get('AcroForm'));
  if (!(acro instanceof PdfDict)) return [];
  const out: SignatureField[] = [];
  const seen = new Set<number>();
  const walk = (o: PdfObject, prefix: string, inherited: PdfDict, depth: number): void => {
    if (depth > 32 || out.length > 100_000) return;
    if (o instanceof PdfRef) {
      if (seen.has(o.num)) return;
      seen.add(o.num);
    }
    const dict = doc.tryResolve(o);
    if (!(dict instanceof PdfDict)) return;
    const t = doc.tryResolve(dict.get('T'));
    const partial = t instanceof PdfString ? t.text() : '';
    const full = partial ? (prefix ? `${prefix}.${partial}` : partial) : prefix;
    const merged = inherited.clone();
    for (const key of ['FT', 'V', 'Ff']) if (dict.has(key)) merged.set(key, dict.get(key)!);
    const kids = doc.tryResolve(dict.get('Kids'));
    const fieldKids = Array.isArray(kids)
      ? kids.filter((k) => {
          const kd = doc.tryResolve(k);
          return kd instanceof PdfDict && kd.has('T');
        })
      : [];
    if (fieldKids.length > 0) {
      for (const k of fieldKids) walk(k, full, merged, depth + 1);
      return;
    }
    const view = dict.clone();
    for (const key of ['FT', 'V', 'Ff'])
      if (!view.has(key) && merged.has(key)) view.set(key, merged.get(key)!);
    out.push({ name: full, ref: o instanceof PdfRef ? o : undefined, dict: view });
  };
  const fields = doc.tryResolve(acro.get('Fields'));
  if (Array.isArray(fields)) for (const f of fields) walk(f, '', new PdfDict(), 0);
  return out;
}

/**
 * Adds `fieldRef` to /AcroForm /Fields and sets /SigFlags 3 (SignaturesExist | AppendOnly),
 * keeping every other entry (existing fields and their values, /DR, /DA, /NeedAppearances).
 * Returns the catalog to write when the catalog itself had to change, else undefined.
 */
export function addFieldToAcroForm(
  doc: PdfDocument,
  update: IncrementalUpdate,
  fieldRef: PdfRef,
  catalog: PdfDict,
): boolean {
  const acroObj = catalog.get('AcroForm');
  const acroResolved = doc.tryResolve(acroObj);
  const acro = acroResolved instanceof PdfDict ? acroResolved.clone() : new PdfDict();

  const fieldsObj = acro.get('Fields');
  const fields = doc.tryResolve(fieldsObj);
  const list = Array.isArray(fields) ? [...fields, fieldRef] : [fieldRef];
  if (fieldsObj instanceof PdfRef && Array.isArray(fields)) update.set(fieldsObj, list);
  else acro.set('Fields', list);
  const flags = doc.tryResolve(acro.get('SigFlags'));
  acro.set('SigFlags', (typeof flags === 'number' ? flags : 0) | 3);

  if (acroObj instanceof PdfRef && acroResolved instanceof PdfDict) {
    update.set(acroObj, acro);
    return false;
  }
  const ref = update.allocate();
  update.set(ref, acro);
  catalog.set('AcroForm', ref);
  return true;
}

/** Appends the widget to the page's /Annots, which may be absent, direct, or indirect. */
export function addWidgetToPage(
  doc: PdfDocument,
  update: IncrementalUpdate,
  page: { ref: PdfRef; dict: PdfDict },
  widgetRef: PdfRef,
): void {
  const annotsObj = page.dict.get('Annots');
  const annots = doc.tryResolve(annotsObj);
  const list = Array.isArray(annots) ? [...annots, widgetRef] : [widgetRef];
  if (annotsObj instanceof PdfRef && Array.isArray(annots)) {
    update.set(annotsObj, list);
    return;
  }
  update.set(page.ref, page.dict.clone().set('Annots', list));
}

export function signatureWidget(opts: {
  name: string;
  sigRef: PdfRef;
  pageRef: PdfRef;
  rect: readonly [number, number, number, number];
  appearance?: PdfRef;
  /** The page's /Rotate: recorded as /MK /R (12.5.6.19) for viewers that redraw the widget. */
  rotate?: number;
}): PdfDict {
  const w = new PdfDict([
    ['Type', PdfName.of('Annot')],
    ['Subtype', PdfName.of('Widget')],
    ['FT', PdfName.of('Sig')],
    ['T', PdfString.fromText(opts.name)],
    ['V', opts.sigRef],
    // 12.5.3: Print (4) + Locked (128); an invisible signature has a zero rectangle.
    ['F', 132],
    ['P', opts.pageRef],
    ['Rect', [...opts.rect]],
  ]);
  if (opts.appearance) w.set('AP', new PdfDict([['N', opts.appearance]]));
  if (opts.rotate) w.set('MK', new PdfDict([['R', opts.rotate]]));
  return w;
}
