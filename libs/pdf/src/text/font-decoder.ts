import { PdfError } from '../errors.js';
import { decodeStream } from '../parser/filters.js';
import type { PdfDocument } from '../parser/document.js';
import { PdfDict, PdfName, PdfStream, type PdfObject } from '../parser/objects.js';
import { baseEncodingText, glyphNameToText } from './glyph-names.js';

// PDF 32000-1 9.6 (simple fonts), 9.7 (Type 0 composite fonts), 9.10.3 (ToUnicode CMaps).

/** One shown glyph: its text, advance width (in units of the font size) and word-space use. */
export interface DecodedGlyph {
  readonly text: string;
  readonly width: number;
  /** 9.3.3: word spacing applies to the single-byte code 32 only. */
  readonly wordSpace: boolean;
}

export interface FontDecoder {
  decode(bytes: Buffer): DecodedGlyph[];
}

/** Entries read from one ToUnicode CMap at most: a larger one is hostile. */
const MAX_CMAP_ENTRIES = 100_000;

/** Builds a decoder for a font dictionary; unreadable parts degrade to empty text. */
export function fontDecoder(doc: PdfDocument, font: PdfDict): FontDecoder {
  const toUnicode = readToUnicode(doc, font.get('ToUnicode'));
  if (font.name('Subtype') === 'Type0') return type0Decoder(doc, font, toUnicode);
  return simpleDecoder(doc, font, toUnicode);
}

function simpleDecoder(
  doc: PdfDocument,
  font: PdfDict,
  toUnicode: Map<number, string>,
): FontDecoder {
  const encoding = doc.tryResolve(font.get('Encoding'));
  const baseName =
    encoding instanceof PdfName
      ? encoding.name
      : encoding instanceof PdfDict
        ? encoding.name('BaseEncoding')
        : undefined;
  const differences = new Map<number, string>();
  const diffs = encoding instanceof PdfDict ? doc.tryResolve(encoding.get('Differences')) : null;
  if (Array.isArray(diffs)) {
    let code = 0;
    for (const item of diffs.slice(0, 1024)) {
      if (typeof item === 'number') code = item;
      else if (item instanceof PdfName) differences.set(code++, glyphNameToText(item.name));
    }
  }

  const first = num(doc.tryResolve(font.get('FirstChar')), 0);
  const widths = doc.tryResolve(font.get('Widths'));
  const descriptor = doc.tryResolve(font.get('FontDescriptor'));
  const missing =
    descriptor instanceof PdfDict ? num(doc.tryResolve(descriptor.get('MissingWidth')), 0) : 0;
  // 9.6.5: Type 3 glyph widths are in glyph space, scaled by /FontMatrix.
  const matrix = doc.tryResolve(font.get('FontMatrix'));
  const scale =
    font.name('Subtype') === 'Type3' && Array.isArray(matrix) && typeof matrix[0] === 'number'
      ? matrix[0]
      : 0.001;
  // Standard 14 fonts come without /Widths; an average advance keeps boxes roughly right.
  const fallback = missing > 0 ? missing : /Courier/.test(font.name('BaseFont') ?? '') ? 600 : 500;

  return {
    decode(bytes) {
      const out: DecodedGlyph[] = [];
      for (const code of bytes) {
        const w = Array.isArray(widths) ? doc.tryResolve(widths[code - first]) : undefined;
        out.push({
          text: toUnicode.get(code) ?? differences.get(code) ?? baseEncodingText(code, baseName),
          width: (typeof w === 'number' ? w : fallback) * scale,
          wordSpace: code === 32,
        });
      }
      return out;
    },
  };
}

