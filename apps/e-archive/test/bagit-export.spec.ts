import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { metadataFor, startArchiveKit, type ArchiveKit } from './archive-test-kit.js';
import { generatedPdf } from './generated-pdf.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** RFC 8493 2.1.3 / 2.2.3: "<checksum> <filepath>" lines, LF terminated, paths relative. */
function readManifest(text: string): Map<string, string> {
  expect(text.endsWith('\n')).toBe(true);
  const entries = new Map<string, string>();
  for (const line of text.slice(0, -1).split('\n')) {
    const m = /^([0-9a-f]{64})[ \t]+(\S.*)$/.exec(line);
    expect(m).not.toBeNull();
    const path = decodeURIComponent(m![2]!.replace(/%(?!0A|0D|25)/gi, '%25'));
    expect(entries.has(path)).toBe(false);
    entries.set(path, m![1]!);
  }
  return entries;
}

describe('export as a BagIt bag, checked against RFC 8493 with tar and sha256sum', () => {
  let kit: ArchiveKit;
  let reader: string;
  const ids: string[] = [];
  const pdfs: Buffer[] = [];
  let work: string;

  beforeAll(async () => {
    kit = await startArchiveKit({ alone: true });
    reader = await kit.personToken(
      'archivist-1',
      ['archive:read'],
      [{ role: 'archive:read', unit: 'J001' }],
    );
    for (const title of ['关于印发<实施方案>的通知 & 附件', 'Second record']) {
      const pdf = await generatedPdf({ pages: 2 });
      const res = await kit.ingest(pdf, metadataFor({ title, pageCount: 2 }));
      ids.push(((await res.json()) as { id: string }).id);
      pdfs.push(pdf);
    }
    work = mkdtempSync(join(tmpdir(), 'bag-test-'));
  });

  afterAll(async () => {
    rmSync(work, { recursive: true, force: true });
    await kit?.stop();
  });

  it('gives a bag whose every required file, line and digest follows the RFC', async () => {
    const res = await kit.api('/v1/exports', reader, {
      body: { recordIds: ids, purpose: '移交进馆' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-tar');
    const tarFile = join(work, 'bag.tar');
    writeFileSync(tarFile, Buffer.from(await res.arrayBuffer()));
    // GNU tar, not our writer, reads the archive.
    execFileSync('tar', ['-xf', tarFile, '-C', work]);
    const [bagName] = readdirSync(work).filter((n) => n.startsWith('bag-'));
    const bag = join(work, bagName!);

    // 2.1.1 bag declaration: exactly these two lines.
    expect(readFileSync(join(bag, 'bagit.txt'), 'utf8')).toBe(
      'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
    );

    // 2.2.2 bag-info.txt: "label: value" lines; Payload-Oxum is octets.streams of data/.
    const info = readFileSync(join(bag, 'bag-info.txt'), 'utf8');
    const fields = new Map<string, string>();
    for (const line of info.trimEnd().split('\n')) {
      const m = /^([^:\s][^:]*): (.+)$/.exec(line);
      expect(m).not.toBeNull();
      fields.set(m![1]!, m![2]!);
    }
    const payload = filesUnder(join(bag, 'data'));
    const octets = payload.reduce((n, f) => n + statSync(f).size, 0);
    expect(fields.get('Payload-Oxum')).toBe(`${octets}.${payload.length}`);
    expect(fields.get('Bagging-Date')).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // 3: every payload file is in the manifest with its digest, and nothing else is.
    const manifest = readManifest(readFileSync(join(bag, 'manifest-sha256.txt'), 'utf8'));
    expect([...manifest.keys()].sort()).toEqual(payload.map((f) => relative(bag, f)).sort());
    for (const f of payload) expect(manifest.get(relative(bag, f))).toBe(sha256(readFileSync(f)));

    // 2.2.1 tag manifest: the tag files, with their digests.
    const tags = readManifest(readFileSync(join(bag, 'tagmanifest-sha256.txt'), 'utf8'));
    expect([...tags.keys()].sort()).toEqual(['bag-info.txt', 'bagit.txt', 'manifest-sha256.txt']);
    for (const [path, digest] of tags) expect(sha256(readFileSync(join(bag, path)))).toBe(digest);

    // And coreutils agrees with both manifests.
    execFileSync('sha256sum', ['--strict', '-c', 'manifest-sha256.txt'], { cwd: bag });
    execFileSync('sha256sum', ['--strict', '-c', 'tagmanifest-sha256.txt'], { cwd: bag });

    // The PDFs are the originals, the XML names the record and escapes the title.
    const pdfFiles = payload.filter((f) => f.endsWith('.pdf')).map((f) => readFileSync(f));
    expect(pdfFiles.map(sha256).sort()).toEqual(pdfs.map(sha256).sort());
    const xml = payload.filter((f) => f.endsWith('.xml')).map((f) => readFileSync(f, 'utf8'));
    expect(xml.join('')).toContain('关于印发&#60;实施方案&#62;的通知 &#38; 附件');
    expect(xml.join('')).toContain('<archivalCode zh="档号">J001-WS·2025·D10·BGS-');
  });

  it('refuses an export without a purpose', async () => {
    const res = await kit.api('/v1/exports', reader, { body: { recordIds: ids } });
    expect(res.status).toBe(400);
  });
});
