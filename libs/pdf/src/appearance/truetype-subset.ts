import fontkit from '@pdf-lib/fontkit';

// TrueType (Apple TrueType Reference / OpenType 'glyf' fonts): a "hollow" subset that keeps
// every glyph id, cmap and metrics but empties the outlines of glyphs the text does not use.
// pdf-lib's own subsetter yields empty outlines for large CJK fonts such as Droid Sans
// Fallback; keeping ids stable lets pdf-lib embed the result as a whole font unchanged.

/** Tables a PDF viewer never needs from an embedded CID TrueType font. */
const DROPPED = new Set(['GSUB', 'GPOS', 'GDEF', 'vhea', 'vmtx', 'DSIG', 'BASE', 'JSTF', 'kern']);

interface Table {
  tag: string;
  data: Buffer;
}

/**
 * @example
 *   const small = hollowTrueType(readFileSync(ttf), '某某市人民政府公章');
 *   await pdfDoc.embedFont(small, { subset: false });
 */
export function hollowTrueType(font: Buffer, text: string): Buffer {
  const tables = readTables(font);
  const head = Buffer.from(get(tables, 'head'));
  const numGlyphs = get(tables, 'maxp').readUInt16BE(4);
  const longLoca = head.readInt16BE(50) === 1;
  const loca = get(tables, 'loca');
  const glyf = get(tables, 'glyf');
  const offset = (gid: number): number =>
    longLoca ? loca.readUInt32BE(gid * 4) : loca.readUInt16BE(gid * 2) * 2;

  const keep = new Set<number>([0]);
  const fk = fontkit.create(font);
  for (const g of fk.glyphsForString(text)) keep.add(g.id);
  for (const gid of [...keep]) addComponents(gid, glyf, offset, keep, numGlyphs);

  const parts: Buffer[] = [];
  const newLoca = Buffer.alloc((numGlyphs + 1) * 4);
  let pos = 0;
  for (let gid = 0; gid < numGlyphs; gid++) {
    newLoca.writeUInt32BE(pos, gid * 4);
    if (!keep.has(gid)) continue;
    const data = glyf.subarray(offset(gid), offset(gid + 1));
    const padded = Buffer.alloc((data.length + 3) & ~3);
    data.copy(padded);
    parts.push(padded);
    pos += padded.length;
  }
  newLoca.writeUInt32BE(pos, numGlyphs * 4);
  head.writeInt16BE(1, 50);
  head.writeUInt32BE(0, 8); // checkSumAdjustment: recomputed by nobody that matters here

  const post = Buffer.alloc(32);
  get(tables, 'post').copy(post, 0, 0, 32);
  post.writeUInt32BE(0x00030000, 0); // format 3: no glyph names

  const out = tables
    .filter((t) => !DROPPED.has(t.tag))
    .map((t) => {
      if (t.tag === 'glyf') return { tag: t.tag, data: Buffer.concat(parts) };
      if (t.tag === 'loca') return { tag: t.tag, data: newLoca };
      if (t.tag === 'head') return { tag: t.tag, data: head };
      if (t.tag === 'post') return { tag: t.tag, data: post };
      return t;
    });
  return writeTables(font.readUInt32BE(0), out);
}

function get(tables: Table[], tag: string): Buffer {
  const t = tables.find((x) => x.tag === tag);
  if (!t) throw new Error(`font has no '${tag}' table`);
  return t.data;
}

function readTables(font: Buffer): Table[] {
  const n = font.readUInt16BE(4);
  const tables: Table[] = [];
  for (let i = 0; i < n; i++) {
    const rec = 12 + i * 16;
    const tag = font.toString('latin1', rec, rec + 4);
    const off = font.readUInt32BE(rec + 8);
    const len = font.readUInt32BE(rec + 12);
    tables.push({ tag, data: font.subarray(off, off + len) });
  }
  return tables;
}

/** Composite glyphs (glyf: numberOfContours < 0) pull in their component glyphs. */
function addComponents(
  gid: number,
  glyf: Buffer,
  offset: (g: number) => number,
  keep: Set<number>,
  numGlyphs: number,
  depth = 0,
): void {
  const start = offset(gid);
  if (depth > 8 || offset(gid + 1) - start < 10 || glyf.readInt16BE(start) >= 0) return;
  let p = start + 10;
  for (let guard = 0; guard < 256; guard++) {
    const flags = glyf.readUInt16BE(p);
    const component = glyf.readUInt16BE(p + 2);
    if (component < numGlyphs && !keep.has(component)) {
      keep.add(component);
      addComponents(component, glyf, offset, keep, numGlyphs, depth + 1);
    }
    p += 4 + (flags & 0x0001 ? 4 : 2);
    if (flags & 0x0008) p += 2;
    else if (flags & 0x0040) p += 4;
    else if (flags & 0x0080) p += 8;
    if (!(flags & 0x0020)) break;
  }
}

function writeTables(version: number, tables: Table[]): Buffer {
  const sorted = [...tables].sort((a, b) => (a.tag < b.tag ? -1 : 1));
  const n = sorted.length;
  const header = Buffer.alloc(12 + n * 16);
  const pow = 2 ** Math.floor(Math.log2(n));
  header.writeUInt32BE(version, 0);
  header.writeUInt16BE(n, 4);
  header.writeUInt16BE(pow * 16, 6);
  header.writeUInt16BE(Math.log2(pow), 8);
  header.writeUInt16BE(n * 16 - pow * 16, 10);
  const bodies: Buffer[] = [];
  let pos = header.length;
  sorted.forEach((t, i) => {
    const padded = Buffer.alloc((t.data.length + 3) & ~3);
    t.data.copy(padded);
    const rec = 12 + i * 16;
    header.write(t.tag, rec, 'latin1');
    header.writeUInt32BE(checksum(padded), rec + 4);
    header.writeUInt32BE(pos, rec + 8);
    header.writeUInt32BE(t.data.length, rec + 12);
    bodies.push(padded);
    pos += padded.length;
  });
  return Buffer.concat([header, ...bodies]);
}

function checksum(b: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 4 <= b.length; i += 4) sum = (sum + b.readUInt32BE(i)) >>> 0;
  return sum;
}
