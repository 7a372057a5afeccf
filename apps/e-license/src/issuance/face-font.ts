import fontkit from '@pdf-lib/fontkit';
import { loadCjkFont } from '#pdf';

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
  const font = loadCjkFont().bytes;
  const tables = readTables(font);
  const table = (tag: string): Buffer => {
    const t = tables.get(tag);
    if (!t) throw new Error(`the CJK font has no ${tag} table`);
    return t;
  };
  const head = Buffer.from(table('head'));
  const glyf = table('glyf');
  const loca = table('loca');
  const glyphCount = table('maxp').readUInt16BE(4);
  const longOffsets = head.readInt16BE(50) === 1;
  const at = (gid: number): number =>
    longOffsets ? loca.readUInt32BE(gid * 4) : loca.readUInt16BE(gid * 2) * 2;

  const keep = new Set<number>([0]);
  for (const g of parsed(font).glyphsForString(text)) keep.add(g.id);
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
  head.writeInt16BE(1, 50); // indexToLocFormat: long offsets
  head.writeUInt32BE(0, 8); // checkSumAdjustment: not checked by PDF readers

  tables.set('glyf', Buffer.concat(bodies));
  tables.set('loca', newLoca);
  tables.set('head', head);
  for (const tag of ['GSUB', 'GPOS', 'GDEF', 'vhea', 'vmtx', 'DSIG', 'kern']) tables.delete(tag);
  return writeTables(font.readUInt32BE(0), tables);
}

type FontkitFont = ReturnType<typeof fontkit.create>;
let cache: { bytes: Buffer; font: FontkitFont } | undefined;

function parsed(bytes: Buffer): FontkitFont {
  if (cache?.bytes !== bytes) cache = { bytes, font: fontkit.create(bytes) };
  return cache.font;
}

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

function writeTables(version: number, tables: Map<string, Buffer>): Buffer {
  const tags = [...tables.keys()].sort();
  const header = Buffer.alloc(12 + tags.length * 16);
  const pow = 2 ** Math.floor(Math.log2(tags.length));
  header.writeUInt32BE(version, 0);
  header.writeUInt16BE(tags.length, 4);
  header.writeUInt16BE(pow * 16, 6);
  header.writeUInt16BE(Math.log2(pow), 8);
  header.writeUInt16BE(tags.length * 16 - pow * 16, 10);
  const bodies: Buffer[] = [];
  let pos = header.length;
  tags.forEach((tag, i) => {
    const data = tables.get(tag)!;
    const padded = Buffer.alloc((data.length + 3) & ~3);
    data.copy(padded);
    let sum = 0;
    for (let j = 0; j < padded.length; j += 4) sum = (sum + padded.readUInt32BE(j)) >>> 0;
    const rec = 12 + i * 16;
    header.write(tag, rec, 'latin1');
    header.writeUInt32BE(sum, rec + 4);
    header.writeUInt32BE(pos, rec + 8);
    header.writeUInt32BE(data.length, rec + 12);
    bodies.push(padded);
    pos += padded.length;
  });
  return Buffer.concat([header, ...bodies]);
}
