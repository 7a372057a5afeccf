import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PdfError } from '../errors.js';
import { readPdfCorpus } from '../testing/corpus.js';
import { qpdfCheck } from '../testing/tools.js';
import { signPdf, type CmsSigner } from './sign-pdf.js';

// Mutation testing of the reader and the signer on the shared corpus: every damaged input
// either signs into a file qpdf accepts or is refused with a PdfError, within bounded time.
// 32 seeded mutations per file by default (about 45 s); PDF_MUTATIONS=150 for a longer run.

const corpus = readPdfCorpus();
const files = 'entries' in corpus ? corpus.entries : [];
const MUTATIONS_PER_FILE = Number(process.env.PDF_MUTATIONS ?? 32);
const MAX_MS_PER_SIGN = 2000;
const work = mkdtempSync(join(tmpdir(), 'pdf-mutations-'));

/** A container of the right shape; qpdf checks structure, not the signature. */
const stubSigner: CmsSigner = () => Promise.resolve(Buffer.from('3003020101', 'hex'));

/** mulberry32: a small seeded PRNG, so that a failure is reproducible from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(name: string): number {
  let h = 2166136261;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

type Mutation = (pdf: Buffer, rnd: () => number) => Buffer;
const int = (rnd: () => number, n: number) => Math.floor(rnd() * n);

function replaceAll(pdf: Buffer, re: RegExp, by: (m: string) => string): Buffer {
  return Buffer.from(pdf.toString('latin1').replace(re, by), 'latin1');
}

const MUTATIONS: Record<string, Mutation> = {
  flipBytes: (pdf, rnd) => {
    const out = Buffer.from(pdf);
    for (let i = 0, n = 1 + int(rnd, 16); i < n; i++) out[int(rnd, out.length)] = int(rnd, 256);
    return out;
  },
  truncate: (pdf, rnd) => pdf.subarray(0, int(rnd, pdf.length)),
  truncateTail: (pdf, rnd) =>
    pdf.subarray(0, pdf.length - 1 - int(rnd, Math.min(2048, pdf.length))),
  duplicateRange: (pdf, rnd) => {
    const a = int(rnd, pdf.length);
    const b = Math.min(pdf.length, a + 1 + int(rnd, 4096));
    const at = int(rnd, pdf.length);
    return Buffer.concat([pdf.subarray(0, at), pdf.subarray(a, b), pdf.subarray(at)]);
  },
  zeroRange: (pdf, rnd) => {
    const out = Buffer.from(pdf);
    const a = int(rnd, out.length);
    out.fill(0, a, Math.min(out.length, a + 1 + int(rnd, 512)));
    return out;
  },
  corruptStartxref: (pdf, rnd) =>
    replaceAll(pdf, /startxref(\s+)\d+/g, (m) =>
      m.replace(/\d+$/, String(int(rnd, pdf.length * 2))),
    ),
  corruptXrefEntries: (pdf, rnd) =>
    replaceAll(pdf, /\d{10} \d{5} n/g, (m) =>
      rnd() < 0.3 ? `${String(int(rnd, 1e10)).padStart(10, '0')}${m.slice(10)}` : m,
    ),
  hugeLength: (pdf, rnd) =>
    replaceAll(pdf, /\/Length \d+/g, (m) => (rnd() < 0.5 ? '/Length 99999999999' : m)),
  negativeLength: (pdf) => replaceAll(pdf, /\/Length \d+/g, () => '/Length -5'),
  deepNesting: (pdf, rnd) => {
    const text = pdf.toString('latin1');
    const at = text.indexOf('<<', int(rnd, text.length));
    if (at < 0) return pdf;
    const depth = 100 + int(rnd, 100_000);
    const bomb =
      rnd() < 0.5
        ? '['.repeat(depth) + ']'.repeat(depth)
        : '<</A '.repeat(depth) + '>>'.repeat(depth);
    return Buffer.from(`${text.slice(0, at + 2)}/Deep ${bomb} ${text.slice(at + 2)}`, 'latin1');
  },
  prevLoop: (pdf) => {
    const m = /startxref\s+(\d+)\s*%%EOF\s*$/.exec(
      pdf.toString('latin1', Math.max(0, pdf.length - 64)),
    );
    if (!m) return pdf;
    const last = m[1]!;
    const text = pdf.toString('latin1');
    const withPrev = text.replace(/\/Prev \d+/g, `/Prev ${last}`);
    // No /Prev to turn into a loop: add one to the last trailer.
    const at = withPrev.lastIndexOf('trailer');
    return Buffer.from(
      withPrev === text && at >= 0
        ? withPrev.replace(/trailer\s*<</g, (t) => `${t} /Prev ${last}`)
        : withPrev,
      'latin1',
    );
  },
  referenceCycle: (pdf, rnd) =>
    replaceAll(pdf, /\/(Length|Pages|Parent|Contents|Annots|AcroForm) \d+ 0 R/g, (m) =>
      rnd() < 0.5 ? m.replace(/\d+ 0 R$/, `${1 + int(rnd, 40)} 0 R`) : m,
    ),
  hugeCounts: (pdf) =>
    replaceAll(pdf, /\/(Count|Size|N|First) \d+/g, (m) => m.replace(/\d+$/, '2147483647')),
  garbageFilter: (pdf) => replaceAll(pdf, /\/FlateDecode/g, () => '/LZWDecode'),
};
const NAMES = Object.keys(MUTATIONS);

async function attempt(
  input: Buffer,
): Promise<{ outcome: 'signed' | 'refused'; ms: number; pdf?: Buffer }> {
  const t0 = performance.now();
  try {
    const { pdf } = await signPdf(input, { signer: stubSigner, reason: 'mutation test' });
    return { outcome: 'signed', ms: performance.now() - t0, pdf };
  } catch (e) {
    if (!(e instanceof PdfError)) throw e;
    return { outcome: 'refused', ms: performance.now() - t0 };
  }
}

describe('signPdf on mutated corpus files', () => {
  test.each(files.map((f) => [f.file, f.path] as const))(
    '%s: every mutation signs into a sound file or is refused with a PdfError',
    async (file, path) => {
      const original = readFileSync(path);
      const rnd = prng(seedOf(file));
      const tally = { signed: 0, refused: 0 };
      for (let i = 0; i < MUTATIONS_PER_FILE; i++) {
        const kind = NAMES[i % NAMES.length]!;
        const input = MUTATIONS[kind]!(original, rnd);
        const label = `${file} #${i} ${kind}`;

        const result = await attempt(input).catch((e: unknown) => {
          writeFileSync(join(work, `${i}.pdf`), input);
          throw new Error(`${label}: threw ${String(e)} (input kept in ${work})`, { cause: e });
        });

        expect({ label, slow: result.ms > MAX_MS_PER_SIGN }).toEqual({ label, slow: false });
        tally[result.outcome]++;
        if (!result.pdf) continue;
        const inPath = join(work, `${file}.${i}.in.pdf`);
        const outPath = join(work, `${file}.${i}.out.pdf`);
        writeFileSync(inPath, input);
        writeFileSync(outPath, result.pdf);
        const before = qpdfCheck(inPath).exitCode;
        const after = qpdfCheck(outPath).exitCode;
        // qpdf: 0 clean, 3 warnings only, 2 errors. Damage already in the input may stay.
        const sound = after === 0 || after === 3 || before === 2;
        expect({ label, before, after, sound }).toEqual({ label, before, after, sound: true });
      }
      console.log(`${file}: ${tally.signed} signed, ${tally.refused} refused`);
    },
    60_000,
  );
});
