import {
  DEMO_DEFINING_AUTHORITY,
  DEMO_ISSUING_AUTHORITY,
  demoLayout,
} from '../src/demo/demo-catalogue.js';
import { issue, residence } from './fixtures.js';
import { startLicenseSuite, type LicenseSuite } from './license-suite.js';

/** Hostile input found by probing the running suite; each must be a 4xx problem, never a 500. */
describe('e-license refuses hostile input with a problem, not a 500', () => {
  let t: LicenseSuite;
  let clerk: string;

  beforeAll(async () => {
    t = await startLicenseSuite();
    clerk = await t.clerkToken();
  });

  afterAll(async () => {
    await t?.stop();
  });

  async function expectBadRequest(res: Response) {
    const body = (await res.json()) as { code: string; errors?: { messages: string[] }[] };
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(body.code).toBe('ValidationFailed');
    expect(JSON.stringify(body)).toContain('NUL');
  }

  it('answers 400 to a NUL character in a path parameter (PostgreSQL cannot hold it)', async () => {
    await expectBadRequest(await t.api('/v1/types/%00', { token: clerk }));
    await expectBadRequest(await t.api('/v1/types/a%00b/versions', { token: clerk }));
    await expectBadRequest(await t.api('/v1/authorities/%00', { token: clerk }));
  });

  it('answers 400 to a NUL character in a JSON body string', async () => {
    const res = await fetch(t.url('e-license', '/v1/verification'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"identifier":"12345678901234567890\\u0000","code":"1234"}',
    });
    await expectBadRequest(res);
  });

  it('refuses a holder name with invisible or control characters (it is printed on the face)', async () => {
    for (const name of ['张\u202e三小', '\u200b\u200b', '张\u0008三', '  ']) {
      const res = await t.api('/v1/licenses', {
        token: clerk,
        body: residence({}, { name, codeType: '111', code: '11010519491231002X' }),
      });
      const body = (await res.json()) as { code: string; errors: { field: string }[] };
      expect(res.status).toBe(400);
      expect(body.code).toBe('ValidationFailed');
      expect(body.errors.map((e) => e.field)).toEqual(['holder.name']);
    }
  });

  it('answers 400 to a query parameter given twice (it arrived as an array: .trim is not a function)', async () => {
    const issuer = DEMO_ISSUING_AUTHORITY.uscc;
    for (const [path, token] of [
      [`/v1/licenses?issuer=${issuer}&issuer=${issuer}`, clerk],
      ['/verify/lookup?identifier=a&identifier=b&code=1234', undefined],
    ] as const) {
      const res = await t.api(path, { token });
      const body = (await res.json()) as { code: string; errors: { field: string }[] };
      expect(res.status).toBe(400);
      expect(body.code).toBe('ValidationFailed');
      expect(body.errors[0]!.field).toMatch(/^(issuer|identifier)$/);
    }
  });

  it('answers 400 to an offset beyond PostgreSQL bigint, and still lists with a sane one', async () => {
    const issuer = DEMO_ISSUING_AUTHORITY.uscc;
    for (const offset of ['99999999999999999999', '1e300', '-1', '1.5']) {
      const res = await t.api(`/v1/licenses?issuer=${issuer}&offset=${offset}`, { token: clerk });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('InvalidQuery');
    }
    const ok = await t.api(`/v1/licenses?issuer=${issuer}&offset=1000000`, { token: clerk });
    expect(ok.status).toBe(200);
  });

  it('answers 400 to JSON nested 100,000 deep (class-transformer overflowed the stack: 500)', async () => {
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    for (const [path, token] of [
      ['/v1/verification', undefined],
      ['/v1/licenses', clerk],
    ] as const) {
      const res = await fetch(t.url('e-license', path), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: deep,
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { code: string; errors: { messages: string[] }[] };
      expect(body.code).toBe('ValidationFailed');
      expect(body.errors[0]!.messages[0]).toContain('nest');
    }
  });

  it('answers a damaged PDF uploaded for verification with 422, not a 502 blaming e-seal', async () => {
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'x.pdf');
    const res = await fetch(t.url('e-license', '/v1/verification/document'), {
      method: 'POST',
      body: form,
    });
    const body = (await res.json()) as { code: string; eSealCode: string };
    expect(res.status).toBe(422);
    expect(body).toMatchObject({ code: 'PdfUnreadable', eSealCode: 'PdfDamaged' });
  });

  it("matches a type's field patterns in linear time: ^(a+)+$ used to freeze the process", async () => {
    const admin = await t.token({ sub: 'admin-1', scopes: ['license:admin'] });
    const code = `${DEMO_DEFINING_AUTHORITY.uscc}077`;
    const type = await t.api('/v1/types', {
      token: admin,
      body: {
        code,
        name: '回溯测试证',
        definingAuthorityName: DEMO_DEFINING_AUTHORITY.name,
        definingAuthorityUscc: DEMO_DEFINING_AUTHORITY.uscc,
        holderCategory: 1,
        issuingLevel: '市级',
        fieldsSchema: {
          type: 'object',
          additionalProperties: false,
          required: ['tag'],
          properties: { tag: { type: 'string', maxLength: 100, pattern: '^(a+)+$' } },
        },
        validityYears: 1,
        layout: {
          ...demoLayout,
          fields: [{ key: 'tag', label: '标记：', x: 80, y: 620, size: 12 }],
        },
      },
    });
    expect(type.status).toBe(201);
    const started = Date.now();
    const res = await t.api('/v1/licenses', {
      token: clerk,
      body: {
        typeCode: code,
        issuerUscc: DEMO_ISSUING_AUTHORITY.uscc,
        holder: { name: '张小三', codeType: '111', code: '11010519491231002X' },
        // 2^99 paths for a backtracking engine; RE2 answers at once.
        fields: { tag: `${'a'.repeat(99)}!` },
      },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('FieldsInvalid');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a type whose pattern RE2 cannot match in linear time (a backreference)', async () => {
    const admin = await t.token({ sub: 'admin-1', scopes: ['license:admin'] });
    const res = await t.api('/v1/types', {
      token: admin,
      body: {
        code: `${DEMO_DEFINING_AUTHORITY.uscc}078`,
        name: '回溯测试证',
        definingAuthorityName: DEMO_DEFINING_AUTHORITY.name,
        definingAuthorityUscc: DEMO_DEFINING_AUTHORITY.uscc,
        holderCategory: 1,
        issuingLevel: '市级',
        fieldsSchema: {
          type: 'object',
          properties: { tag: { type: 'string', pattern: '^(a)\\1$' } },
        },
        validityYears: 1,
        layout: {
          ...demoLayout,
          fields: [{ key: 'tag', label: '标记：', x: 80, y: 620, size: 12 }],
        },
      },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('InvalidLicenseType');
  });

  it('refuses an annotated copy whose purpose or recipient hides or reorders text (printed on it)', async () => {
    const issued = await issue(t, clerk, residence());
    for (const body of [
      { purpose: '\u202e学入女子', recipient: '福州市鼓楼区教育局' },
      { purpose: '子女入学', recipient: '\u200b\u200b' },
    ]) {
      const res = await t.api(`/v1/licenses/${issued.license.id}/copies`, {
        token: clerk,
        body: {
          ...body,
          validUntil: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
        },
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('ValidationFailed');
    }
  });
});
