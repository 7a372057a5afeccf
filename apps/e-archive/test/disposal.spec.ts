import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import {
  metadataFor,
  startArchiveKit,
  type ArchiveKit,
  blobPath as blobPathOf,
} from './archive-test-kit.js';
import { generatedPdf } from './generated-pdf.js';

interface Disposal {
  id: string;
  status: string;
  tombstone: Record<string, string> | null;
}

describe('disposal of records past retention takes two archivists', () => {
  let kit: ArchiveKit;
  let first: string;
  let second: string;
  let reader: string;
  let expired: { id: string; sha256: string; archivalCode: string };
  let current: { id: string };

  const archivistToken = (sub: string) =>
    kit.personToken(
      sub,
      ['archive:dispose', 'archive:read'],
      [
        { role: 'archive:dispose', unit: 'J001' },
        { role: 'archive:read', unit: 'J001' },
      ],
    );

  beforeAll(async () => {
    kit = await startArchiveKit({ alone: true });
    first = await archivistToken('archivist-a');
    second = await archivistToken('archivist-b');
    reader = await kit.personToken(
      'reader',
      ['archive:read'],
      [{ role: 'archive:read', unit: 'J001' }],
    );
    // D10 from 2010: kept until 31 December 2020.
    const old = await kit.ingest(
      await generatedPdf(),
      metadataFor({
        year: 2010,
        date: '2010-06-01',
        retention: 'D10',
        title: '二〇一〇年工作总结',
      }),
    );
    expired = (await old.json()) as typeof expired;
    const now = await kit.ingest(await generatedPdf(), metadataFor({ retention: 'D10' }));
    current = (await now.json()) as typeof current;
  });

  afterAll(async () => {
    await kit?.stop();
  });

  const blobPath = (sha256: string) => blobPathOf(kit, sha256);

  it('lists the expired record and not the one still within its retention', async () => {
    const list = (await (
      await kit.api('/v1/disposal-candidates?fondsCode=J001', first)
    ).json()) as {
      id: string;
    }[];
    expect(list.map((r) => r.id)).toEqual([expired.id]);
    const early = await kit.api('/v1/disposals', first, {
      body: { recordId: current.id, reason: 'too early' },
    });
    expect(((await early.json()) as { code: string }).code).toBe('ArchiveRetentionNotExpired');
  });

  it('refuses the proposer approving his own disposal, and keeps the object', async () => {
    const proposed = (await (
      await kit.api('/v1/disposals', first, {
        body: { recordId: expired.id, reason: '保管期满，经鉴定无继续保存价值' },
      })
    ).json()) as Disposal;
    expect(proposed.status).toBe('proposed');

    const self = await kit.api(`/v1/disposals/${proposed.id}/approval`, first, { method: 'POST' });
    expect(self.status).toBe(403);
    expect(((await self.json()) as { code: string }).code).toBe('ArchiveDisposalSameArchivist');
    expect(existsSync(blobPath(expired.sha256))).toBe(true);

    const again = await kit.api('/v1/disposals', second, {
      body: { recordId: expired.id, reason: 'twice' },
    });
    expect(((await again.json()) as { code: string }).code).toBe('ArchiveDisposalPending');
  });

  it('disposes on a second archivist: object deleted, tombstone kept, audit logged', async () => {
    const [pending] = (await (
      await kit.api('/v1/disposals?status=proposed', second)
    ).json()) as Disposal[];
    const res = await kit.api(`/v1/disposals/${pending!.id}/approval`, second, { method: 'POST' });
    const done = (await res.json()) as Disposal;
    expect(res.status).toBe(200);
    expect(done.status).toBe('approved');
    expect(done.tombstone).toMatchObject({
      archivalCode: expired.archivalCode,
      title: '二〇一〇年工作总结',
      sha256: expired.sha256,
      proposedBy: 'archivist-a',
      approvedBy: 'archivist-b',
    });
    expect(existsSync(blobPath(expired.sha256))).toBe(false);

    const record = (await (
      await kit.api(`/v1/records/${expired.id}?purpose=check`, reader)
    ).json()) as {
      disposedAt: string | null;
      archivalCode: string;
    };
    expect(record.disposedAt).not.toBeNull();
    expect(record.archivalCode).toBe(expired.archivalCode);
    const download = await kit.api(`/v1/records/${expired.id}/content?purpose=x`, reader);
    expect(download.status).toBe(410);

    // The audit chain holds the proposal and the approval, each by its own archivist, and
    // nothing for the refused self-approval.
    expect(await disposalAudit(expired.id)).toEqual([
      {
        action: 'archive.disposal.propose',
        actor: 'archivist-a',
        details: expect.objectContaining({
          disposalId: pending!.id,
          archivalCode: expired.archivalCode,
          reason: '保管期满，经鉴定无继续保存价值',
        }) as unknown,
      },
      {
        action: 'archive.disposal.approve',
        actor: 'archivist-b',
        details: expect.objectContaining({
          disposalId: pending!.id,
          proposedBy: 'archivist-a',
        }) as unknown,
      },
    ]);
    await expectChainIntact();
  });

  it('keeps the record when the second archivist rejects, and logs both decisions', async () => {
    const res = await kit.ingest(
      await generatedPdf(),
      metadataFor({ year: 2011, date: '2011-05-04', retention: 'D10', title: '二〇一一年计划' }),
    );
    const record = (await res.json()) as { id: string; sha256: string };
    const proposed = (await (
      await kit.api('/v1/disposals', first, {
        body: { recordId: record.id, reason: '保管期满' },
      })
    ).json()) as Disposal;

    const self = await kit.api(`/v1/disposals/${proposed.id}/rejection`, first, {
      method: 'POST',
    });
    expect(((await self.json()) as { code: string }).code).toBe('ArchiveDisposalSameArchivist');
    const rejected = await kit.api(`/v1/disposals/${proposed.id}/rejection`, second, {
      method: 'POST',
    });
    expect(rejected.status).toBe(200);
    expect((await rejected.json()) as Disposal).toMatchObject({
      status: 'rejected',
      tombstone: null,
    });

    // Nothing was deleted: the object is there and still served, the record not disposed.
    expect(existsSync(blobPath(record.sha256))).toBe(true);
    const kept = (await (
      await kit.api(`/v1/records/${record.id}?purpose=check`, reader)
    ).json()) as {
      disposedAt: string | null;
    };
    expect(kept.disposedAt).toBeNull();
    expect((await kit.api(`/v1/records/${record.id}/content?purpose=check`, reader)).status).toBe(
      200,
    );

    // A decided disposal stays decided; the record may be proposed again later.
    const late = await kit.api(`/v1/disposals/${proposed.id}/approval`, second, { method: 'POST' });
    expect(((await late.json()) as { code: string }).code).toBe('ArchiveDisposalAlreadyDecided');
    const again = await kit.api('/v1/disposals', second, {
      body: { recordId: record.id, reason: '再次鉴定' },
    });
    expect(((await again.json()) as Disposal).status).toBe('proposed');
    expect((await disposalAudit(record.id)).map((e) => [e.action, e.actor])).toEqual([
      ['archive.disposal.propose', 'archivist-a'],
      ['archive.disposal.reject', 'archivist-b'],
      ['archive.disposal.propose', 'archivist-b'],
    ]);
    await expectChainIntact();
  });

  async function disposalAudit(recordId: string) {
    return (await kit.archive.get(DataSource).query(
      `SELECT "action","actor","details" FROM "e_archive"."audit_log"
        WHERE "subject" = $1 AND "action" LIKE 'archive.disposal.%' ORDER BY "id"`,
      [`record:${recordId}`],
    )) as { action: string; actor: string; details: Record<string, unknown> }[];
  }

  async function expectChainIntact() {
    const admin = await kit.personToken('keeper', ['archive:admin'], []);
    const chain = (await (await kit.api('/v1/audit/verification', admin)).json()) as {
      ok: boolean;
    };
    expect(chain.ok).toBe(true);
  }
});
