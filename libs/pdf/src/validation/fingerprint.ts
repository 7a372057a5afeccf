import { createHash } from 'node:crypto';
import type { PdfDocument } from '../parser/document.js';
import { PdfDict, PdfRef, PdfStream, type PdfObject } from '../parser/objects.js';
import { formatObject } from '../writer/serialize.js';

/** Objects one fingerprint may visit; a page's resources rarely need a thousandth of this. */
export const FINGERPRINT_NODE_BUDGET = 50_000;

/**
 * Digests of objects with references followed (cycle-safe), streams by their raw bytes, for
 * comparing two revisions. A walk that runs out of its node budget (or nests deeper than 48)
 * is not silently cut short: `exhausted` then names what it was for, so a caller can say the
 * comparison is incomplete instead of calling two revisions equal.
 *
 * @example
 *   const fp = new Fingerprinter(doc);
 *   const digest = fp.of(page.get('Contents'), 'page 1 contents');
 *   if (fp.exhausted.length) report(fp.exhausted);
 */
export class Fingerprinter {
  readonly exhausted: string[] = [];

  constructor(
    private readonly doc: PdfDocument,
    private readonly budget = FINGERPRINT_NODE_BUDGET,
  ) {}

  /** The digest of `o`; `skip` names top-level dictionary keys left out. */
  of(o: PdfObject | undefined, what: string, skip: ReadonlySet<string> = NONE): string {
    const h = createHash('sha256');
    const seen = new Set<number>();
    let left = this.budget;
    let cut = false;
    const walk = (x: PdfObject | undefined, depth: number): void => {
      if (--left < 0 || depth > 48) {
        cut = true;
        return;
      }
      if (x instanceof PdfRef) {
        if (seen.has(x.num)) return void h.update(`@${x.num}`);
        seen.add(x.num);
        const target = this.doc.tryResolve(x);
        // A page named from elsewhere (an /OpenAction destination, a widget's /P, /CO through
        // its fields) counts by identity: pages are compared on their own, and following
        // one would make every change on that page look like a change of the naming object.
        if (target instanceof PdfDict && PAGE_TYPES.has(target.name('Type') ?? '')) {
          return void h.update(`@page${x.num}`);
        }
        return walk(target, depth + 1);
      }
      if (Array.isArray(x)) {
        h.update('[');
        for (const i of x) walk(i, depth + 1);
        return void h.update(']');
      }
      if (x instanceof PdfStream) {
        walk(x.dict, depth + 1);
        return void h.update(x.raw);
      }
      if (x instanceof PdfDict) {
        h.update('<<');
        for (const [k, v] of [...x.map].sort(([a], [b]) => (a < b ? -1 : 1))) {
          if (depth === 0 && skip.has(k)) continue;
          h.update(`/${k} `);
          walk(v, depth + 1);
        }
        return void h.update('>>');
      }
      h.update(formatObject(x ?? null) + ' ');
    };
    walk(o, 0);
    if (cut) this.exhausted.push(what);
    return h.digest('hex');
  }
}

const NONE: ReadonlySet<string> = new Set();
const PAGE_TYPES: ReadonlySet<string> = new Set(['Page', 'Pages']);
