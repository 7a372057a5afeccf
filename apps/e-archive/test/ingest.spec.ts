import { DataSource } from 'typeorm';
import { createHash } from 'node:crypto';
import { metadataFor, startArchiveKit, type ArchiveKit } from './archive-test-kit.js';
import { generatedPdf } from './generated-pdf.js';

interface Problem {
  code: string;
  report: { passed: boolean; failed: string[] };
}

describe('ingest with the four-properties check (DA/T 70), e-archive alone', () => {
  let kit: ArchiveKit;

  beforeAll(async () => {
    kit = await startArchiveKit({ alone: true });
  });

  afterAll(async () => {
    await kit?.stop();
  });

  it('archives a PDF with an archival code, both digests and a passed report', async () => {
    const pdf = await generatedPdf({ pages: 2 });
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const res = await kit.ingest(pdf, metadataFor({ sha256, organisation: 'ZZZ', pageCount: 2 }));
    const body = (await res.json()) as Record<string, unknown> & Problem;
    expect(res.status).toBe(201);
    expect(body.archivalCode).toBe('J001-WS·2025·D10·ZZZ-0001');
    expect(body.sha256).toBe(sha256);
    expect(body.sm3).toBe(createHash('sm3').update(pdf).digest('hex'));
    expect(body.report.passed).toBe(true);
  });

  it('answers a repeated submission with the same record, and a different file with 409', async () => {
    const meta = metadataFor();
    const first = (await (await kit.ingest(await generatedPdf(), meta)).json()) as { id: string };
    const pdf = await generatedPdf();
    const res1 = await kit.ingest(pdf, meta);
    // generatedPdf differs each time (creation date, ids): a different file under the same id.
    expect(res1.status).toBe(409);
    expect(((await res1.json()) as Problem).code).toBe('ArchiveSourceIdConflict');

    const again = metadataFor();
    const r1 = await kit.ingest(pdf, again);
    const r2 = await kit.ingest(pdf, again);
    expect(r1.status).toBe(201);
    expect(r2.status).toBe(200);
    expect(((await r2.json()) as { id: string }).id).toBe(((await r1.json()) as { id: string }).id);
    expect(first.id).toBeDefined();
  });

  it('refuses metadata out of range, naming each field, with nothing stored', async () => {
    const res = await kit.ingest(
      await generatedPdf(),
      metadataFor({ year: 1800, retention: 'D20', openness: '机密', fondsCode: 'z1', title: '' }),
    );
    const body = (await res.json()) as Problem & {
      report: {
        properties: { authenticity: { checks: { name: string; issues?: { field: string }[] }[] } };
      };
    };
    expect(res.status).toBe(422);
    expect(body.code).toBe('FourPropertiesFailed');
    expect(body.report.failed).toEqual(
      expect.arrayContaining(['authenticity.metadataFormat', 'integrity.requiredMetadata']),
    );
    const format = body.report.properties.authenticity.checks.find(
      (c) => c.name === 'authenticity.metadataFormat',
    );
    expect(format?.issues?.map((i) => i.field).sort()).toEqual(
      ['date', 'fondsCode', 'openness', 'retention', 'year'].sort(),
    );
    const [{ n }] = (await kit.archive
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM e_archive.record WHERE "year" = 1800`)) as {
      n: number;
    }[];
    expect(n).toBe(0);
  });

  it('refuses a declared hash that does not match, under authenticity.fixityAsDeclared', async () => {
    const res = await kit.ingest(await generatedPdf(), metadataFor({ sha256: 'ab'.repeat(32) }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as Problem).report.failed).toEqual([
      'authenticity.fixityAsDeclared',
    ]);
  });

  it('refuses a wrong page count under integrity.pageCountMatches', async () => {
    const res = await kit.ingest(await generatedPdf({ pages: 3 }), metadataFor({ pageCount: 2 }));
    expect(((await res.json()) as Problem).report.failed).toEqual(['integrity.pageCountMatches']);
  });

  it('refuses a submitter without archive:ingest for the fonds', async () => {
    const token = await kit.personToken(
      'other-system',
      ['archive:ingest'],
      [{ role: 'archive:ingest', unit: 'K002' }],
    );
    const body = new FormData();
    body.append('file', new Blob([new Uint8Array(await generatedPdf())]), 'a.pdf');
    body.append('metadata', JSON.stringify(metadataFor()));
    const res = await fetch(kit.url('e-archive', '/v1/records'), {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(403);
  });

  it("refuses a client claiming another system's source id, before telling it anything", async () => {
    const pdf = await generatedPdf();
    const meta = metadataFor();
    expect((await kit.ingest(pdf, meta)).status).toBe(201);

    // The same file and source id from another client: no 200 with oa's record, a 403.
    const rogue = await kit.clientToken('rogue-system');
    const res = await kit.ingest(pdf, meta, rogue);
    expect(res.status).toBe(403);
    expect(((await res.json()) as Problem).code).toBe('ArchiveSourceSystemNotPermitted');
    const claim = await kit.ingest(
      await generatedPdf(),
      metadataFor({ sourceSystem: 'e-license' }),
      rogue,
    );
    expect(claim.status).toBe(403);

    // Under its own client_id it ingests; e-license's client is granted `e-license` by default.
    const own = await kit.ingest(
      await generatedPdf(),
      metadataFor({ sourceSystem: 'rogue-system' }),
      rogue,
    );
    expect(own.status).toBe(201);
    const eLicense = await kit.clientToken('svc-e-license');
    const granted = await kit.ingest(
      await generatedPdf(),
      metadataFor({ sourceSystem: 'e-license' }),
      eLicense,
    );
    expect(granted.status).toBe(201);
  });

  it('gives 20 concurrent ingests into one group the items 1 to 20, no gap, no duplicate', async () => {
    const files = await Promise.all(Array.from({ length: 20 }, () => generatedPdf()));
    const results = await Promise.all(
      files.map((f) => kit.ingest(f, metadataFor({ organisation: 'CONC' }))),
    );
    const bodies = (await Promise.all(results.map((r) => r.json()))) as { item: number }[];
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(bodies.map((b) => b.item).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });
});

describe('ingest over the upload limit', () => {
  let kit: ArchiveKit;

  beforeAll(async () => {
    kit = await startArchiveKit({ alone: true, env: { MAX_UPLOAD_MB: '1' } });
  });

  afterAll(async () => {
    await kit?.stop();
  });

  it('refuses a file over MAX_UPLOAD_MB with a 413 problem, stores nothing, and goes on', async () => {
    const big = Buffer.concat([await generatedPdf(), Buffer.alloc(1024 * 1024 + 1, 0x20)]);
    const res = await kit.ingest(big, metadataFor());
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as Problem).code).toBe('PayloadTooLarge');

    const db = new DataSource({ type: 'postgres', url: kit.db.url });
    await db.initialize();
    try {
      const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM e_archive.record')) as {
        n: number;
      }[];
      expect(n).toBe(0);
    } finally {
      await db.destroy();
    }
    const pdf = await generatedPdf();
    const ok = await kit.ingest(pdf, metadataFor());
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { sm3: string }).sm3).toBe(
      createHash('sm3').update(pdf).digest('hex'),
    );
  });
});
