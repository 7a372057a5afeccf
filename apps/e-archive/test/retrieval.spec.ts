import { DataSource } from 'typeorm';
import { metadataFor, startArchiveKit, type ArchiveKit } from './archive-test-kit.js';
import { generatedPdf } from './generated-pdf.js';

interface Found {
  items: { id: string; title: string; archivalCode: string }[];
  nextOffset: number | null;
}

describe('retrieval by archivists of a fonds, each use logged', () => {
  let kit: ArchiveKit;
  let reader: string;
  let stranger: string;
  const pdf: Record<string, Buffer> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    kit = await startArchiveKit({ alone: true });
    reader = await kit.personToken(
      'archivist-1',
      ['archive:read'],
      [{ role: 'archive:read', unit: 'J001' }],
    );
    stranger = await kit.personToken(
      'archivist-9',
      ['archive:read'],
      [{ role: 'archive:read', unit: 'K002' }],
    );
    const titles = {
      business: '关于优化营商环境的通知',
      budget: '关于2025年预算执行情况的报告',
      annual: 'Annual report on licensing',
    };
    for (const [key, title] of Object.entries(titles)) {
      pdf[key] = await generatedPdf();
      const res = await kit.ingest(
        pdf[key],
        metadataFor({ title, creator: key === 'budget' ? '财政局' : '示例市人民政府办公室' }),
      );
      ids[key] = ((await res.json()) as { id: string }).id;
    }
  });

  afterAll(async () => {
    await kit?.stop();
  });

  const search = async (token: string, query: string) =>
    (await (
      await kit.api(`/v1/records?${query}&purpose=${encodeURIComponent('查考')}`, token)
    ).json()) as Found;

  it('finds records by Chinese title words, by Latin words and by creator', async () => {
    expect(
      (await search(reader, `q=${encodeURIComponent('营商环境')}`)).items.map((i) => i.id),
    ).toEqual([ids.business]);
    expect(
      (await search(reader, `q=${encodeURIComponent('预算')}`)).items.map((i) => i.id),
    ).toEqual([ids.budget]);
    expect((await search(reader, 'q=REPORT')).items.map((i) => i.id)).toEqual([ids.annual]);
    expect(
      (await search(reader, `creator=${encodeURIComponent('财政局')}&year=2025`)).items.map(
        (i) => i.id,
      ),
    ).toEqual([ids.budget]);
    expect((await search(reader, `q=${encodeURIComponent('环境预算')}`)).items).toEqual([]);
  });

  it('shows an archivist of another fonds nothing, and refuses him the record', async () => {
    expect((await search(stranger, 'q=report')).items).toEqual([]);
    const res = await kit.api(`/v1/records/${ids.annual}?purpose=x`, stranger);
    expect(res.status).toBe(403);
  });

  it('refuses a download without a purpose, and gives the original bytes with one', async () => {
    const without = await kit.api(`/v1/records/${ids.business}/content`, reader);
    expect(without.status).toBe(400);
    expect(((await without.json()) as { code: string }).code).toBe('ArchivePurposeRequired');

    const res = await kit.api(
      `/v1/records/${ids.business}/content?purpose=${encodeURIComponent('政策查考')}`,
      reader,
    );
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf.business!)).toBe(true);
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''J001-WS");
  });

  it('logs who read and downloaded a record, and for what purpose', async () => {
    await kit.api(`/v1/records/${ids.budget}?purpose=audit`, reader);
    await kit.api(
      `/v1/records/${ids.budget}/content?purpose=${encodeURIComponent('审计')}`,
      reader,
    );
    const log = (await (await kit.api(`/v1/records/${ids.budget}/access-log`, reader)).json()) as {
      actor: string;
      action: string;
      purpose: string;
    }[];
    expect(log.slice(0, 2)).toEqual([
      expect.objectContaining({ actor: 'archivist-1', action: 'download', purpose: '审计' }),
      expect.objectContaining({ actor: 'archivist-1', action: 'metadata', purpose: 'audit' }),
    ]);
  });

  it('serves the four-properties report made at ingest', async () => {
    const res = await kit.api(`/v1/records/${ids.annual}/report?purpose=review`, reader);
    const report = (await res.json()) as { standard: string; passed: boolean };
    expect(report).toMatchObject({ standard: 'DA/T 70-2018', passed: true });
  });

  it('refuses every use without a stated purpose: search, metadata, report, download, export', async () => {
    const uses: [string, string, { body?: unknown }?][] = [
      ['search', '/v1/records?q=report'],
      ['metadata', `/v1/records/${ids.annual}`],
      ['report', `/v1/records/${ids.annual}/report?purpose=%20`],
      ['download', `/v1/records/${ids.annual}/content`],
      ['export', '/v1/exports', { body: { recordIds: [ids.annual] } }],
    ];
    for (const [use, path, init] of uses) {
      const res = await kit.api(path, reader, init);
      expect({ use, status: res.status }).toEqual({ use, status: 400 });
      expect(((await res.json()) as { code: string }).code).toBe('ArchivePurposeRequired');
    }
  });

  it('registers a search with its purpose and the conditions asked', async () => {
    await search(reader, `creator=${encodeURIComponent('财政局')}`);
    const [row] = (await kit.archive.get(DataSource).query(
      `SELECT "action","purpose","query" FROM "e_archive"."access_log"
          WHERE "actor" = 'archivist-1' AND "action" = 'search' ORDER BY "id" DESC LIMIT 1`,
    )) as { action: string; purpose: string; query: unknown }[];
    expect(row).toEqual({ action: 'search', purpose: '查考', query: { creator: '财政局' } });
  });
});

