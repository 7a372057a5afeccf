import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { metadataFor, startArchiveKit, type ArchiveKit } from './archive-test-kit.js';
import { generatedPdf } from './generated-pdf.js';

interface Refusal {
  code: string;
  report: {
    failed: string[];
    properties: Record<string, { checks: { name: string; issues?: { message: string }[] }[] }>;
  };
}

describe('refusals under usability and security store nothing (DA/T 70-2018 5.3, 5.4)', () => {
  let kit: ArchiveKit;

  beforeAll(async () => {
    kit = await startArchiveKit({ alone: true });
  });

  afterAll(async () => {
    await kit?.stop();
  });

  /** Ingests the file, expects a 422 naming exactly `failed`, and checks nothing was kept. */
  async function expectRefused(pdf: Buffer, failed: string[]): Promise<Refusal> {
    const meta = metadataFor();
    const res = await kit.ingest(pdf, meta);
    const body = (await res.json()) as Refusal;
    expect(res.status).toBe(422);
    expect(body.code).toBe('FourPropertiesFailed');
    expect(body.report.failed).toEqual(failed);

    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const blob = join(kit.ctx.dataDir, 'e-archive', 'blobs', 'sha256', sha256.slice(0, 2));
    expect(existsSync(join(blob, sha256.slice(2, 4), sha256))).toBe(false);
    const [{ n }] = (await kit.archive
      .get(DataSource)
      .query(
        `SELECT count(*)::int AS n FROM e_archive.record WHERE source_id = $1 OR sha256 = $2`,
        [meta.sourceId, sha256],
      )) as { n: number }[];
    expect(n).toBe(0);
    return body;
  }

  const issuesOf = (r: Refusal, name: string) =>
    Object.values(r.report.properties)
      .flatMap((p) => p.checks)
      .find((c) => c.name === name)
      ?.issues?.map((i) => i.message)
      .join(' ');

  it('refuses an ELF binary attached Flate-compressed under the name notes.txt', async () => {
    const pdf = await generatedPdf({
      attachment: { name: 'notes.txt', bytes: readFileSync('/bin/true') },
    });
    const body = await expectRefused(pdf, ['security.noEmbeddedExecutables']);
    expect(issuesOf(body, 'security.noEmbeddedExecutables')).toBe(
      'embedded executable notes.txt: content is ELF',
    );
  });

  it('refuses a launch action run when the document opens', async () => {
    const body = await expectRefused(await generatedPdf({ launch: 'calc.exe' }), [
      'security.noActiveContent',
    ]);
    expect(issuesOf(body, 'security.noActiveContent')).toBe('1 launch action(s)');
  });

  it('refuses text drawn with a TrueType font that is not embedded', async () => {
    const body = await expectRefused(await generatedPdf({ unembeddedFont: 'SimSun' }), [
      'usability.fontsEmbedded',
    ]);
    expect(issuesOf(body, 'usability.fontsEmbedded')).toBe('font SimSun is not embedded');
  });

  it('archives the same kind of file with a plain text attachment, as a control', async () => {
    const pdf = await generatedPdf({
      attachment: { name: 'notes.txt', bytes: Buffer.from('会议纪要\n'.repeat(100)) },
    });
    expect((await kit.ingest(pdf, metadataFor())).status).toBe(201);
  });
});
