import type { PdfDocument } from '../parser/document.js';
import { PdfDict, PdfRef } from '../parser/objects.js';
import type { Fingerprinter } from './fingerprint.js';

export interface AnnotationChange {
  readonly page: number;
  readonly subtype?: string;
  readonly object?: number;
}

export interface WidgetChange extends AnnotationChange {
  /** A signature field signed, or a form field given a new value, in the same update. */
  readonly filled: boolean;
}

interface Side {
  readonly doc: PdfDocument;
  readonly fp: Fingerprinter;
}

interface Annotation {
  readonly ref?: PdfRef;
  readonly dict: PdfDict;
  readonly print: string;
}

// The field value and the back links are compared by the field comparison, not here.
const NOT_APPEARANCE = new Set(['P', 'Parent', 'V']);

/**
 * Annotations added, changed and removed on the pages both revisions have. Widgets are kept
 * apart: a signature widget may be drawn when its field is signed (DocMDP P>=2 allows
 * signing), a form field's widget when its value is set (form filling); any other redrawing of
 * an existing widget (a signed seal's /AP replaced, say) is a change of its own.
 */
export function compareAnnotations(
  before: Side,
  after: Side,
  pages: readonly { index: number; old: PdfDict; page: PdfDict }[],
): {
  annotationsAdded: AnnotationChange[];
  annotationsChanged: AnnotationChange[];
  annotationsRemoved: AnnotationChange[];
  widgetsChanged: WidgetChange[];
} {
  const annotationsAdded: AnnotationChange[] = [];
  const annotationsChanged: AnnotationChange[] = [];
  const annotationsRemoved: AnnotationChange[] = [];
  const widgetsChanged: WidgetChange[] = [];

  for (const { index, old, page } of pages) {
    const oldAnnots = annotationsOf(before, old, index);
    const newAnnots = annotationsOf(after, page, index);
    for (const [key, a] of newAnnots) {
      const prior = oldAnnots.get(key);
      const change = { page: index, subtype: a.dict.name('Subtype'), object: a.ref?.num };
      if (!prior) {
        // A new signature's widget comes with signing; an empty new field is a field added.
        if (!(isSignatureWidget(after.doc, a.dict) && hasValue(after.doc, a.dict))) {
          annotationsAdded.push(change);
        }
      } else if (prior.print !== a.print) {
        if (a.dict.name('Subtype') === 'Widget') {
          widgetsChanged.push({ ...change, filled: filled(before, prior, after, a) });
        } else {
          annotationsChanged.push(change);
        }
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
  }
  return { annotationsAdded, annotationsChanged, annotationsRemoved, widgetsChanged };
}

function annotationsOf(side: Side, page: PdfDict, index: number): Map<string, Annotation> {
  const out = new Map<string, Annotation>();
  const list = side.doc.tryResolve(page.get('Annots'));
  if (!Array.isArray(list)) return out;
  list.forEach((a, i) => {
    const dict = side.doc.tryResolve(a);
    if (!(dict instanceof PdfDict)) return;
    const ref = a instanceof PdfRef ? a : undefined;
    const print = side.fp.of(dict, `page ${index + 1} annotation ${i + 1}`, NOT_APPEARANCE);
    out.set(ref ? `r${ref.num}` : `d${i}:${print}`, { ref, dict, print });
  });
  return out;
}

/** Whether the widget's field went from unsigned to signed, or from one value to another. */
function filled(before: Side, prior: Annotation, after: Side, now: Annotation): boolean {
  if (isSignatureWidget(after.doc, now.dict)) {
    return !hasValue(before.doc, prior.dict) && hasValue(after.doc, now.dict);
  }
  const was = fieldOf(before.doc, prior.dict).get('V') ?? null;
  const is = fieldOf(after.doc, now.dict).get('V') ?? null;
  return before.fp.of(was, 'field value') !== after.fp.of(is, 'field value');
}

/** The field a widget belongs to: itself when merged, else its /Parent (12.7.4.1). */
function fieldOf(doc: PdfDocument, widget: PdfDict): PdfDict {
  if (widget.has('FT') || widget.has('V')) return widget;
  const parent = doc.tryResolve(widget.get('Parent'));
  return parent instanceof PdfDict ? parent : widget;
}

function isSignatureWidget(doc: PdfDocument, widget: PdfDict): boolean {
  return fieldOf(doc, widget).name('FT') === 'Sig';
}

function hasValue(doc: PdfDocument, widget: PdfDict): boolean {
  return fieldOf(doc, widget).get('V') !== undefined;
}
