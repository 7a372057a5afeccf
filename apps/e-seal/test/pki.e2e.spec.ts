import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { createTimeStampRequest } from '#pki';
import { startSealTestSuite, type SealTestSuite } from '../src/testing/seal-test-suite.js';

describe('the platform PKI endpoints', () => {
  let t: SealTestSuite;
  const dir = mkdtempSync(join(tmpdir(), 'e-seal-pki-'));
  const openssl = (args: string[]) =>
    execFileSync('openssl', args, {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  beforeAll(async () => {
    t = await startSealTestSuite();
  });

  afterAll(() => t.stop());

  it('serves the issuing and root CA certificates, the issuing one chaining to the root', async () => {
    const res = await fetch(t.url('e-seal', '/v1/pki/ca'));
    const [issuing, root] = (await res.text()).split(/(?=-----BEGIN CERTIFICATE-----)/);
    writeFileSync(join(dir, 'root.pem'), root!);
    writeFileSync(join(dir, 'issuing.pem'), issuing!);

    const verified = openssl(['verify', '-CAfile', 'root.pem', 'issuing.pem']);
    const text = openssl(['x509', '-in', 'root.pem', '-noout', '-subject', '-nameopt', 'utf8']);

    expect(verified).toContain('issuing.pem: OK');
    expect(text).toContain('政务服务平台根证书');
  });

  it('serves a DER CRL signed by the issuing CA', async () => {
    const res = await fetch(t.url('e-seal', '/v1/pki/crl'));
    writeFileSync(join(dir, 'c.crl'), Buffer.from(await res.arrayBuffer()));

    const out = execFileSync(
      'openssl',
      ['crl', '-inform', 'DER', '-in', 'c.crl', '-CAfile', 'issuing.pem', '-noout', '-text'],
      { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );

    expect(res.headers.get('content-type')).toBe('application/pkix-crl');
    expect(out).toContain('X509v3 CRL Number');
  });

  it('answers an RFC 3161 query with a token openssl verifies against the platform root', async () => {
    const data = Buffer.from('要加时间戳的文件');
    const request = createTimeStampRequest(createHash('sha256').update(data).digest());
    writeFileSync(join(dir, 'data.bin'), data);
    writeFileSync(join(dir, 'req.tsq'), request.der);

    const res = await fetch(t.url('e-seal', '/v1/tsa'), {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: new Uint8Array(request.der),
    });
    writeFileSync(join(dir, 'resp.tsr'), Buffer.from(await res.arrayBuffer()));
    const verified = execFileSync(
      'openssl',
      [
        'ts',
        '-verify',
        '-in',
        'resp.tsr',
        '-data',
        'data.bin',
        '-CAfile',
        'root.pem',
        '-untrusted',
        'issuing.pem',
      ],
      { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );

    expect(res.headers.get('content-type')).toBe('application/timestamp-reply');
    expect(verified).toContain('Verification: OK');
  });

  it('refuses a time-stamp request sent with another media type', async () => {
    const res = await fetch(t.url('e-seal', '/v1/tsa'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });

    expect(res.status).toBe(415);
    expect(((await res.json()) as { code: string }).code).toBe('TimestampQueryInvalid');
  });

  it('answers 429 with Retry-After once an address has spent its time-stamp budget', async () => {
    const query = createTimeStampRequest(createHash('sha256').update('budget').digest()).der;
    const ask = () =>
      fetch(t.url('e-seal', '/v1/tsa'), {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query' },
        body: new Uint8Array(query),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 125; i++) statuses.push((await ask()).status);
    const refused = await ask();

    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(120);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(100);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ code: 'TooManyRequests' });
    // Verification keeps its own budget.
    const verify = await fetch(t.url('e-seal', '/v1/verification'), { method: 'POST' });
    expect(verify.status).not.toBe(429);
  });

  it('serves the verification page in Chinese and English, with a form that needs no script', async () => {
    const res = await fetch(t.url('e-seal', '/verify'));
    const html = await res.text();

    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain('电子印章验证');
    expect(html).toContain('Verify');
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).not.toContain('<script');
  });
});
