import { createHash, randomBytes } from 'node:crypto';
import type { PdfDocument } from '../parser/document.js';
import {
  PdfDict,
  PdfName,
  PdfRef,
  PdfStream,
  PdfString,
  type PdfObject,
} from '../parser/objects.js';
import { formatObject, serialize } from './serialize.js';

export interface WrittenUpdate {
  /** The whole new file: the original bytes, untouched, followed by the update. */
  readonly bytes: Buffer;
  /** File offset of each written object's `N G obj` header. */
  readonly offsets: ReadonlyMap<number, number>;
}

/**
 * PDF 32000-1 7.5.6: an incremental update appends changed and new objects after the original
 * bytes, then a cross-reference section of the same kind as the file's last one, whose /Prev
 * points at the previous section. The original bytes are never touched.
 *
 * @example
 *   const update = new IncrementalUpdate(doc);
 *   const ref = update.allocate();
 *   update.set(ref, new PdfDict([['Type', name('Annot')]]));
 *   const { bytes } = update.write();
 */
export class IncrementalUpdate {
  private nextNum: number;
  private readonly objects = new Map<number, { gen: number; body: string | Buffer }>();

  constructor(readonly doc: PdfDocument) {
    this.nextNum = doc.size;
  }

  allocate(): PdfRef {
    return new PdfRef(this.nextNum++, 0);
  }

  /** Adds a new object or replaces an existing one (same number and generation). */
  set(ref: PdfRef, obj: PdfObject): void {
    this.objects.set(ref.num, { gen: ref.gen, body: serialize(obj) });
  }

  /** Adds an object whose body the caller serialised (the signature dictionary). */
  setRaw(ref: PdfRef, body: string | Buffer): void {
    this.objects.set(ref.num, { gen: ref.gen, body });
  }

  has(num: number): boolean {
    return this.objects.has(num);
  }

  write(): WrittenUpdate {
    const original = this.doc.bytes;
    const chunks: Buffer[] = [original];
    let pos = original.length;
    const push = (b: string | Buffer): void => {
      const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
      chunks.push(buf);
      pos += buf.length;
    };
    const last = original[original.length - 1];
    if (last !== 10 && last !== 13) push('\n');

    const offsets = new Map<number, number>();
    const xrefEntries = new Map<number, { offset: number; gen: number }>();
    for (const num of [...this.objects.keys()].sort((a, b) => a - b)) {
      const { gen, body } = this.objects.get(num)!;
      offsets.set(num, pos);
      xrefEntries.set(num, { offset: pos, gen });
      push(`${num} ${gen} obj\n`);
      push(body);
      push('\nendobj\n');
    }

    const repaired = this.doc.repaired;
    if (repaired) this.addRepairedEntries(xrefEntries);
    const kind = this.kind();
    const trailer = this.trailer(repaired);
    const xrefOffset = pos;
    if (kind === 'table') {
      push(xrefTable(xrefEntries, repaired));
      push(`trailer\n${formatObject(trailer)}\nstartxref\n${xrefOffset}\n%%EOF\n`);
    } else {
      const ref = this.allocate();
      xrefEntries.set(ref.num, { offset: xrefOffset, gen: 0 });
      trailer.set('Size', this.nextNum);
      const stream = xrefStream(xrefEntries, trailer, this.compressedEntries(repaired));
      push(`${ref.num} 0 obj\n`);
      push(serialize(stream));
      push(`\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`);
    }
    return { bytes: Buffer.concat(chunks, pos), offsets };
  }

  private kind(): 'table' | 'stream' {
    if (!this.doc.repaired) return this.doc.xrefKind;
    const compressed = this.doc
      .objectNumbers()
      .some((n) => this.doc.entry(n)?.type === 'compressed');
    return compressed ? 'stream' : 'table';
  }

  /**
   * A repaired file gets a complete section that lists every object where the scan found it,
   * and no /Prev into the damaged one: readers never need the broken table again.
   */
  private addRepairedEntries(entries: Map<number, { offset: number; gen: number }>): void {
    for (const num of this.doc.objectNumbers()) {
      const e = this.doc.entry(num);
      if (e?.type === 'offset' && !entries.has(num))
        entries.set(num, { offset: e.offset, gen: e.gen });
    }
  }

