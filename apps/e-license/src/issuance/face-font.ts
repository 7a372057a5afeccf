import fontkit from '@pdf-lib/fontkit';
import { loadCjkFont } from '#pdf';
import { deflateSegment, zlibStream, type DeflatedSegment } from './zlib-stream.js';

/**
 * The CJK font embedded in a license face: a TrueType font whose glyph outlines outside the
 * printed text are emptied, so the PDF carries a few kilobytes instead of the whole font.
 * Glyph ids, cmap and metrics stay as they are, so pdf-lib embeds the result unchanged
 * (its own subsetter loses the outlines of large CJK fonts such as Droid Sans Fallback).
 *
 * TODO(pdf): libs/pdf has the same technique internally (hollowTrueType); use it from #pdf
 * once it is exported, and delete this file.
 */
export function faceFont(text: string): Buffer {
  const f = prepared();
  const { glyf, at, glyphCount } = f;

  const keep = new Set<number>([0]);
  for (const g of f.font.glyphsForString(text)) keep.add(g.id);
  for (const gid of [...keep]) addComponents(gid, glyf, at, keep, glyphCount);

  const newLoca = Buffer.alloc((glyphCount + 1) * 4);
  const bodies: Buffer[] = [];
  let pos = 0;
  for (let gid = 0; gid < glyphCount; gid++) {
    newLoca.writeUInt32BE(pos, gid * 4);
    if (!keep.has(gid)) continue;
    const body = glyf.subarray(at(gid), at(gid + 1));
    const padded = Buffer.alloc((body.length + 3) & ~3);
    body.copy(padded);
    bodies.push(padded);
    pos += padded.length;
  }
  newLoca.writeUInt32BE(pos, glyphCount * 4);
  const newGlyf = Buffer.concat(bodies);

  // The tables that never change come first and are compressed once (see prepared); only
  // the directory, glyf and loca are compressed for each face.
  const records = new Map(f.staticRecords);
  const glyfAt = f.directoryLength + f.staticData.length;
  records.set('glyf', { offset: glyfAt, length: newGlyf.length, sum: checksum(newGlyf) });
  records.set('loca', {
    offset: glyfAt + newGlyf.length,
    length: newLoca.length,
    sum: checksum(newLoca),
  });
  const directory = writeDirectory(f.version, records);
  const bytes = Buffer.concat([directory, f.staticData, newGlyf, newLoca]);
  deflated.set(bytes, zlibStream([directory, f.staticStream, Buffer.concat([newGlyf, newLoca])]));
  return bytes;
}

const deflated = new WeakMap<Uint8Array, Buffer>();

/**
 * The FlateDecode stream of a faceFont result, made as it was built: the same bytes inflate
 * as from deflating it whole, at a tenth of the time (hmtx alone is ~150 kB in a CJK font).
 */
export function deflatedFaceFont(bytes: Uint8Array): Buffer | undefined {
  return deflated.get(bytes);
}

// Layout tables a face does not use (horizontal text, no ligatures, no kerning).
const DROPPED = ['GSUB', 'GPOS', 'GDEF', 'vhea', 'vmtx', 'DSIG', 'kern'];
// The tables made for each face; every other table is the same for every face.
const PER_FACE = ['glyf', 'loca'];

type FontkitFont = ReturnType<typeof fontkit.create>;
interface TableRecord {
  offset: number;
  length: number;
  sum: number;
}
interface Prepared {
  bytes: Buffer;
  version: number;
  glyf: Buffer;
  at: (gid: number) => number;
  glyphCount: number;
  /** The whole font without the DROPPED tables, parsed (see faceFontkit). */
  font: FontkitFont;
  directoryLength: number;
  staticRecords: Map<string, TableRecord>;
  staticData: Buffer;
  staticStream: DeflatedSegment;
}
let cache: Prepared | undefined;

/** What every face shares, computed once per font. */
function prepared(): Prepared {
  const bytes = loadCjkFont().bytes;
  if (cache?.bytes === bytes) return cache;
  const tables = readTables(bytes);
  const table = (tag: string): Buffer => {
    const t = tables.get(tag);
    if (!t) throw new Error(`the CJK font has no ${tag} table`);
    return t;
  };
  const loca = table('loca');
  const longOffsets = table('head').readInt16BE(50) === 1;
  for (const tag of DROPPED) tables.delete(tag);
  const version = bytes.readUInt32BE(0);
  const font = fontkit.create(writeTables(version, tables));

  const head = Buffer.from(table('head'));
  head.writeInt16BE(1, 50); // indexToLocFormat: long offsets
  head.writeUInt32BE(0, 8); // checkSumAdjustment: not checked by PDF readers
  tables.set('head', head);
  const directoryLength = 12 + tables.size * 16;
  const staticRecords = new Map<string, TableRecord>();
  const staticBodies: Buffer[] = [];
  let pos = directoryLength;
  for (const tag of [...tables.keys()].sort()) {
    if (PER_FACE.includes(tag)) continue;
    const padded = pad(tables.get(tag)!);
    staticRecords.set(tag, { offset: pos, length: tables.get(tag)!.length, sum: checksum(padded) });
    staticBodies.push(padded);
    pos += padded.length;
  }
  const staticData = Buffer.concat(staticBodies);
  cache = {
    bytes,
    version,
    glyf: table('glyf'),
    at: (gid) => (longOffsets ? loca.readUInt32BE(gid * 4) : loca.readUInt16BE(gid * 2) * 2),
    glyphCount: table('maxp').readUInt16BE(4),
    font,
    directoryLength,
    staticRecords,
    staticData,
    staticStream: deflateSegment(staticData, 9),
  };
  return cache;
}

