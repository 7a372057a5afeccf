import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pdfsigReport, qpdfCheck, readPdfCorpus } from '#pdf';
import { startSealTestSuite, type SealTestSuite } from '../src/testing/seal-test-suite.js';
import {
  callersFor,
  nssTrustingPlatformRoot,
  ORG_A,
  ORG_B,
  sealInUse,
  sealPdf,
  verifyPdf,
} from '../src/testing/seal-fixtures.js';

const corpus = readPdfCorpus();
const entries = 'entries' in corpus ? corpus.entries : [];
const sealRows = entries.filter((e) => e.must.startsWith('seal'));
const verifyRows = entries.filter((e) => e.must.startsWith('verify'));

/** The MANIFEST's "seal correctly or refuse" rows: the refusal the service gives. */
const REFUSALS: Record<string, string> = {
  'qpdf-V4-aes.pdf': 'PdfEncrypted',
  'qpdf-bad1.pdf': 'PdfNotPdf',
  'qpdf-bad-xref.pdf': 'PdfDamaged',
};

// Without the shared corpus (CORPUS_DIR, else ../shared/corpus/pdf) these tests are skipped.
const describeCorpus = 'entries' in corpus ? describe : describe.skip;
if ('skipped' in corpus) console.warn(`${corpus.skipped}: corpus end-to-end tests skipped`);

describeCorpus('the PDF corpus through the sealing and verification API', () => {
  let t: SealTestSuite;
  let nss: string;
  let sealA: string;
  let sealB: string;
  let clerkA: string;
  let clerkB: string;
  const work = mkdtempSync(join(tmpdir(), 'e-seal-corpus-'));

  beforeAll(async () => {
    t = await startSealTestSuite();
    nss = await nssTrustingPlatformRoot(t);
    sealA = await sealInUse(t, ORG_A);
    sealB = await sealInUse(t, ORG_B);
    clerkA = (await callersFor(t, ORG_A)).clerk;
    clerkB = (await callersFor(t, ORG_B)).clerk;
  });

  afterAll(() => t.stop());

  it('finds the corpus', () => {
    expect(sealRows.length).toBeGreaterThan(10);
  });

  it.each(sealRows.map((e) => [e.file, e]))(
    'seals %s twice with two organisations’ seals, earlier signatures staying valid',
    async (file, entry) => {
      const input = readFileSync(entry.path);
      const first = await sealPdf(t, clerkA, input, { sealId: sealA, x: '20', y: '20' }, file);
      if (first.status !== 200) {
        expect(((await first.json()) as { code: string }).code).toBe(REFUSALS[file]);
        return;
      }
      const once = Buffer.from(await first.arrayBuffer());
      const second = await sealPdf(t, clerkB, once, { sealId: sealB, x: '200', y: '20' }, file);
      expect(second.status).toBe(200);
      const twice = Buffer.from(await second.arrayBuffer());
      const out = join(work, file);
      writeFileSync(out, twice);
      writeFileSync(`${out}.in`, input);

      const before = pdfsigReport(`${out}.in`, nss);
      const after = pdfsigReport(out, nss);
      expect(after).toHaveLength(before.length + 2);
      before.forEach((b, i) => b.valid && expect(after[i]!.valid).toBe(true));
      expect(after.slice(-2).map((s) => s.valid)).toEqual([true, true]);
      const original = qpdfCheck(`${out}.in`);
      const known = new Set([...original.errors, ...original.warnings]);
      const checked = qpdfCheck(out);
      expect([...checked.errors, ...checked.warnings].filter((l) => !known.has(l))).toEqual([]);

      const report = await verifyPdf(t, twice);
      const ours = report.signatures.slice(-2);
      expect(ours.map((s: { indication: string }) => s.indication)).toEqual([
        'TOTAL_PASSED',
        'TOTAL_PASSED',
      ]);
    },
  );

  it('reports a byte range that leaves most of the file uncovered (which poppler calls valid)', async () => {
    const entry = verifyRows.find((e) => e.file === 'pyhanko-weird-byterange.pdf')!;

    const report = await verifyPdf(t, readFileSync(entry.path));

    expect(report.indication).toBe('TOTAL_FAILED');
    expect(report.signatures[0].integrity.coversWholeFile).toBe(false);
    expect(report.signatures[0].integrity.anomalies.length).toBeGreaterThan(0);
    expect(report.signatures[0]).toMatchObject({
      indication: 'TOTAL_FAILED',
      subIndication: 'FORMAT_FAILURE',
    });
  });

  it('reports a signed file altered afterwards as broken', async () => {
    const entry = verifyRows.find((e) => e.file === 'dss-pdf-signed-corrupted.pdf')!;

    const report = await verifyPdf(t, readFileSync(entry.path));

    expect(report.indication).toBe('TOTAL_FAILED');
    expect(
      report.signatures.some((s: { integrity: { intact: boolean } }) => !s.integrity.intact),
    ).toBe(true);
  });

  it('reports five signatures and a document time-stamp, each with its integrity and the expired signers', async () => {
    const entry = verifyRows.find((e) => e.file.startsWith('dss-pades-5'))!;

    const report = await verifyPdf(t, readFileSync(entry.path));

    expect(report.signatures).toHaveLength(6);
    expect(report.signatureCount).toBe(5);
    expect(report.documentTimestampCount).toBe(1);
    for (const s of report.signatures) {
      expect(s.integrity).toMatchObject({
        digestMatches: true,
        signatureValid: true,
        intact: true,
      });
      expect(s.chain.issuedByThisPlatform).toBe(false);
    }
    expect(
      report.signatures.some((s: { warnings: string[] }) =>
        s.warnings.includes('certificateExpiredNow'),
      ),
    ).toBe(true);
  });
});
