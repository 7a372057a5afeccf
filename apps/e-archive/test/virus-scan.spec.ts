import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { freePort } from '../../../test/support/test-suite.js';
import { metadataFor, startArchiveKit, type ArchiveKit } from './archive-test-kit.js';
import { CLAMD, startClamd, type TestClamd } from './clamd.js';
import { generatedPdf } from './generated-pdf.js';

interface Answer {
  code?: string;
  report: {
    failed: string[];
    properties: { security: { checks: { name: string; outcome: string; message: string }[] } };
  };
}

// The EICAR test file (eicar.org): harmless, and the agreed stand-in for a virus.
const EICAR = Buffer.from(
  'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*',
  'latin1',
);

const virusScanOf = (a: Answer) =>
  a.report.properties.security.checks.find((c) => c.name === 'security.virusScan');

const withClamd = CLAMD ? describe : describe.skip;
const title = CLAMD
  ? 'virus scan by a real clamd (INSTREAM), with a signature of our own'
  : 'virus scan by a real clamd: SKIPPED, clamd is not installed (apt-get install clamav-daemon)';

withClamd(title, () => {
  let clamd: TestClamd;
  let kit: ArchiveKit;

  beforeAll(async () => {
    clamd = await startClamd(await freePort(), [{ name: 'Archive.Test.EICAR', bytes: EICAR }]);
    kit = await startArchiveKit({
      alone: true,
      env: { CLAMD_HOST: '127.0.0.1', CLAMD_PORT: String(clamd.port) },
    });
  }, 90_000);

  afterAll(async () => {
    await kit?.stop();
    await clamd?.stop();
  });

  it('passes a clean PDF under security.virusScan and archives it', async () => {
    const res = await kit.ingest(await generatedPdf(), metadataFor());
    const body = (await res.json()) as Answer;
    expect(res.status).toBe(201);
    expect(virusScanOf(body)).toMatchObject({ outcome: 'passed', message: 'ClamAV found nothing' });
  });

  it('refuses a PDF carrying EICAR as an attachment, naming the check and the signature', async () => {
    const pdf = await generatedPdf({ attachment: { name: 'readme.txt', bytes: EICAR } });
    const res = await kit.ingest(pdf, metadataFor());
    const body = (await res.json()) as Answer;
    expect(res.status).toBe(422);
    expect(body.report.failed).toEqual(['security.virusScan']);
    expect(virusScanOf(body)?.message).toBe('ClamAV found Archive.Test.EICAR.UNOFFICIAL');

    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const [{ n }] = (await kit.archive
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM e_archive.record WHERE sha256 = $1`, [sha256])) as {
      n: number;
    }[];
    expect(n).toBe(0);
  });
});

describe('virus scan configured but clamd down', () => {
  let kit: ArchiveKit;

  beforeAll(async () => {
    // A port nothing listens on: CLAMD_HOST is set, so the scan is required.
    kit = await startArchiveKit({
      alone: true,
      env: { CLAMD_HOST: '127.0.0.1', CLAMD_PORT: String(await freePort()) },
    });
  });

  afterAll(async () => {
    await kit?.stop();
  });

  it('refuses the ingest with 503 ArchiveVirusScanUnavailable and stores nothing', async () => {
    const meta = metadataFor();
    const res = await kit.ingest(await generatedPdf(), meta);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as Answer).code).toBe('ArchiveVirusScanUnavailable');
    const [{ n }] = (await kit.archive
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM e_archive.record WHERE source_id = $1`, [
        meta.sourceId,
      ])) as { n: number }[];
    expect(n).toBe(0);
  });
});