describe('search conditions each filter the records (document number, dates, retention, fonds)', () => {
  let kit: ArchiveKit;
  let reader: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    kit = await startArchiveKit({ alone: true });
    reader = await kit.personToken(
      'archivist-2',
      ['archive:read'],
      ['J001', 'K002'].map((unit) => ({ role: 'archive:read', unit })),
    );
    const records = {
      january: { date: '2025-01-10', retention: 'D10', documentNumber: '示政发〔2025〕1号' },
      june: { date: '2025-06-15', retention: 'D30', documentNumber: '示政发〔2025〕2号' },
      november: { date: '2025-11-20', retention: 'Y', documentNumber: '示政发〔2025〕3号' },
      other: { date: '2025-06-16', retention: 'D30', fondsCode: 'K002' },
    };
    for (const [key, meta] of Object.entries(records)) {
      const res = await kit.ingest(await generatedPdf(), metadataFor({ title: '通知', ...meta }));
      expect(res.status).toBe(201);
      ids[key] = ((await res.json()) as { id: string }).id;
    }
  });

  afterAll(async () => {
    await kit?.stop();
  });

  const found = async (query: string) => {
    const res = await kit.api(`/v1/records?${query}&purpose=check`, reader);
    expect(res.status).toBe(200);
    return ((await res.json()) as Found).items.map((i) => i.id).sort();
  };
  const idsOf = (...keys: string[]) => keys.map((k) => ids[k]!).sort();

  it('finds by document number exactly, not by a prefix of it', async () => {
    expect(await found(`documentNumber=${encodeURIComponent('示政发〔2025〕2号')}`)).toEqual(
      idsOf('june'),
    );
    expect(await found(`documentNumber=${encodeURIComponent('示政发〔2025〕')}`)).toEqual([]);
  });

  it('finds by a date range, both ends inclusive', async () => {
    expect(await found('dateFrom=2025-06-01&dateTo=2025-06-30')).toEqual(idsOf('june', 'other'));
    expect(await found('dateFrom=2025-06-15&dateTo=2025-06-15')).toEqual(idsOf('june'));
    expect(await found('dateFrom=2025-06-17')).toEqual(idsOf('november'));
    expect(await found('dateTo=2025-01-10')).toEqual(idsOf('january'));
  });

  it('finds by retention', async () => {
    expect(await found('retention=Y')).toEqual(idsOf('november'));
    expect(await found('retention=D30')).toEqual(idsOf('june', 'other'));
  });

  it('finds by fonds among the fonds the caller may read, and both without one', async () => {
    expect(await found('fondsCode=K002')).toEqual(idsOf('other'));
    expect(await found('fondsCode=J001&retention=D30')).toEqual(idsOf('june'));
    expect(await found('q=' + encodeURIComponent('通知'))).toEqual(
      idsOf('january', 'june', 'november', 'other'),
    );
  });
});
