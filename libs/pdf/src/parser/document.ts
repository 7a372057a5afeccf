import { PdfError, PdfErrorCode, damaged } from '../errors.js';
import { decodeStream } from './filters.js';
import { Lexer } from './lexer.js';
import { PdfDict, PdfRef, PdfStream, type PdfObject } from './objects.js';
import { scanObjects } from './repair.js';
import {
  MAX_OBJECT_NUMBER,
  findStartXref,
  readXrefChain,
  type XrefEntry,
  type XrefSection,
} from './xref.js';

export interface LoadOptions {
  /** Files larger than this are refused with PdfTooLarge. Default 256 MiB. */
  readonly maxBytes?: number;
}

export interface PageRef {
  readonly ref: PdfRef;
  readonly dict: PdfDict;
}

const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
const MAX_PAGES = 100_000;

/**
 * A read-only view of a PDF file: its cross-reference chain, trailer and objects, read lazily.
 * The bytes are never modified; updates are appended by `writer/incremental-update.ts`.
 *
 * @example
 *   const doc = PdfDocument.load(buffer);
 *   const pages = doc.pages();
 */
export class PdfDocument {
  /** Newest first; empty when the file was repaired by scanning. */
  readonly sections: XrefSection[];
  /** Trailer keys merged over all sections, newest winning. */
  readonly trailer: PdfDict;
  /** Value of the last `startxref`; the /Prev of the next update. */
  readonly startXref: number;
  /** True when the cross-reference data was unusable and objects were found by scanning. */
  repaired = false;

  private entries = new Map<number, XrefEntry>();
  private readonly cache = new Map<number, PdfObject>();
  private readonly objStreams = new Map<number, { data: Buffer; offsets: Map<number, number> }>();

  private constructor(
    readonly bytes: Buffer,
    sections: XrefSection[],
    startXref: number,
  ) {
    this.sections = sections;
    this.startXref = startXref;
    this.trailer = new PdfDict();
    // Newest section wins: replay from the oldest.
    for (const s of [...sections].reverse()) {
      for (const [k, v] of s.trailer.map) this.trailer.set(k, v);
      for (const [num, e] of s.entries) this.entries.set(num, e);
    }
    for (const k of ['Prev', 'XRefStm', 'W', 'Index', 'Filter', 'DecodeParms', 'Length', 'Type']) {
      this.trailer.delete(k);
    }
  }

  static load(bytes: Buffer, options: LoadOptions = {}): PdfDocument {
    const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (bytes.length > max) {
      throw new PdfError(PdfErrorCode.TooLarge, `PDF is larger than ${max} bytes`, {
        size: bytes.length,
        max,
      });
    }
    const header = bytes.indexOf('%PDF-', 0, 'latin1');
    if (header < 0 || header > 1024) {
      throw new PdfError(PdfErrorCode.NotPdf, 'input has no PDF header');
    }

    let doc: PdfDocument;
    try {
      const startXref = findStartXref(bytes);
      const holder: { doc?: PdfDocument } = {};
      const sections = readXrefChain(bytes, startXref, (ref) => {
        // Lengths of xref streams are direct in practice; an indirect one is read by scanning.
        const o = holder.doc?.resolve(ref);
        return typeof o === 'number' ? o : undefined;
      });
      doc = new PdfDocument(bytes, sections, startXref);
      holder.doc = doc;
      if (!(doc.trailer.get('Root') instanceof PdfRef)) throw damaged('trailer has no /Root');
      doc.checkCatalog();
      doc.checkOffsets();
    } catch (e) {
      if (!(e instanceof PdfError) || e.code !== PdfErrorCode.Damaged) throw e;
      doc = PdfDocument.repair(bytes, e);
    }
    return doc;
  }

  private static repair(bytes: Buffer, cause: PdfError): PdfDocument {
    const index = scanObjects(bytes);
    let startXref: number;
    try {
      startXref = findStartXref(bytes);
    } catch {
      throw damaged('cross-reference data is damaged and there is no startxref to append after', {
        cause: cause.message,
      });
    }
    const doc = new PdfDocument(bytes, [], startXref);
    doc.repaired = true;
    doc.entries = index.entries;
    for (const [k, v] of index.trailer.map) {
      if (['Root', 'Info', 'ID', 'Encrypt', 'Size'].includes(k)) doc.trailer.set(k, v);
    }
    doc.registerCompressedObjects();
    doc.checkCatalog();
    return doc;
  }

  /** Objects inside object streams are invisible to the scan: list them from each /ObjStm. */
  private registerCompressedObjects(): void {
    for (const [num, e] of [...this.entries]) {
      if (e.type !== 'offset') continue;
      const o = this.tryResolve(new PdfRef(num, e.gen));
      if (!(o instanceof PdfStream) || o.dict.name('Type') !== 'ObjStm') continue;
      const { offsets } = this.objStream(num);
      let i = 0;
      for (const member of offsets.keys()) {
        if (!this.entries.has(member))
          this.entries.set(member, { type: 'compressed', stream: num, index: i });
        i++;
      }
    }
  }

  /** Every in-use entry must point at its own `N G obj` header, else the table is damaged. */
  private checkOffsets(): void {
    for (const [num, e] of this.entries) {
      if (e.type !== 'offset') continue;
      const lx = new Lexer(this.bytes, e.offset, Math.min(this.bytes.length, e.offset + 64));
      if (lx.tryInt() !== num || lx.tryInt() === undefined || !lx.peekKeyword('obj')) {
        throw damaged(`cross-reference entry of object ${num} does not point at it`);
      }
    }
  }

  private checkCatalog(): void {
    const root = this.resolve(this.trailer.get('Root'));
    if (!(root instanceof PdfDict)) throw damaged('/Root is not a dictionary');
  }

