import { chmodSync, writeFileSync, rmSync } from 'node:fs';
import { DataSource } from 'typeorm';
import {
  metadataFor,
  startArchiveKit,
  type ArchiveKit,
  blobPath as blobPathOf,
} from './archive-test-kit.js';
import { generatedPdf } from './generated-pdf.js';

interface Run {
  checked: number;
  failures: number;
  failed: { recordId: string; outcome: string }[];
}

describe('fixity and the audit chain', () => {
  let kit: ArchiveKit;
  let admin: string;
  let reader: string;
  const ids: string[] = [];
  const hashes: string[] = [];

  beforeAll(async () => {
    kit = await startArchiveKit({ alone: true });
    admin = await kit.personToken('keeper', ['archive:admin'], []);
    reader = await kit.personToken(
      'archivist-1',
      ['archive:read'],
      [{ role: 'archive:read', unit: 'J001' }],
    );
    for (let i = 0; i < 3; i++) {
      const res = await kit.ingest(await generatedPdf(), metadataFor());
      const body = (await res.json()) as { id: string; sha256: string };
      ids.push(body.id);
      hashes.push(body.sha256);
    }
  });

  afterAll(async () => {
    await kit?.stop();
  });

  const blobPath = (sha256: string) => blobPathOf(kit, sha256);

  it('finds every object intact on a clean store, and records it on each record', async () => {
    const run = (await (await kit.api('/v1/fixity-runs', admin, { method: 'POST' })).json()) as Run;
    expect(run).toMatchObject({ checked: 3, failures: 0, failed: [] });
    const rec = (await (await kit.api(`/v1/records/${ids[0]}?purpose=check`, reader)).json()) as {
      lastFixity: { outcome: string };
    };
    expect(rec.lastFixity.outcome).toBe('ok');
  });

  it('finds a blob altered on disk and one deleted, and names their records', async () => {
    const altered = blobPath(hashes[1]!);
    chmodSync(altered, 0o644);
    writeFileSync(altered, Buffer.from('%PDF-1.7 tampered'));
    rmSync(blobPath(hashes[2]!));

    const run = (await (await kit.api('/v1/fixity-runs', admin, { method: 'POST' })).json()) as Run;
    expect(run.failures).toBe(2);
    expect(run.failed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ recordId: ids[1], outcome: 'mismatch' }),
        expect.objectContaining({ recordId: ids[2], outcome: 'missing' }),
      ]),
    );
    const history = (await (await kit.api(`/v1/records/${ids[1]}/fixity`, reader)).json()) as {
      last: { outcome: string };
      events: { outcome: string }[];
    };
    expect(history.last.outcome).toBe('mismatch');
    expect(history.events.map((e) => e.outcome)).toEqual(['mismatch', 'ok']);

    // A changed object is served to no one.
    const download = await kit.api(`/v1/records/${ids[1]}/content?purpose=check`, reader);
    expect(((await download.json()) as { code: string }).code).toBe('ArchiveBlobCorrupted');
  });

  it('refuses fixity runs to a caller without archive:admin', async () => {
    expect((await kit.api('/v1/fixity-runs', reader, { method: 'POST' })).status).toBe(403);
  });

  it('verifies the audit chain, then names the first broken link after a row is edited', async () => {
    const ok = (await (await kit.api('/v1/audit/verification', admin)).json()) as {
      ok: boolean;
      checked: number;
    };
    expect(ok.ok).toBe(true);
    expect(ok.checked).toBeGreaterThan(5);

    const ds = kit.archive.get(DataSource);
    const [row] = (await ds.query(
      `SELECT id FROM e_archive.audit_log WHERE action = 'archive.record.ingest' ORDER BY id LIMIT 1 OFFSET 1`,
    )) as { id: string }[];
    await ds.query(`UPDATE e_archive.audit_log SET actor = 'someone-else' WHERE id = $1`, [
      row!.id,
    ]);

    const broken = (await (await kit.api('/v1/audit/verification', admin)).json()) as {
      ok: boolean;
      firstBrokenId: string;
    };
    expect(broken).toMatchObject({ ok: false, firstBrokenId: String(row!.id) });
  });
});
