import { issue, type Issued } from './fixtures.js';
import { startLicenseSuite, type LicenseSuite } from './license-suite.js';

// A budget of 3 at once and 6 a minute (one token every 10 s); uploads get a sixth: 1 and 1.
const BUDGET = { E_LICENSE_VERIFY_BURST: '3', E_LICENSE_VERIFY_PER_MINUTE: '6' };

describe('rate limits of public verification', () => {
  let t: LicenseSuite;
  let issued: Issued;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    // e-license reads its own variables from the process environment at start.
    for (const [k, v] of Object.entries(BUDGET)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    t = await startLicenseSuite();
    issued = await issue(t, await t.clerkToken());
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await t.stop();
  });

  const lookup = () =>
    t.api('/v1/verification', {
      body: { identifier: issued.license.identifier, code: issued.verificationCode },
    });

  it('answers 429 with a problem document and Retry-After once the budget is spent', async () => {
    for (let i = 0; i < 3; i++) expect((await lookup()).status).toBe(200);

    const res = await lookup();

    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 429, code: 'TooManyRequests' });
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
  });

  it('counts the QR code page against the same budget, and answers it with a page', async () => {
    const qr = `/verify/${encodeURIComponent(issued.license.identifier)}?code=${issued.verificationCode}`;

    const res = await fetch(t.url('e-license', qr));

    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    const html = await res.text();
    expect(html).toContain('核验过于频繁');
    expect(html).toContain('Too many verifications from this address');
  });

  it('gives uploads their own, smaller budget', async () => {
    const upload = () => {
      const form = new FormData();
      form.set('file', new Blob(['not a pdf'], { type: 'application/pdf' }), 'x.pdf');
      return fetch(t.url('e-license', '/v1/verification/document'), {
        method: 'POST',
        body: form,
      });
    };

    expect((await upload()).status).toBe(400);
    const res = await upload();

    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ code: 'TooManyRequests' });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
