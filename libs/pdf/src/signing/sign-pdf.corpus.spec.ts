import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PdfError, PdfErrorCode } from '../errors.js';
import { readSignatures } from '../validation/signatures.js';
import { makeForgeCmsSigner } from '../testing/cms-test-signer.js';
import { readPdfCorpus, type CorpusEntry } from '../testing/corpus.js';
import { digestMatches } from '../testing/digest-check.js';
import { makeTestPki } from '../testing/test-pki.js';
import { nssDbTrusting, pdfsigReport, qpdfCheck } from '../testing/tools.js';
import { signPdf } from './sign-pdf.js';

const corpus = readPdfCorpus();
const entries = 'entries' in corpus ? corpus.entries : [];
const pki = makeTestPki('Corpus');
const signer = makeForgeCmsSigner(pki);
const work = mkdtempSync(join(tmpdir(), 'pdf-corpus-'));
const nss = nssDbTrusting(pki.rootPem);

const sealRows = entries.filter((e) => e.must.startsWith('seal'));
const refuseRows = entries.filter((e) => e.must.startsWith('refuse'));

/** What the MANIFEST accepts as a refusal for "seal correctly or refuse" rows. */
const ACCEPTED_REFUSALS: Record<string, PdfErrorCode> = {
  'qpdf-V4-aes.pdf': PdfErrorCode.Encrypted,
  'qpdf-bad-xref.pdf': PdfErrorCode.Damaged,
  'qpdf-bad1.pdf': PdfErrorCode.NotPdf,
};

function newFindings(input: string, output: string): string[] {
  const before = qpdfCheck(input);
  const after = qpdfCheck(output);
  const known = new Set([...before.errors, ...before.warnings]);
  return [...after.errors, ...after.warnings].filter((l) => !known.has(l));
}

async function sealAndCheck(entry: CorpusEntry, input: Buffer, inputPath: string, round: number) {
  const before = pdfsigReport(inputPath, nss);
  const ownBefore = readSignatures(input);

  const { pdf } = await signPdf(input, {
    signer,
    reason: `round ${round}: (trailer) xref %%EOF \\ ) (`,
    name: 'Corpus signer',
    location: '北京',
  });
  const out = join(work, `${entry.file}.${round}.pdf`);
  writeFileSync(out, pdf);

  expect(pdf.subarray(0, input.length).equals(input)).toBe(true);
  expect(newFindings(inputPath, out)).toEqual([]);

  const after = pdfsigReport(out, nss);
  expect(after).toHaveLength(before.length + 1);
  before.forEach((b, i) => {
    if (b.valid) expect(after[i].valid).toBe(true);
  });
  const newest = after[after.length - 1];
  expect(newest.valid).toBe(true);
  expect(newest.totalDocumentSigned).toBe(true);

  const own = readSignatures(pdf);
  expect(own).toHaveLength(ownBefore.length + 1);
  const mine = own[own.length - 1];
  expect(mine.coversWholeFile).toBe(true);
  expect(mine.anomalies).toEqual([]);
  expect(mine.reason).toBe(`round ${round}: (trailer) xref %%EOF \\ ) (`);
  expect(mine.location).toBe('北京');
  expect(digestMatches(pdf, mine)).toBe(true);
  ownBefore.forEach((s, i) => {
    if (digestMatches(input, s) === true) expect(digestMatches(pdf, own[i])).toBe(true);
  });
  return { pdf, out };
}

if ('skipped' in corpus) {
  test.skip(`corpus tests skipped: ${corpus.skipped}`, () => undefined);
}

describe('signPdf on the shared corpus', () => {
  test.each(sealRows.map((e) => [e.file, e] as const))(
    'seals %s twice in a row (or refuses it where the MANIFEST allows), keeping earlier signatures valid',
    async (_file, entry) => {
      let input: Buffer = readFileSync(entry.path);
      let inputPath = entry.path;
      for (let round = 1; round <= 2; round++) {
        let result: { pdf: Buffer; out: string };
        try {
          result = await sealAndCheck(entry, input, inputPath, round);
        } catch (e) {
          const allowed = ACCEPTED_REFUSALS[entry.file];
          if (entry.must.includes('or refuse') && e instanceof PdfError && e.code === allowed)
            return;
          throw e;
        }
        input = result.pdf;
        inputPath = result.out;
      }
    },
  );

  test.each(refuseRows.map((e) => [e.file, e] as const))(
    'refuses %s with a clear error',
    async (_f, entry) => {
      const input = readFileSync(entry.path);
      const err = await signPdf(input, { signer }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PdfError);
      expect((err as PdfError).code).toBe(ACCEPTED_REFUSALS[entry.file]);
    },
  );
});

describe('readSignatures on the shared corpus', () => {
  const file = (name: string): Buffer | undefined => {
    const e = entries.find((x) => x.file === name);
    return e ? readFileSync(e.path) : undefined;
  };

  test('reports that the weird byte range does not cover the document', () => {
    const pdf = file('pyhanko-weird-byterange.pdf');
    if (!pdf) return;
    const [sig] = readSignatures(pdf);
    expect(sig.coversWholeFile).toBe(false);
    expect(sig.anomalies.length).toBeGreaterThan(0);
  });

  test('shows the digest mismatch of a signed file altered afterwards', () => {
    const pdf = file('dss-pdf-signed-corrupted.pdf');
    if (!pdf) return;
    const sigs = readSignatures(pdf);
    expect(sigs.length).toBeGreaterThan(0);
    expect(sigs.some((s) => digestMatches(pdf, s) === false)).toBe(true);
  });

  test('finds five signatures and one document timestamp, each with its integrity', () => {
    const pdf = file('dss-pades-5-signatures-and-1-document-timestamp.pdf');
    if (!pdf) return;
    const sigs = readSignatures(pdf);
    expect(sigs).toHaveLength(6);
    expect(sigs.filter((s) => s.kind === 'timestamp')).toHaveLength(1);
    for (const s of sigs.filter((x) => x.kind === 'signature')) {
      expect(digestMatches(pdf, s)).toBe(true);
      expect(s.coversRevision).toBe(true);
    }
  });

  test('refuses the encrypted file with PdfEncrypted', async () => {
    const pdf = file('qpdf-V4-aes.pdf');
    if (!pdf) return;
    await expect(signPdf(pdf, { signer })).rejects.toMatchObject({ code: PdfErrorCode.Encrypted });
  });
});
