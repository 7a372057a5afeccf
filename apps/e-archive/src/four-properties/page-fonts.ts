import { PdfDict, PdfDocument, PdfStream, type PdfObject } from '#pdf';

export interface FontUse {
  name: string;
  embedded: boolean;
  standard14: boolean;
}

// ISO 32000-1 9.6.2.2: every conforming reader has these; they need no embedding to render.
const STANDARD_14 = new Set([
  'Times-Roman',
  'Times-Bold',
  'Times-Italic',
  'Times-BoldItalic',
  'Helvetica',
  'Helvetica-Bold',
  'Helvetica-Oblique',
  'Helvetica-BoldOblique',
  'Courier',
  'Courier-Bold',
  'Courier-Oblique',
  'Courier-BoldOblique',
  'Symbol',
  'ZapfDingbats',
]);
const MAX_DEPTH = 16;

/**
 * The fonts a reader needs to render the pages (as poppler's pdffonts lists them): those of
 * each page's resources (inherited ones included, 7.7.3.4), of the form XObjects they draw,
 * and of the annotations' appearance streams. Fonts only in the form's default resources
 * (/DR) are not drawn and not listed.
 */
export function pageFonts(doc: PdfDocument): FontUse[] {
  const fonts = new Map<PdfDict, FontUse>();
  const seen = new Set<PdfObject>();

  const resources = (holder: PdfDict, depth: number): void => {
    const res = doc.tryResolve(holder.get('Resources'));
    if (!(res instanceof PdfDict) || seen.has(res) || depth > MAX_DEPTH) return;
    seen.add(res);
    const fontDict = doc.tryResolve(res.get('Font'));
    if (fontDict instanceof PdfDict) {
      for (const f of fontDict.map.values()) {
        const font = doc.tryResolve(f);
        if (font instanceof PdfDict && !fonts.has(font)) fonts.set(font, describeFont(doc, font));
      }
    }
    const xobjects = doc.tryResolve(res.get('XObject'));
    if (xobjects instanceof PdfDict) {
      for (const x of xobjects.map.values()) form(doc.tryResolve(x), depth + 1);
    }
  };
  const form = (o: PdfObject, depth: number): void => {
    if (o instanceof PdfStream && o.dict.name('Subtype') === 'Form' && !seen.has(o)) {
      seen.add(o);
      resources(o.dict, depth);
    }
  };

  for (const page of doc.pages()) {
    resources(inheritedResourcesHolder(doc, page.dict), 0);
    const annots = doc.tryResolve(page.dict.get('Annots'));
    if (!Array.isArray(annots)) continue;
    for (const a of annots) {
      const annot = doc.tryResolve(a);
      const ap = annot instanceof PdfDict ? doc.tryResolve(annot.get('AP')) : null;
      if (!(ap instanceof PdfDict)) continue;
      for (const state of ap.map.values()) {
        const s = doc.tryResolve(state);
        if (s instanceof PdfStream) form(s, 1);
        else if (s instanceof PdfDict) for (const v of s.map.values()) form(doc.tryResolve(v), 1);
      }
    }
  }
  return [...fonts.values()];
}

/** A page without /Resources inherits its nearest ancestor's. */
function inheritedResourcesHolder(doc: PdfDocument, page: PdfDict): PdfDict {
  let node: PdfObject = page;
  for (let i = 0; i < 32 && node instanceof PdfDict; i++) {
    if (node.has('Resources')) return node;
    node = doc.tryResolve(node.get('Parent'));
  }
  return page;
}

function describeFont(doc: PdfDocument, font: PdfDict): FontUse {
  const name = (font.name('BaseFont') ?? '(unnamed)').replace(/^[A-Z]{6}\+/, '');
  const subtype = font.name('Subtype');
  // Type 3 glyphs are content streams inside the font dictionary itself (9.6.5).
  if (subtype === 'Type3') return { name, embedded: true, standard14: false };
  let holder = font;
  if (subtype === 'Type0') {
    const kids = doc.tryResolve(font.get('DescendantFonts'));
    const first = Array.isArray(kids) ? doc.tryResolve(kids[0]) : null;
    if (first instanceof PdfDict) holder = first;
  }
  const fd = doc.tryResolve(holder.get('FontDescriptor'));
  const embedded =
    fd instanceof PdfDict && (fd.has('FontFile') || fd.has('FontFile2') || fd.has('FontFile3'));
  return { name, embedded, standard14: STANDARD_14.has(name) };
}
