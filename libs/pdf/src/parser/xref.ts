import { damaged } from '../errors.js';
import { decodeStream } from './filters.js';
import { Lexer, type LengthResolver } from './lexer.js';
import { PdfDict, PdfStream, type PdfObject } from './objects.js';

// PDF 32000-1 7.5.4 (tables), 7.5.8 (streams, hybrid files), 7.5.6 (updates and /Prev).

export type XrefEntry =
  | { readonly type: 'free' }
  | { readonly type: 'offset'; readonly offset: number; readonly gen: number }
  | { readonly type: 'compressed'; readonly stream: number; readonly index: number };

export interface XrefSection {
  readonly kind: 'table' | 'stream';
  /** Offset of the section (what `startxref` or `/Prev` pointed at). */
  readonly offset: number;
  readonly trailer: PdfDict;
  readonly entries: Map<number, XrefEntry>;
}

/**
 * ISO 32000-1 Annex C.2: the largest object number a conforming file uses. Larger numbers
 * (and /Size values) are damage: an update numbered after them would break every reader.
 */
export const MAX_OBJECT_NUMBER = 8_388_607;

/** A file with more update sections than this is treated as hostile. */
const MAX_SECTIONS = 10_000;

/** Finds the value of the last `startxref` (7.5.5). */
export function findStartXref(buf: Buffer): number {
  // Usually in the last 1024 bytes; trailing garbage after %%EOF is tolerated.
  const at = buf.lastIndexOf('startxref', buf.length, 'latin1');
  if (at < 0) throw damaged('no startxref keyword');
  const lx = new Lexer(buf, at + 9);
  const v = lx.tryInt();
  if (v === undefined || v >= buf.length)
    throw damaged('startxref value is missing or outside the file');
  return v;
}

/** Reads the section at `offset` and every earlier one through /Prev, newest first. */
export function readXrefChain(buf: Buffer, offset: number, length: LengthResolver): XrefSection[] {
  const sections: XrefSection[] = [];
  const seen = new Set<number>();
  let next: number | undefined = offset;
  while (next !== undefined) {
    if (seen.has(next)) throw damaged('cross-reference /Prev chain loops', { offset: next });
    if (seen.size >= MAX_SECTIONS) throw damaged('too many cross-reference sections');
    seen.add(next);
    const section = readXrefSection(buf, next, length);
    sections.push(section);

    // 7.5.8.4: a hybrid file's table points at a stream holding the compressed objects.
    const xrefStm = section.trailer.get('XRefStm');
    if (section.kind === 'table' && typeof xrefStm === 'number' && !seen.has(xrefStm)) {
      const hidden = readXrefSection(buf, xrefStm, length);
      if (hidden.kind !== 'stream') throw damaged('/XRefStm does not point at a stream');
      for (const [num, e] of hidden.entries) {
        const mine = section.entries.get(num);
        if (!mine || mine.type === 'free') section.entries.set(num, e);
      }
    }
    const prev = section.trailer.get('Prev');
    next = typeof prev === 'number' && prev >= 0 && prev < buf.length ? prev : undefined;
  }
  return sections;
}

export function readXrefSection(buf: Buffer, offset: number, length: LengthResolver): XrefSection {
  const lx = new Lexer(buf, offset);
  if (lx.peekKeyword('xref')) {
    lx.pos += 4;
    return readTable(lx, offset);
  }
  const { obj } = lx.parseIndirectObject(length);
  if (!(obj instanceof PdfStream) || obj.dict.name('Type') !== 'XRef') {
    throw damaged('startxref points at neither a table nor a cross-reference stream', { offset });
  }
  return { kind: 'stream', offset, trailer: obj.dict, entries: readStreamEntries(obj) };
}

function readTable(lx: Lexer, offset: number): XrefSection {
  const entries = new Map<number, XrefEntry>();
  for (;;) {
    if (lx.peekKeyword('trailer')) break;
    const start = lx.tryInt();
    const count = start === undefined ? undefined : lx.tryInt();
    if (start === undefined || count === undefined) {
      throw damaged('malformed cross-reference subsection header', { at: lx.pos });
    }
    if (count > (lx.end - lx.pos) / 18) throw damaged('cross-reference subsection overruns file');
    for (let i = 0; i < count; i++) {
      const off = lx.tryInt();
      const gen = off === undefined ? undefined : lx.tryInt();
      const kind = gen === undefined ? '' : lx.regularToken();
      if (off === undefined || gen === undefined || (kind !== 'n' && kind !== 'f')) {
        throw damaged('malformed cross-reference entry', { object: start + i, at: lx.pos });
      }
      const num = start + i;
      if (num > MAX_OBJECT_NUMBER) continue;
      // 7.5.4: an in-use entry at offset 0 is a writer's mistake; read it as free.
      entries.set(
        num,
        kind === 'n' && off > 0 ? { type: 'offset', offset: off, gen } : { type: 'free' },
      );
    }
  }
  lx.pos += 7;
  const trailer = lx.parseObject();
  if (!(trailer instanceof PdfDict)) throw damaged('trailer is not a dictionary');
  return { kind: 'table', offset, trailer, entries };
}

function readStreamEntries(stream: PdfStream): Map<number, XrefEntry> {
  const d = stream.dict;
  const w = d.get('W');
  if (
    !Array.isArray(w) ||
    w.length < 3 ||
    !w.every((x) => typeof x === 'number' && x >= 0 && x <= 8)
  ) {
    throw damaged('cross-reference stream has a bad /W');
  }
  const [w0, w1, w2] = w as number[];
  const size = d.get('Size');
  const index: PdfObject = d.get('Index') ?? [0, typeof size === 'number' ? size : 0];
  if (!Array.isArray(index) || index.length % 2 !== 0) throw damaged('bad /Index');
  const data = decodeStream(stream);
  const rowLen = w0 + w1 + w2;
  if (rowLen === 0) throw damaged('cross-reference stream rows are empty');

  const entries = new Map<number, XrefEntry>();
  let p = 0;
  for (let s = 0; s < index.length; s += 2) {
    const first = index[s];
    const count = index[s + 1];
    if (typeof first !== 'number' || typeof count !== 'number') throw damaged('bad /Index');
    for (let i = 0; i < count && p + rowLen <= data.length; i++, p += rowLen) {
      const type = w0 === 0 ? 1 : readBE(data, p, w0);
      const f2 = readBE(data, p + w0, w1);
      const f3 = readBE(data, p + w0 + w1, w2);
      const num = first + i;
      if (num > MAX_OBJECT_NUMBER) continue;
      if (type === 1) entries.set(num, { type: 'offset', offset: f2, gen: f3 });
      else if (type === 2) entries.set(num, { type: 'compressed', stream: f2, index: f3 });
      else entries.set(num, { type: 'free' });
    }
  }
  return entries;
}

function readBE(b: Buffer, p: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + b[p + i];
  return v;
}
