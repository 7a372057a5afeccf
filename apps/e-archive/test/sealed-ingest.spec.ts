import { ServiceTokenClient } from '#auth';
import {
  IncrementalUpdate,
  makeForgeCmsSigner,
  makeTestPki,
  PdfDict,
  PdfDocument,
  PdfName,
  PdfString,
  signPdf,
} from '#pdf';
import { corpusFile, metadataFor, startArchiveKit, type ArchiveKit } from './archive-test-kit.js';
import { generatedPdf } from './generated-pdf.js';

interface Check {
  name: string;
  outcome: string;
  warnings?: string[];
  issues?: { field?: string; message: string }[];
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

/** The same PDF with an incremental update (ISO 32000-1 7.5.6) adding a JavaScript OpenAction. */
function withScriptAppended(pdf: Buffer): Buffer {
  const doc = PdfDocument.load(pdf);
  const update = new IncrementalUpdate(doc);
  const action = update.allocate();
  update.set(
    action,
    new PdfDict([
      ['S', PdfName.of('JavaScript')],
      ['JS', PdfString.fromText('app.alert("appended")')],
    ]),
  );
  update.set(doc.catalogRef, doc.catalog.clone().set('OpenAction', action));
  return update.write().bytes;
}

describe('ingest of sealed and corpus PDFs, seals verified by the real e-seal', () => {
  let kit: ArchiveKit;
  let sealed: Buffer;
  let sealedWithScript: Buffer;

  beforeAll(async () => {
    kit = await startArchiveKit({ env: { DEMO_DATA: 'true' } });
    sealed = await seal(await generatedPdf({ title: 'Sealed notice' }));
    sealedWithScript = await seal(await generatedPdf({ openActionScript: 'this.print()' }));
  });

  /** Seals a PDF through e-seal's public API, as e-license does. */
  async function seal(pdf: Buffer): Promise<Buffer> {
    const token = await new ServiceTokenClient(kit.ctx, 'e-license').getToken('e-seal', [
      'seal:apply',
    ]);
    const body = new FormData();
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
    return Buffer.from(await res.arrayBuffer());
  }

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

  it('archives a platform-sealed original with an open-action script, the script recorded', async () => {
    const { status, body } = await ingest(sealedWithScript);
    expect(status).toBe(201);
    const active = checkNamed(body, 'security.noActiveContent');
    expect(active?.outcome).toBe('passed');
    expect(active?.warnings?.join(' ')).toContain('1 document script(s)');
    expect(checkNamed(body, 'authenticity.signaturesVerified')?.outcome).toBe('passed');
  });

  it('refuses a script appended after the platform seal, though the seal itself verifies', async () => {
    const { status, body } = await ingest(withScriptAppended(sealed));
    expect(status).toBe(422);
    expect(body.report.failed).toContain('security.noActiveContent');
    const active = checkNamed(body, 'security.noActiveContent');
    expect(active?.issues?.map((i) => i.message).join(' ')).toContain(
      'appended after the last seal',
    );
  });

  it('refuses a script beside a signature dictionary in no field, naming it under authenticity', async () => {
    const pdf = await generatedPdf({ bogusSignature: true, openActionScript: 'app.alert(1)' });
    const { status, body } = await ingest(pdf);
    expect(status).toBe(422);
    expect(body.report.failed).toEqual(
      expect.arrayContaining(['authenticity.signaturesVerified', 'security.noActiveContent']),
    );
    const seals = checkNamed(body, 'authenticity.signaturesVerified');
    expect(seals?.issues).toEqual([
      {
        message: expect.stringMatching(
          /^signature dictionary in object \d+ is in no signature field$/,
        ) as string,
      },
    ]);
  });

  it('refuses a script in a file self-signed with a CA of its own: intact, not the platform', async () => {
    const pki = makeTestPki('Self-made');
    const { pdf } = await signPdf(await generatedPdf({ openActionScript: 'app.alert(2)' }), {
      signer: makeForgeCmsSigner(pki),
      subFilter: 'adbe.pkcs7.detached',
    });
    const { status, body } = await ingest(pdf);
    expect(status).toBe(422);
    expect(body.report.failed).toEqual(['security.noActiveContent']);
    const active = checkNamed(body, 'security.noActiveContent');
    expect(active?.issues?.map((i) => i.message).join(' ')).toContain(
      'signer not issued by this platform',
    );
    expect(checkNamed(body, 'authenticity.signaturesVerified')?.warnings?.join(' ')).toContain(
      'not trusted',
    );
  });

  it('refuses the form pdfjs-160F-2019.pdf: its scripts are under usage rights, not a seal', async () => {
    const { status, body } = await ingest(corpusFile('pdfjs-160F-2019.pdf'));
    expect(status).toBe(422);
    expect(body.report.failed).toEqual(['security.noActiveContent']);
    expect(checkNamed(body, 'authenticity.signaturesVerified')?.warnings).toEqual([
      '1 usage-rights signature(s) noted, not verified',
    ]);
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
