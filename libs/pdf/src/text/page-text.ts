import { PdfError, PdfErrorCode } from '../errors.js';
import {
  IDENTITY,
  apply,
  boundsOf,
  inheritedAttribute,
  multiply,
  pageGeometry,
  transformBox,
  userToVisible,
  type Box,
  type Matrix,
} from '../geometry/page-geometry.js';
import type { PdfDocument } from '../parser/document.js';
import { decodeStream } from '../parser/filters.js';
import {
  PdfDict,
  PdfName,
  PdfRef,
  PdfStream,
  PdfString,
  type PdfObject,
} from '../parser/objects.js';
import { contentOperations } from './content-stream.js';
import { fontDecoder, type FontDecoder } from './font-decoder.js';

// PDF 32000-1 9.4 (text objects), 9.3 (text state), 8.4.4 (graphics state operators).

/** A shown glyph with its text and its box in the page's default user space. */
export interface PositionedGlyph {
  readonly text: string;
  readonly box: Box;
}

/** One place where the text was found. */
export interface TextMatch {
  /** 0-based page index. */
  readonly page: number;
  /** The found text's box in visible coordinates (see `SignPdfOptions.rect`). */
  readonly rect: Box;
  /** The same box in the page's default user space. */
  readonly userRect: Box;
}

/** Operators interpreted per page at most (all content streams and forms together). */
const MAX_OPERATIONS = 2_000_000;
/** Operators interpreted at most by one findText over all the pages it searches. */
const MAX_SEARCH_OPERATIONS = 5_000_000;
const MAX_FORM_DEPTH = 8;

interface TextState {
  ctm: Matrix;
  font?: FontDecoder;
  size: number;
  charSpace: number;
  wordSpace: number;
  scale: number;
  leading: number;
  rise: number;
}

/**
 * The glyphs a page shows, in content order, with their boxes (the glyph's advance by the
 * font size, from 0.2 below the baseline to 0.8 above). Text in form XObjects is included.
 */
export function pageGlyphs(
  doc: PdfDocument,
  pageIndex: number,
  budget: { ops: number } = { ops: MAX_OPERATIONS },
): PositionedGlyph[] {
  const page = doc.pages()[pageIndex];
  if (!page) {
    throw new PdfError(PdfErrorCode.PageNotFound, `page ${pageIndex} does not exist`, {
      page: pageIndex,
    });
  }
  const glyphs: PositionedGlyph[] = [];
  const fonts = new Map<PdfObject | string, FontDecoder>();
  const resources = doc.tryResolve(inheritedAttribute(doc, page.dict, 'Resources'));
  const contents = doc.tryResolve(page.dict.get('Contents'));
  const parts = (Array.isArray(contents) ? contents : [contents]).map((c) => doc.tryResolve(c));
  const data = Buffer.concat(
    parts
      .filter((s): s is PdfStream => s instanceof PdfStream)
      .flatMap((s) => [decoded(s), Buffer.from('\n')]),
  );
  run(
    doc,
    data,
    resources instanceof PdfDict ? resources : new PdfDict(),
    IDENTITY,
    glyphs,
    fonts,
    budget,
    0,
    new Set(),
  );
  return glyphs;
}

