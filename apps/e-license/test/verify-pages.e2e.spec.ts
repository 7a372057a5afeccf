import { issue, type Issued } from './fixtures.js';
import { startLicenseSuite, type LicenseSuite } from './license-suite.js';
import { decodeQr } from './pdf-tools.js';

interface Form {
  method: string;
  action: string;
}

/** The forms of a page, with each action resolved against the page URL as a browser does. */
function formsOf(html: string, pageUrl: string): { lookup: Form; upload: Form } {
  const forms = [...html.matchAll(/<form method="(get|post)" action="([^"]*)"/g)].map((m) => ({
    method: m[1]!,
    action: new URL(m[2]!, pageUrl).href,
  }));
  expect(forms).toHaveLength(2);
  return { lookup: forms[0]!, upload: forms[1]! };
}

describe('the public verification pages', () => {
  let t: LicenseSuite;
  let issued: Issued;
  let pdf: Buffer;
  let copy: { id: string; verifyUrl: string; verificationCode: string };
  let copyPdf: Buffer;
  let pages: Record<string, string>;

  beforeAll(async () => {
    t = await startLicenseSuite();
    const clerk = await t.clerkToken();
    issued = await issue(t, clerk);
    const id = issued.license.id;
    pdf = Buffer.from(
      await (await t.api(`/v1/licenses/${id}/pdf`, { token: clerk })).arrayBuffer(),
    );
    const until = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const made = await t.api(`/v1/licenses/${id}/copies`, {
      token: clerk,
      body: { purpose: '子女入学', recipient: '鼓楼区教育局', validUntil: until },
    });
    copy = (await made.json()) as typeof copy;
    const copyRes = await t.api(`/v1/licenses/${id}/copies/${copy.id}/pdf`, { token: clerk });
    copyPdf = Buffer.from(await copyRes.arrayBuffer());
    pages = {
      '/verify': t.url('e-license', '/verify'),
      '/verify/{identifier}': t.url(
        'e-license',
        `/verify/${encodeURIComponent(issued.license.identifier)}?code=${issued.verificationCode}`,
      ),
      '/verify/copy/{id}': copy.verifyUrl,
    };
  });
  afterAll(() => t.stop());

  it.each(['/verify', '/verify/{identifier}', '/verify/copy/{id}'])(
    'on %s, the identifier-and-code form leads to the result page',
    async (name) => {
      const page = pages[name]!;
      const { lookup } = formsOf(await (await fetch(page)).text(), page);
      expect(lookup.method).toBe('get');

      const url = new URL(lookup.action);
      url.searchParams.set('identifier', issued.license.identifier);
      url.searchParams.set('code', issued.verificationCode);
      const res = await fetch(url);

      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('该电子证照有效');
      expect(html).toContain('This license is valid');
      expect(html).toContain('电子证照核验');
      expect(html).toContain('License verification');
    },
  );

  it.each(['/verify', '/verify/{identifier}', '/verify/copy/{id}'])(
    'on %s, the upload form checks a license PDF and a copy PDF',
    async (name) => {
      const page = pages[name]!;
      const { upload } = formsOf(await (await fetch(page)).text(), page);
      expect(upload.method).toBe('post');

      for (const [file, zh, en] of [
        [pdf, '该电子证照有效', 'This license is valid'],
        [copyPdf, '加注件，仅用于“子女入学”', 'Annotated copy for 子女入学'],
      ] as const) {
        const form = new FormData();
        form.set('file', new Blob([new Uint8Array(file)], { type: 'application/pdf' }), 'l.pdf');
        const res = await fetch(upload.action, { method: 'POST', body: form });

        expect(res.status).toBe(200);
        const html = await res.text();
        expect(html).toContain('✔ 文件真实有效');
        expect(html).toContain('The file is genuine and the license is valid');
        expect(html).toContain(zh);
        expect(html).toContain(en);
      }
    },
  );

  it('answers the copy page with the copy, not the license, for the copy’s own code', async () => {
    const html = await (await fetch(copy.verifyUrl)).text();
    expect(html).toContain('加注件有效期至');
    expect(html).toContain('Copy valid until');
    expect(html).toContain('鼓楼区教育局');
  });

  it('prints a QR code on an issued license that opens a page saying it is valid', async () => {
    const url = decodeQr(pdf);
    expect(url).toBe(pages['/verify/{identifier}']);

    const html = await (await fetch(url!)).text();
    expect(html).toContain('✔ 该电子证照有效');
    expect(html).toContain('This license is valid');
  });

  it('prints a QR code on an annotated copy that opens the copy’s page', async () => {
    const url = decodeQr(copyPdf);
    expect(url).toBe(copy.verifyUrl);

    const html = await (await fetch(url!)).text();
    expect(html).toContain('✔ 加注件，仅用于“子女入学”');
  });
});
