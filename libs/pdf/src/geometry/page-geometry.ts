import type { PdfDocument } from '../parser/document.js';
import { PdfDict, PdfRef, type PdfObject } from '../parser/objects.js';

// PDF 32000-1 7.7.3.4 (inheritable page attributes), 8.3.2.3 (matrices), 14.11.2 (page boxes).

/** [x1 y1 x2 y2], as in /Rect. */
export type Box = readonly [number, number, number, number];
/** [a b c d e f], a point (x, y) maps to (a x + c y + e, b x + d y + f). */
export type Matrix = readonly [number, number, number, number, number, number];

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** `m1` applied first, then `m2` (the order of 8.3.4: CTM' = M x CTM). */
export function multiply(m1: Matrix, m2: Matrix): Matrix {
  return [
    m1[0] * m2[0] + m1[1] * m2[2],
    m1[0] * m2[1] + m1[1] * m2[3],
    m1[2] * m2[0] + m1[3] * m2[2],
    m1[2] * m2[1] + m1[3] * m2[3],
    m1[4] * m2[0] + m1[5] * m2[2] + m2[4],
    m1[4] * m2[1] + m1[5] * m2[3] + m2[5],
  ];
}

export function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** The bounding box of `points`. */
export function boundsOf(points: readonly (readonly [number, number])[]): Box {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** A page attribute from the page or the nearest ancestor that has it (7.7.3.4). */
export function inheritedAttribute(
  doc: PdfDocument,
  page: PdfDict,
  key: string,
): PdfObject | undefined {
  const seen = new Set<PdfDict>();
  let node: PdfObject = page;
  for (let depth = 0; node instanceof PdfDict && depth < 64 && !seen.has(node); depth++) {
    seen.add(node);
    const value = node.get(key);
    if (value !== undefined) return doc.tryResolve(value);
    const parent: PdfObject | undefined = node.get('Parent');
    node = parent instanceof PdfRef ? doc.tryResolve(parent) : null;
  }
  return undefined;
}

/** The visible orientation and area of a page: /Rotate (a multiple of 90) and its crop box. */
export interface PageGeometry {
  readonly rotate: 0 | 90 | 180 | 270;
  /** CropBox (clipped to MediaBox), normalised so that x1 < x2 and y1 < y2. */
  readonly box: Box;
  /** Width and height as the reader sees them (swapped for 90 and 270). */
  readonly visibleSize: readonly [number, number];
}

const LETTER: Box = [0, 0, 612, 792];

export function pageGeometry(doc: PdfDocument, page: PdfDict): PageGeometry {
  const media = asBox(inheritedAttribute(doc, page, 'MediaBox')) ?? LETTER;
  const crop = asBox(inheritedAttribute(doc, page, 'CropBox'));
  const box: Box = crop
    ? [
        Math.max(crop[0], media[0]),
        Math.max(crop[1], media[1]),
        Math.min(crop[2], media[2]),
        Math.min(crop[3], media[3]),
      ]
    : media;
  const usable: Box = box[2] > box[0] && box[3] > box[1] ? box : media;
  const r = inheritedAttribute(doc, page, 'Rotate');
  // 7.7.3.3: a multiple of 90; anything else is read as the nearest one.
  const turns = typeof r === 'number' && Number.isFinite(r) ? Math.round(r / 90) : 0;
  const rotate = ((((turns % 4) + 4) % 4) * 90) as PageGeometry['rotate'];
  const w = usable[2] - usable[0];
  const h = usable[3] - usable[1];
  return { rotate, box: usable, visibleSize: rotate % 180 === 0 ? [w, h] : [h, w] };
}

/**
 * Maps visible coordinates (x to the reader's right, y up, origin at the crop box's
 * lower-left corner as seen, i.e. (box x1, box y1)) to default user space. For an unrotated
 * page it is the identity, so rectangles for such pages mean what they always meant.
 */
export function visibleToUser(g: PageGeometry): Matrix {
  const [x1, y1, x2, y2] = g.box;
  switch (g.rotate) {
    case 0:
      return IDENTITY;
    case 90: // x = x2 - (v - y1), y = y1 + (u - x1)
      return [0, 1, -1, 0, x2 + y1, y1 - x1];
    case 180: // x = x2 - (u - x1), y = y2 - (v - y1)
      return [-1, 0, 0, -1, x2 + x1, y2 + y1];
    case 270: // x = x1 + (v - y1), y = y2 - (u - x1)
      return [0, -1, 1, 0, x1 - y1, y2 + x1];
  }
}

/** The inverse of `visibleToUser`. */
export function userToVisible(g: PageGeometry): Matrix {
  const [a, b, c, d, e, f] = visibleToUser(g);
  const det = a * d - b * c;
  return [d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det];
}

export function transformBox(m: Matrix, r: Box): Box {
  return boundsOf([
    apply(m, r[0], r[1]),
    apply(m, r[2], r[1]),
    apply(m, r[0], r[3]),
    apply(m, r[2], r[3]),
  ]);
}

/**
 * The appearance stream's /Matrix that shows a form drawn upright (in visible orientation)
 * upright on a page turned by `rotate` degrees clockwise: a counter-clockwise turn by the same
 * angle (12.5.5 maps the transformed BBox onto /Rect).
 */
export function uprightMatrix(rotate: PageGeometry['rotate']): Matrix {
  switch (rotate) {
    case 0:
      return IDENTITY;
    case 90:
      return [0, 1, -1, 0, 0, 0];
    case 180:
      return [-1, 0, 0, -1, 0, 0];
    case 270:
      return [0, -1, 1, 0, 0, 0];
  }
}

function asBox(o: PdfObject | undefined): Box | undefined {
  if (!Array.isArray(o) || o.length !== 4 || !o.every((n) => typeof n === 'number')) {
    return undefined;
  }
  const [a, b, c, d] = o as number[];
  if (![a, b, c, d].every(Number.isFinite)) return undefined;
  return [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
}