function run(
  doc: PdfDocument,
  data: Buffer,
  resources: PdfDict,
  ctm: Matrix,
  glyphs: PositionedGlyph[],
  fonts: Map<PdfObject | string, FontDecoder>,
  budget: { ops: number },
  depth: number,
  forms: Set<number>,
): void {
  let gs: TextState = { ctm, size: 0, charSpace: 0, wordSpace: 0, scale: 1, leading: 0, rise: 0 };
  const stack: TextState[] = [];
  let tm: Matrix = IDENTITY;
  let tlm: Matrix = IDENTITY;
  const nums = (ops: PdfObject[]): number[] => ops.map((o) => (typeof o === 'number' ? o : 0));
  const moveLine = (tx: number, ty: number): void => {
    tlm = multiply([1, 0, 0, 1, tx, ty], tlm);
    tm = tlm;
  };
  const show = (s: PdfObject): void => {
    if (!(s instanceof PdfString) || !gs.font) return;
    for (const g of gs.font.decode(s.bytes)) {
      const trm = multiply(multiply([gs.size * gs.scale, 0, 0, gs.size, 0, gs.rise], tm), gs.ctm);
      const box = boundsOf([
        apply(trm, 0, -0.2),
        apply(trm, g.width, -0.2),
        apply(trm, 0, 0.8),
        apply(trm, g.width, 0.8),
      ]);
      if (glyphs.length < MAX_OPERATIONS) glyphs.push({ text: g.text, box });
      const tx = (g.width * gs.size + gs.charSpace + (g.wordSpace ? gs.wordSpace : 0)) * gs.scale;
      tm = multiply([1, 0, 0, 1, tx, 0], tm);
    }
  };

  for (const { operator, operands } of contentOperations(data, budget)) {
    const n = nums(operands);
    switch (operator) {
      case 'q':
        if (stack.length < 256) stack.push({ ...gs });
        break;
      case 'Q':
        gs = stack.pop() ?? gs;
        break;
      case 'cm':
        if (n.length === 6) gs.ctm = multiply(n as unknown as Matrix, gs.ctm);
        break;
      case 'BT':
        tm = tlm = IDENTITY;
        break;
      case 'Tf': {
        const name = operands[0];
        gs.size = n[1] ?? 0;
        gs.font = name instanceof PdfName ? fontOf(doc, resources, name.name, fonts) : undefined;
        break;
      }
      case 'Tc':
        gs.charSpace = n[0] ?? 0;
        break;
      case 'Tw':
        gs.wordSpace = n[0] ?? 0;
        break;
      case 'Tz':
        gs.scale = (n[0] ?? 100) / 100;
        break;
      case 'TL':
        gs.leading = n[0] ?? 0;
        break;
      case 'Ts':
        gs.rise = n[0] ?? 0;
        break;
      case 'Td':
        moveLine(n[0] ?? 0, n[1] ?? 0);
        break;
      case 'TD':
        gs.leading = -(n[1] ?? 0);
        moveLine(n[0] ?? 0, n[1] ?? 0);
        break;
      case 'Tm':
        if (n.length === 6) tm = tlm = n as unknown as Matrix;
        break;
      case 'T*':
        moveLine(0, -gs.leading);
        break;
      case 'Tj':
        show(operands[0] ?? null);
        break;
      case "'":
        moveLine(0, -gs.leading);
        show(operands[0] ?? null);
        break;
      case '"':
        gs.wordSpace = n[0] ?? 0;
        gs.charSpace = n[1] ?? 0;
        moveLine(0, -gs.leading);
        show(operands[2] ?? null);
        break;
      case 'TJ':
        for (const item of Array.isArray(operands[0]) ? operands[0] : []) {
          if (typeof item === 'number') {
            tm = multiply([1, 0, 0, 1, (-item / 1000) * gs.size * gs.scale, 0], tm);
          } else show(item);
        }
        break;
      case 'Do': {
        const name = operands[0];
        if (!(name instanceof PdfName) || depth >= MAX_FORM_DEPTH) break;
        const xobjects = doc.tryResolve(resources.get('XObject'));
        const ref = xobjects instanceof PdfDict ? xobjects.get(name.name) : undefined;
        if (ref instanceof PdfRef && forms.has(ref.num)) break;
        const form = doc.tryResolve(ref);
        if (!(form instanceof PdfStream) || form.dict.name('Subtype') !== 'Form') break;
        const m = doc.tryResolve(form.dict.get('Matrix'));
        const matrix = Array.isArray(m) && m.length === 6 && m.every((x) => typeof x === 'number')
          ? (m as unknown as Matrix) : IDENTITY; // prettier-ignore
        const own = doc.tryResolve(form.dict.get('Resources'));
        const inner = new Set(forms);
        if (ref instanceof PdfRef) inner.add(ref.num);
        run(
          doc,
          decoded(form),
          own instanceof PdfDict ? own : resources,
          multiply(matrix, gs.ctm),
          glyphs,
          fonts,
          budget,
          depth + 1,
          inner,
        );
        break;
      }
    }
  }
}

function fontOf(
  doc: PdfDocument,
  resources: PdfDict,
  name: string,
  cache: Map<PdfObject | string, FontDecoder>,
): FontDecoder | undefined {
  const dict = doc.tryResolve(resources.get('Font'));
  const ref = dict instanceof PdfDict ? dict.get(name) : undefined;
  if (ref === undefined) return undefined;
  const key = ref instanceof PdfRef ? `${ref.num}` : ref;
  const known = cache.get(key);
  if (known) return known;
  const font = doc.tryResolve(ref);
  if (!(font instanceof PdfDict)) return undefined;
  const decoder = fontDecoder(doc, font);
  cache.set(key, decoder);
  return decoder;
}

/** A content stream's data; one that does not decode shows nothing. */
function decoded(stream: PdfStream): Buffer {
  try {
    return decodeStream(stream);
  } catch (e) {
    if (e instanceof PdfError) return Buffer.alloc(0);
    throw e;
  }
}

/** White space is ignored when matching: layout decides where spaces fall, not the text. */
function normalise(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '');
}

/**
 * Finds `text` on the page(s), ignoring white space and compatibility forms (NFKC: the `fi`
 * ligature matches "fi"). Glyphs are decoded with the font's ToUnicode CMap, else its
 * encoding (/Differences glyph names, WinAnsi, Standard). Matches are in content order.
 *
 * @example
 *   const [hit] = findText(PdfDocument.load(pdf), '盖章处', { page: 0 });
 */
export function findText(
  doc: PdfDocument,
  text: string,
  options: { page?: number } = {},
): TextMatch[] {
  const needle = normalise(text);
  if (!needle) throw new PdfError(PdfErrorCode.InvalidOptions, 'the text to find is empty');
  const count = doc.pages().length;
  const indexes = options.page === undefined ? [...Array(count).keys()] : [options.page];
  const matches: TextMatch[] = [];
  // One budget for the whole search, not one per page: 2,000,000 operators on each of
  // thousands of pages would keep the process busy for hours.
  const budget = { ops: MAX_SEARCH_OPERATIONS };
  for (const page of indexes) {
    if (budget.ops <= 0) break;
    const glyphs = pageGlyphs(doc, page, budget);
    let hay = '';
    const owner: number[] = [];
    glyphs.forEach((g, i) => {
      const t = normalise(g.text);
      hay += t;
      for (let k = 0; k < t.length; k++) owner.push(i);
    });
    const geometry = pageGeometry(doc, doc.pages()[page]!.dict);
    for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + needle.length)) {
      const boxes = owner.slice(at, at + needle.length).map((i) => glyphs[i]!.box);
      const userRect = boundsOf(
        boxes.flatMap(
          (b) =>
            [
              [b[0], b[1]],
              [b[2], b[3]],
            ] as const,
        ),
      );
      matches.push({ page, userRect, rect: transformBox(userToVisible(geometry), userRect) });
    }
  }
  return matches;
}