  private compressedEntries(repaired: boolean): Map<number, { stream: number; index: number }> {
    const out = new Map<number, { stream: number; index: number }>();
    if (!repaired) return out;
    for (const num of this.doc.objectNumbers()) {
      const e = this.doc.entry(num);
      if (e?.type === 'compressed' && !this.objects.has(num)) out.set(num, e);
    }
    return out;
  }

  private trailer(repaired: boolean): PdfDict {
    const old = this.doc.trailer;
    const t = new PdfDict();
    t.set('Size', this.nextNum);
    if (!repaired) t.set('Prev', this.doc.startXref);
    for (const key of ['Root', 'Info', 'Encrypt']) {
      const v = old.get(key);
      if (v !== undefined) t.set(key, v);
    }
    // 14.4: the first identifier is permanent, the second changes with each version.
    const id = old.get('ID');
    const changed = createHash('md5').update(randomBytes(16)).digest();
    const first =
      Array.isArray(id) && id[0] instanceof PdfString ? id[0] : new PdfString(changed, true);
    // An encrypted file's key depends on the first ID: it must stay byte for byte.
    t.set('ID', [
      first,
      this.doc.isEncrypted && Array.isArray(id) ? (id[1] ?? first) : new PdfString(changed, true),
    ]);
    // Never /XRefStm: the new section holds no compressed objects (pitfalls: hybrid files).
    return t;
  }
}

/** 7.5.4: subsections of consecutive numbers, each entry exactly 20 bytes. */
function xrefTable(
  entries: Map<number, { offset: number; gen: number }>,
  withFree: boolean,
): string {
  const nums = [...entries.keys()].sort((a, b) => a - b);
  const lines: string[] = ['xref'];
  if (withFree) {
    lines.push(
      ...subsections([0, ...nums], (n) =>
        n === 0 ? '0000000000 65535 f\r' : entryLine(entries.get(n)!),
      ),
    );
  } else {
    lines.push(...subsections(nums, (n) => entryLine(entries.get(n)!)));
  }
  return lines.join('\n') + '\n';
}

function entryLine(e: { offset: number; gen: number }): string {
  return `${String(e.offset).padStart(10, '0')} ${String(e.gen).padStart(5, '0')} n\r`;
}

function subsections(nums: number[], line: (n: number) => string): string[] {
  const out: string[] = [];
  for (let i = 0; i < nums.length;) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j] + 1) j++;
    out.push(`${nums[i]} ${j - i + 1}`);
    for (let k = i; k <= j; k++) out.push(line(nums[k]));
    i = j + 1;
  }
  return out;
}

/** 7.5.8: a cross-reference stream, uncompressed, /W [1 4 2] (or 8-byte offsets if needed). */
function xrefStream(
  entries: Map<number, { offset: number; gen: number }>,
  trailer: PdfDict,
  compressed: Map<number, { stream: number; index: number }>,
): PdfStream {
  const all = new Map<number, [number, number, number]>();
  for (const [n, e] of entries) all.set(n, [1, e.offset, e.gen]);
  for (const [n, e] of compressed) all.set(n, [2, e.stream, e.index]);
  if (compressed.size > 0) all.set(0, [0, 0, 65535]);
  const nums = [...all.keys()].sort((a, b) => a - b);
  const maxField = Math.max(...[...all.values()].map((v) => v[1]));
  const w1 = maxField > 0xffffffff ? 8 : 4;
  const row = 1 + w1 + 2;
  const data = Buffer.alloc(nums.length * row);
  const index: number[] = [];
  nums.forEach((n, i) => {
    const [type, f2, f3] = all.get(n)!;
    data[i * row] = type;
    if (w1 === 8) data.writeUInt32BE(Math.floor(f2 / 2 ** 32), i * row + 1);
    data.writeUInt32BE(f2 % 2 ** 32, i * row + 1 + w1 - 4);
    data.writeUInt16BE(Math.min(f3, 0xffff), i * row + 1 + w1);
    if (index.length && index[index.length - 2] + index[index.length - 1] === n) {
      index[index.length - 1]++;
    } else index.push(n, 1);
  });
  const dict = new PdfDict([['Type', PdfName.of('XRef')]]);
  for (const [k, v] of trailer.map) dict.set(k, v);
  dict.set('W', [1, w1, 2]).set('Index', index);
  return new PdfStream(dict, data);
}