function type0Decoder(
  doc: PdfDocument,
  font: PdfDict,
  toUnicode: Map<number, string>,
): FontDecoder {
  const descendants = doc.tryResolve(font.get('DescendantFonts'));
  const cid = Array.isArray(descendants) ? doc.tryResolve(descendants[0]) : null;
  const cidFont = cid instanceof PdfDict ? cid : new PdfDict();
  const dw = num(doc.tryResolve(cidFont.get('DW')), 1000);
  const widths = readCidWidths(doc, doc.tryResolve(cidFont.get('W')));
  // TODO(pdf): codes are read as two bytes (Identity-H/V and the UCS-2 CMaps); mixed-width
  // embedded CMaps (codespace ranges of 1 to 4 bytes) are not parsed.
  return {
    decode(bytes) {
      const out: DecodedGlyph[] = [];
      for (let i = 0; i + 1 < bytes.length; i += 2) {
        const code = (bytes[i]! << 8) | bytes[i + 1]!;
        out.push({
          text: toUnicode.get(code) ?? '',
          width: (widths.get(code) ?? dw) / 1000,
          wordSpace: false,
        });
      }
      return out;
    },
  };
}

/** 9.7.4.3: /W [c [w1 w2 ...] cfirst clast w ...], for Identity CIDs = codes. */
function readCidWidths(doc: PdfDocument, w: PdfObject): Map<number, number> {
  const out = new Map<number, number>();
  if (!Array.isArray(w)) return out;
  for (let i = 0; i < w.length && out.size < MAX_CMAP_ENTRIES;) {
    const start = w[i];
    const next = doc.tryResolve(w[i + 1]);
    if (typeof start !== 'number') break;
    if (Array.isArray(next)) {
      next.slice(0, MAX_CMAP_ENTRIES).forEach((v, k) => {
        if (typeof v === 'number') out.set(start + k, v);
      });
      i += 2;
    } else {
      const last = next;
      const value = w[i + 2];
      if (typeof last !== 'number' || typeof value !== 'number') break;
      for (let c = start; c <= Math.min(last, start + MAX_CMAP_ENTRIES); c++) out.set(c, value);
      i += 3;
    }
  }
  return out;
}

/** 9.10.3: bfchar and bfrange entries of a ToUnicode CMap (UTF-16BE destinations). */
export function readToUnicode(doc: PdfDocument, ref: PdfObject | undefined): Map<number, string> {
  const map = new Map<number, string>();
  const stream = doc.tryResolve(ref);
  if (!(stream instanceof PdfStream)) return map;
  let text: string;
  try {
    text = decodeStream(stream).toString('latin1');
  } catch (e) {
    if (e instanceof PdfError) return map;
    throw e;
  }
  const hex = (h: string) => Number.parseInt(h || '0', 16);
  for (const block of sections(text, 'bfchar')) {
    for (const m of block.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>/g)) {
      if (map.size >= MAX_CMAP_ENTRIES) return map;
      map.set(hex(m[1]!), utf16(m[2]!));
    }
  }
  for (const block of sections(text, 'bfrange')) {
    const re = /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])/g;
    for (const m of block.matchAll(re)) {
      const lo = hex(m[1]!);
      const hi = Math.min(hex(m[2]!), lo + 0xffff);
      const dst = m[3]!;
      if (dst.startsWith('[')) {
        const items = [...dst.matchAll(/<([0-9a-fA-F]*)>/g)].map((x) => utf16(x[1]!));
        items.slice(0, hi - lo + 1).forEach((s, k) => map.set(lo + k, s));
      } else {
        const base = Buffer.from(evenHex(dst.slice(1, -1)), 'hex');
        for (let c = lo; c <= hi && map.size < MAX_CMAP_ENTRIES; c++) {
          const b = Buffer.from(base);
          // 9.10.3: the last byte of the destination is incremented along the range.
          if (b.length > 0) b[b.length - 1] = (b[b.length - 1]! + (c - lo)) & 0xff;
          map.set(c, utf16(b.toString('hex')));
        }
      }
    }
  }
  return map;
}

function sections(text: string, kind: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`begin${kind}([\\s\\S]*?)end${kind}`, 'g');
  for (const m of text.matchAll(re)) out.push(m[1]!);
  return out;
}

function utf16(h: string): string {
  const b = Buffer.from(evenHex(h), 'hex');
  if (b.length % 2 === 1) return b.toString('latin1');
  const swapped = Buffer.from(b);
  swapped.swap16();
  return swapped.toString('utf16le');
}

function evenHex(h: string): string {
  return h.length % 2 === 0 ? h : h + '0';
}

function num(o: PdfObject, dflt: number): number {
  return typeof o === 'number' && Number.isFinite(o) ? o : dflt;
}
