import { deflateSync } from 'node:zlib';
import type { Matrix } from '../geometry/page-geometry.js';
import { decodeStream } from '../parser/filters.js';
import { PdfDocument } from '../parser/document.js';
import { PdfDict, PdfName, PdfRef, PdfStream, type PdfObject } from '../parser/objects.js';
import type { IncrementalUpdate } from '../writer/incremental-update.js';

/**
 * Turns page 0 of a scratch PDF (drawn by pdf-lib at the widget's size) into a form XObject
 * (8.10) inside `update`: its content streams joined, its resources (fonts, FontFile2,
 * ToUnicode, images and their /SMask) copied as new objects with renumbered references.
 * `matrix` (8.10.1 /Matrix) turns the form, e.g. upright on a rotated page.
 */
export function importPageAsForm(
  update: IncrementalUpdate,
  scratch: Buffer,
  width: number,
  height: number,
  matrix?: Matrix,
): PdfRef {
  const src = PdfDocument.load(scratch);
  const page = src.pages()[0];
  if (!page) throw new Error('appearance PDF has no page');

  const map = new Map<number, PdfRef>();
  const copy = (o: PdfObject, depth: number): PdfObject => {
    if (depth > 64) throw new Error('appearance resources nested too deeply');
    if (o instanceof PdfRef) {
      const known = map.get(o.num);
      if (known) return known;
      const ref = update.allocate();
      map.set(o.num, ref);
      const target = src.resolve(o);
      update.set(ref, copy(target, depth + 1));
      return ref;
    }
    if (Array.isArray(o)) return o.map((x) => copy(x, depth + 1));
    if (o instanceof PdfStream) return new PdfStream(copy(o.dict, depth + 1) as PdfDict, o.raw);
    if (o instanceof PdfDict) {
      const d = new PdfDict();
      for (const [k, v] of o.map) if (k !== 'Parent') d.set(k, copy(v, depth + 1));
      return d;
    }
    return o;
  };

  const contents = src.resolve(page.dict.get('Contents'));
  const streams = (Array.isArray(contents) ? contents : [contents]).map((c) => src.resolve(c));
  const content = Buffer.concat(
    streams
      .filter((s): s is PdfStream => s instanceof PdfStream)
      .flatMap((s) => [decodeStream(s), Buffer.from('\n')]),
  );
  const resources = copy(src.resolve(page.dict.get('Resources')) ?? new PdfDict(), 0);

  const form = new PdfStream(
    new PdfDict([
      ['Type', PdfName.of('XObject')],
      ['Subtype', PdfName.of('Form')],
      ['BBox', [0, 0, width, height]],
      ['Resources', resources],
      ['Filter', PdfName.of('FlateDecode')],
    ]),
    deflateSync(content),
  );
  if (matrix && matrix.some((v, i) => v !== [1, 0, 0, 1, 0, 0][i])) {
    form.dict.set('Matrix', [...matrix]);
  }
  const ref = update.allocate();
  update.set(ref, form);
  return ref;
}
