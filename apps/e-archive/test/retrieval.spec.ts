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
    (await (await kit.api(`/v1/records?${query}`, token)).json()) as Found;

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
    const res = await kit.api(`/v1/records/${ids.annual}`, stranger);
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
    const res = await kit.api(`/v1/records/${ids.annual}/report`, reader);
    const report = (await res.json()) as { standard: string; passed: boolean };
    expect(report).toMatchObject({ standard: 'DA/T 70-2018', passed: true });
  });
});
