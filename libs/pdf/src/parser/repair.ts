import { damaged } from '../errors.js';
import { Lexer } from './lexer.js';
import { PdfDict, PdfRef } from './objects.js';
import type { XrefEntry } from './xref.js';

export interface RepairIndex {
  readonly entries: Map<number, XrefEntry>;
  readonly trailer: PdfDict;
}

/**
 * Rebuilds a cross-reference index by scanning the file for `N G obj` headers, as readers do
 * with a damaged table. The last definition of an object wins (later updates override).
 */
export function scanObjects(buf: Buffer): RepairIndex {
  const text = buf.toString('latin1');
  const entries = new Map<number, XrefEntry>();
  const re = /(?<![0-9])(\d{1,10})[\0\t\n\f\r ]+(\d{1,5})[\0\t\n\f\r ]+obj(?![A-Za-z])/g;
  let trailer: PdfDict | undefined;
  let catalog: PdfRef | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const num = Number(m[1]);
    const gen = Number(m[2]);
    entries.set(num, { type: 'offset', offset: m.index, gen });
    const probe = peekDict(buf, m.index);
    if (probe?.name('Type') === 'Catalog') catalog = new PdfRef(num, gen);
    if (probe?.name('Type') === 'XRef' && probe.has('Root')) trailer = probe;
  }

  for (let at = text.lastIndexOf('trailer'); at >= 0; at = text.lastIndexOf('trailer', at - 1)) {
    try {
      const lx = new Lexer(buf, at + 7);
      const t = lx.parseObject();
      if (t instanceof PdfDict && t.has('Root')) {
        trailer = t;
        break;
      }
    } catch {
      // A damaged trailer: try the previous one.
    }
  }
  if (!trailer && catalog) trailer = new PdfDict([['Root', catalog]]);
  if (!trailer) throw damaged('cannot recover: no trailer and no catalog found');
  return { entries, trailer };
}

function peekDict(buf: Buffer, at: number): PdfDict | undefined {
  try {
    const lx = new Lexer(buf, at, Math.min(buf.length, at + 4096));
    lx.tryInt();
    lx.tryInt();
    lx.expectKeyword('obj');
    const obj = lx.parseObject();
    if (obj instanceof PdfDict) return obj;
  } catch {
    // Not a whole dictionary within reach: not a candidate.
  }
  return undefined;
}
