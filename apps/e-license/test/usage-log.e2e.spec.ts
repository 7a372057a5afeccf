import { DEMO_ISSUING_AUTHORITY } from '../src/demo/demo-catalogue.js';
import { citizen, issue, type Issued } from './fixtures.js';
import { startLicenseSuite, type LicenseSuite } from './license-suite.js';

interface Entry {
  id: string;
  who: { kind: string; id: string; unit?: { uscc: string; name: string } };
  action: string;
  basis: string;
}

describe('the holder’s usage log (用证记录)', () => {
  let t: LicenseSuite;
  let clerk: string;
  let person: string;
  let mine: Issued;

  beforeAll(async () => {
    t = await startLicenseSuite();
    clerk = await t.clerkToken();
    mine = await issue(t, clerk);
    person = await t.token({
      sub: 'person-zhang',
      clientId: 'citizen-portal',
      scopes: ['license:holder'],
      idDocument: { type: '111', number: citizen.code },
    });
  });
  afterAll(() => t.stop());

  const usage = async (query = '') => {
    const res = await t.api(`/v1/holder/usage${query}`, { token: person });
    expect(res.status).toBe(200);
    return { items: (await res.json()) as Entry[], link: res.headers.get('link') };
  };

  it('shows the holder a clerk’s read of the data and of the PDF, with the authority', async () => {
    expect((await t.api(`/v1/licenses/${mine.license.id}`, { token: clerk })).status).toBe(200);
    expect((await t.api(`/v1/licenses/${mine.license.id}/pdf`, { token: clerk })).status).toBe(200);

    const { items } = await usage();

    const who = {
      kind: 'clerk',
      id: 'clerk-1',
      unit: { uscc: DEMO_ISSUING_AUTHORITY.uscc, name: DEMO_ISSUING_AUTHORITY.name },
    };
    expect(items.slice(0, 2)).toEqual([
      expect.objectContaining({ who, action: 'read-pdf' }),
      expect.objectContaining({ who, action: 'read-data' }),
    ]);
  });

  it('logs nothing for a clerk of another authority, who is refused', async () => {
    const before = (await usage()).items.length;
    const other = await t.clerkToken('11350000MB0000027H');

    const res = await t.api(`/v1/licenses/${mine.license.id}`, { token: other });

    expect(res.status).toBe(403);
    expect((await usage()).items.length).toBe(before);
  });

  it('pages through more than 200 entries, newest first, with no entry twice', async () => {
    for (let i = 0; i < 210; i++) {
      const res = await t.api(`/v1/holder/licenses/${mine.license.id}`, { token: person });
      expect(res.status).toBe(200);
    }

    const capped = await usage('?limit=1000');
    expect(capped.items).toHaveLength(200);
    expect(capped.link).toMatch(/rel="next"/);

    const seen: string[] = [];
    let query = '?limit=75';
    for (let pages = 0; pages < 10; pages++) {
      const page = await usage(query);
      seen.push(...page.items.map((e) => e.id));
      if (!page.link) break;
      query = /\?[^>]*/.exec(page.link)![0];
    }
    expect(seen).toHaveLength(212);
    expect(new Set(seen).size).toBe(212);
    expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
  });
});