/**
 * The fontkit pdf-lib is given for a face: it embeds the faceFont bytes it is handed, but
 * measures and encodes text with the font parsed once (same cmap, glyph ids, metrics and,
 * for the glyphs printed, outlines as every faceFont result) instead of parsing those bytes
 * again: parsing a CJK font and decoding its metrics on every face was a third of the time
 * of a face. Only for faceFont bytes: another font would be measured with the wrong metrics.
 */
export const faceFontkit = {
  create: (_faceFontBytes: Uint8Array): FontkitFont => prepared().font,
};

function readTables(font: Buffer): Map<string, Buffer> {
  const tables = new Map<string, Buffer>();
  for (let i = 0; i < font.readUInt16BE(4); i++) {
    const rec = 12 + i * 16;
    const offset = font.readUInt32BE(rec + 8);
    tables.set(
      font.toString('latin1', rec, rec + 4),
      font.subarray(offset, offset + font.readUInt32BE(rec + 12)),
    );
  }
  return tables;
}

/** A composite glyph (numberOfContours < 0) needs its components (OpenType glyf table). */
function addComponents(
  gid: number,
  glyf: Buffer,
  at: (g: number) => number,
  keep: Set<number>,
  glyphCount: number,
  depth = 0,
): void {
  const start = at(gid);
  if (depth > 8 || at(gid + 1) - start < 10 || glyf.readInt16BE(start) >= 0) return;
  let p = start + 10;
  for (let n = 0; n < 256; n++) {
    const flags = glyf.readUInt16BE(p);
    const component = glyf.readUInt16BE(p + 2);
    if (component < glyphCount && !keep.has(component)) {
      keep.add(component);
      addComponents(component, glyf, at, keep, glyphCount, depth + 1);
    }
    p += 4 + (flags & 0x0001 ? 4 : 2);
    p += flags & 0x0008 ? 2 : flags & 0x0040 ? 4 : flags & 0x0080 ? 8 : 0;
    if (!(flags & 0x0020)) break;
  }
}

/** An sfnt directory (OpenType "Table directory"): records sorted by tag, data anywhere. */
function writeDirectory(version: number, records: Map<string, TableRecord>): Buffer {
  const tags = [...records.keys()].sort();
  const header = Buffer.alloc(12 + tags.length * 16);
  const pow = 2 ** Math.floor(Math.log2(tags.length));
  header.writeUInt32BE(version, 0);
  header.writeUInt16BE(tags.length, 4);
  header.writeUInt16BE(pow * 16, 6);
  header.writeUInt16BE(Math.log2(pow), 8);
  header.writeUInt16BE(tags.length * 16 - pow * 16, 10);
  tags.forEach((tag, i) => {
    const r = records.get(tag)!;
    const rec = 12 + i * 16;
    header.write(tag, rec, 'latin1');
    header.writeUInt32BE(r.sum, rec + 4);
    header.writeUInt32BE(r.offset, rec + 8);
    header.writeUInt32BE(r.length, rec + 12);
  });
  return header;
}

function writeTables(version: number, tables: Map<string, Buffer>): Buffer {
  const records = new Map<string, TableRecord>();
  const bodies: Buffer[] = [];
  let pos = 12 + tables.size * 16;
  for (const tag of [...tables.keys()].sort()) {
    const padded = pad(tables.get(tag)!);
    records.set(tag, { offset: pos, length: tables.get(tag)!.length, sum: checksum(padded) });
    bodies.push(padded);
    pos += padded.length;
  }
  return Buffer.concat([writeDirectory(version, records), ...bodies]);
}

function pad(data: Buffer): Buffer {
  if (data.length % 4 === 0) return data;
  const padded = Buffer.alloc((data.length + 3) & ~3);
  data.copy(padded);
  return padded;
}

/** OpenType table checksum: the sum of the (padded) table as uint32 words. */
function checksum(padded: Buffer): number {
  let sum = 0;
  for (let j = 0; j < padded.length; j += 4) sum = (sum + padded.readUInt32BE(j)) >>> 0;
  return sum;
}
