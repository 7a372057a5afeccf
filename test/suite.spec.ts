import { SERVICE_NAMES } from '#common';
import { startTestSuite, type TestSuite } from './support/test-suite.js';

describe('the suite in one process', () => {
  let t: TestSuite;

  beforeAll(async () => {
    t = await startTestSuite();
  });

  afterAll(() => t.stop());

  it.each([...SERVICE_NAMES])('serves %s ready, with its database checked', async (name) => {
    const res = await fetch(t.url(name, '/health/ready'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'up', checks: { database: 'up' } });
  });

  it.each([...SERVICE_NAMES])('serves the OpenAPI document of %s', async (name) => {
    const res = await fetch(t.url(name, '/docs-json'));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { openapi: string }).openapi).toMatch(/^3\./);
  });

  it('answers a path outside the services with a NotFound problem', async () => {
    const res = await fetch(`${t.baseUrl}/nowhere`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('keeps each service in its own schema', async () => {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: t.db.url });
    await client.connect();
    const { rows } = await client.query<{ nspname: string }>(
      "SELECT nspname FROM pg_namespace WHERE nspname IN ('identity','e_seal','e_license','e_archive')",
    );
    await client.end();
    expect(rows.map((r) => r.nspname).sort()).toEqual([
      'e_archive',
      'e_license',
      'e_seal',
      'identity',
    ]);
  });
});