  get isEncrypted(): boolean {
    return this.trailer.has('Encrypt');
  }

  /** The kind of the last cross-reference section, which an update must repeat. */
  get xrefKind(): 'table' | 'stream' {
    return this.sections[0]?.kind ?? 'table';
  }

  /** One more than the highest object number in use: where new objects start. */
  get size(): number {
    let size = 0;
    const s = this.trailer.get('Size');
    // An impossible /Size is damage, not a reason to number new objects beyond every limit.
    if (typeof s === 'number' && Number.isInteger(s) && s <= MAX_OBJECT_NUMBER + 1) size = s;
    for (const num of this.entries.keys()) size = Math.max(size, num + 1);
    return size;
  }

  get catalogRef(): PdfRef {
    return this.trailer.get('Root') as PdfRef;
  }

  get catalog(): PdfDict {
    return this.resolve(this.catalogRef) as PdfDict;
  }

  entry(num: number): XrefEntry | undefined {
    return this.entries.get(num);
  }

  /** All object numbers with an in-use entry. */
  objectNumbers(): number[] {
    return [...this.entries].filter(([, e]) => e.type !== 'free').map(([n]) => n);
  }

  /** Follows references (bounded) and returns the direct object; missing objects are null. */
  resolve(o: PdfObject | undefined): PdfObject {
    for (let hops = 0; o instanceof PdfRef; hops++) {
      if (hops > 32) throw damaged('reference chain too long');
      o = this.getObject(o.num);
    }
    return o ?? null;
  }

  /** Like `resolve`, but damaged objects read as null instead of throwing. */
  tryResolve(o: PdfObject | undefined): PdfObject {
    try {
      return this.resolve(o);
    } catch (e) {
      if (e instanceof PdfError && e.code === PdfErrorCode.Damaged) return null;
      throw e;
    }
  }

  getObject(num: number): PdfObject {
    if (this.cache.has(num)) return this.cache.get(num) ?? null;
    this.cache.set(num, null); // a self-referencing /Length must not recurse forever
    const obj = this.readObject(num);
    this.cache.set(num, obj);
    return obj;
  }

  private readObject(num: number): PdfObject {
    const e = this.entries.get(num);
    if (!e || e.type === 'free') return null;
    if (e.type === 'compressed') {
      const { data, offsets } = this.objStream(e.stream);
      const at = offsets.get(num);
      if (at === undefined) return null;
      return new Lexer(data, at).parseObject();
    }
    if (e.offset >= this.bytes.length) throw damaged(`object ${num} lies outside the file`);
    const lx = new Lexer(this.bytes, e.offset);
    const got = lx.parseIndirectObject((ref) => {
      const len = ref.num === num ? undefined : this.resolve(ref);
      return typeof len === 'number' ? len : undefined;
    });
    if (got.num !== num) throw damaged(`xref entry of object ${num} points at object ${got.num}`);
    return got.obj;
  }

  private objStream(num: number): { data: Buffer; offsets: Map<number, number> } {
    const cached = this.objStreams.get(num);
    if (cached) return cached;
    const s = this.resolve(new PdfRef(num, 0));
    if (!(s instanceof PdfStream)) throw damaged(`object stream ${num} is not a stream`);
    const data = decodeStream(s);
    const n = s.dict.get('N');
    const first = s.dict.get('First');
    if (typeof n !== 'number' || typeof first !== 'number') throw damaged('bad object stream');
    const offsets = new Map<number, number>();
    const lx = new Lexer(data, 0, Math.min(first, data.length));
    for (let i = 0; i < n; i++) {
      const objNum = lx.tryInt();
      const off = lx.tryInt();
      if (objNum === undefined || off === undefined) break;
      offsets.set(objNum, first + off);
    }
    const result = { data, offsets };
    this.objStreams.set(num, result);
    return result;
  }

  /** The page tree's leaves in order (7.7.3.2), guarded against cycles. */
  pages(): PageRef[] {
    // Walked once: callers index it per page (text search, placement), and walking 20,000
    // pages for each of 20,000 pages froze the process for minutes. The document is
    // read-only, so the list never changes; callers must not modify it.
    this.pageList ??= this.walkPages();
    return this.pageList;
  }

  private pageList?: PageRef[];

  private walkPages(): PageRef[] {
    const out: PageRef[] = [];
    const seen = new Set<number>();
    const walk = (ref: PdfObject | undefined, depth: number): void => {
      if (!(ref instanceof PdfRef) || seen.has(ref.num) || depth > 64) return;
      if (out.length >= MAX_PAGES) throw damaged('page tree too large');
      seen.add(ref.num);
      const node = this.tryResolve(ref);
      if (!(node instanceof PdfDict)) return;
      const kids = this.resolve(node.get('Kids'));
      if (node.name('Type') === 'Page' || (!Array.isArray(kids) && node.has('Contents'))) {
        out.push({ ref, dict: node });
        return;
      }
      if (Array.isArray(kids)) for (const k of kids) walk(k, depth + 1);
    };
    walk(this.catalog.get('Pages'), 0);
    return out;
  }

  /**
   * The revisions' ends: `eof` just after each `%%EOF` marker, `end` after its end-of-line.
   * A signature over a revision ends anywhere between the two.
   */
  revisionEnds(): { eof: number; end: number }[] {
    const ends: { eof: number; end: number }[] = [];
    const b = this.bytes;
    for (
      let at = b.indexOf('%%EOF', 0, 'latin1');
      at >= 0;
      at = b.indexOf('%%EOF', at + 5, 'latin1')
    ) {
      let e = at + 5;
      if (b[e] === 13) e++;
      if (b[e] === 10) e++;
      ends.push({ eof: at + 5, end: e });
    }
    return ends;
  }
}
