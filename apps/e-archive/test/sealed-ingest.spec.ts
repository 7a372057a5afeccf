import { ServiceTokenClient } from '#auth';
import { corpusFile, metadataFor, startArchiveKit, type ArchiveKit } from './archive-test-kit.js';
import { generatedPdf } from './generated-pdf.js';

interface Check {
  name: string;
  outcome: string;
  warnings?: string[];
  facts?: { count?: number };
}
interface Answer {
  code?: string;
  archivalCode?: string;
  report: {
    passed: boolean;
    failed: string[];
    properties: Record<string, { checks: Check[] }>;
  };
}

const checkNamed = (a: Answer, name: string) =>
  Object.values(a.report.properties)
    .flatMap((p) => p.checks)
    .find((c) => c.name === name);

// e-seal's demo seal of e-license's demo authority, usable by the client svc-e-license.
const SEAL_ID = '5ea10000-0000-4000-8000-000000000003';

describe('ingest of sealed and corpus PDFs, seals verified by the real e-seal', () => {
  let kit: ArchiveKit;
  let sealed: Buffer;

  beforeAll(async () => {
    kit = await startArchiveKit({ env: { DEMO_DATA: 'true' } });
    const token = await new ServiceTokenClient(kit.ctx, 'e-license').getToken('e-seal', [
      'seal:apply',
    ]);
    const body = new FormData();
    const pdf = await generatedPdf({ title: 'Sealed notice' });
    body.append('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'n.pdf');
    body.append('sealId', SEAL_ID);
    body.append('reason', '归档测试');
    body.append('x', '400');
    body.append('y', '100');
    const res = await fetch(kit.url('e-seal', '/v1/sealing'), {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.status !== 200) throw new Error(`sealing refused: ${await res.text()}`);
    sealed = Buffer.from(await res.arrayBuffer());
  });

  afterAll(async () => {
    await kit?.stop();
  });

  const ingest = async (file: Buffer, meta: Record<string, unknown> = {}) => {
    const res = await kit.ingest(file, metadataFor(meta));
    return { status: res.status, body: (await res.json()) as Answer };
  };

  it('archives a PDF sealed by e-seal, its seal verified intact', async () => {
    const { status, body } = await ingest(sealed);
    expect(status).toBe(201);
    const seals = checkNamed(body, 'authenticity.signaturesVerified');
    expect(seals).toMatchObject({ outcome: 'passed', facts: { count: 1 } });
  });

  it('refuses the sealed PDF with one signed byte changed: authenticity fails', async () => {
    const tampered = Buffer.from(sealed);
    const at = tampered.indexOf('Sealed notice', 0, 'latin1');
    tampered[at > 0 ? at : 200] ^= 0x01;
    const { status, body } = await ingest(tampered);
    expect(status).toBe(422);
    expect(body.code).toBe('FourPropertiesFailed');
    expect(body.report.failed).toContain('authenticity.signaturesVerified');
  });

  it('archives the unsigned corpus paper pdfjs-tracemonkey.pdf (14 pages)', async () => {
    const { status, body } = await ingest(corpusFile('pdfjs-tracemonkey.pdf'), { pageCount: 14 });
    expect(status).toBe(201);
    expect(body.report.passed).toBe(true);
  });

  it('archives the signed form pdfjs-160F-2019.pdf unaltered, its scripts recorded', async () => {
    const { status, body } = await ingest(corpusFile('pdfjs-160F-2019.pdf'));
    expect(status).toBe(201);
    const active = checkNamed(body, 'security.noActiveContent');
    expect(active?.warnings?.join(' ')).toContain('form-field script(s) kept unaltered');
  });

  it('refuses an unsigned PDF that runs a script when opened, under security', async () => {
    const pdf = await generatedPdf({ openActionScript: 'app.alert(1)' });
    const { status, body } = await ingest(pdf);
    expect(status).toBe(422);
    expect(body.report.failed).toEqual(['security.noActiveContent']);
  });

  it('archives a file signed by others, intact but untrusted here, with a warning', async () => {
    const { status, body } = await ingest(corpusFile('qpdf-digitally-signed.pdf'));
    expect(status).toBe(201);
    const seals = checkNamed(body, 'authenticity.signaturesVerified');
    expect(seals?.warnings?.join(' ')).toContain('not trusted');
  });

  it('refuses dss-pdf-signed-corrupted.pdf under authenticity', async () => {
    const { status, body } = await ingest(corpusFile('dss-pdf-signed-corrupted.pdf'));
    expect(status).toBe(422);
    expect(body.report.failed).toContain('authenticity.signaturesVerified');
  });

  it('refuses qpdf-bad1.pdf (not a PDF) under usability, and the encrypted one too', async () => {
    const bad = await ingest(corpusFile('qpdf-bad1.pdf'));
    expect(bad.status).toBe(422);
    expect(bad.body.report.failed).toEqual(
      expect.arrayContaining(['usability.opens', 'usability.formatAllowed']),
    );
    const aes = await ingest(corpusFile('qpdf-V4-aes.pdf'), { pageCount: 30 });
    expect(aes.body.report.failed).toEqual(['usability.notEncrypted']);
  });
});
