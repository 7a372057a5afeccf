import { DataSource } from 'typeorm';
import { archivalMetadata } from '../src/archiving/archival-metadata.js';
import type { OutboxJobView } from '../src/archiving/archive-outbox.repository.js';
import { ArchiveOutboxWorker } from '../src/archiving/archive-outbox.worker.js';
import { LicenseRepository } from '../src/issuance/license.repository.js';
import { freePort } from '../../../test/support/test-suite.js';
import { businessLicense, issue, type Issued } from './fixtures.js';
import { startLicenseSuite, type LicenseSuite } from './license-suite.js';

describe('the archive outbox', () => {
  let t: LicenseSuite;
  let clerk: string;
  let admin: string;
  let worker: ArchiveOutboxWorker;
  let eArchive: string;
  let transient: Issued;
  let refused: Issued;

  const job = async (l: Issued) =>
    (await (
      await t.api(`/v1/licenses/${l.license.id}/archiving`, { token: clerk })
    ).json()) as OutboxJobView;

  /** Runs passes (the background pass may hold a job's lease) until `done` holds. */
  const passUntil = async (l: Issued, done: (j: OutboxJobView) => boolean) => {
    let j = await job(l);
    for (let i = 0; i < 50 && !done(j); i++) {
      await worker.runOnce();
      j = await job(l);
      if (!done(j)) await new Promise((r) => setTimeout(r, 200));
    }
    return j;
  };

  beforeAll(async () => {
    t = await startLicenseSuite();
    clerk = await t.clerkToken();
    admin = await t.token({ sub: 'admin-1', scopes: ['license:admin'] });
    worker = t.suite.apps['e-license'].get(ArchiveOutboxWorker);

    // e-archive unreachable while both licenses are issued: nothing is archived yet.
    eArchive = t.ctx.serviceUrls['e-archive'];
    t.ctx.serviceUrls['e-archive'] = `http://127.0.0.1:${await freePort()}/e-archive`;
    transient = await issue(t, clerk);
    refused = await issue(t, clerk, businessLicense());
  });
  afterAll(async () => {
    t.ctx.serviceUrls['e-archive'] = eArchive;
    await t.stop();
  });

  it('keeps a job while e-archive is unreachable and backs off before the next attempt', async () => {
    const j = await passUntil(transient, (x) => x.attempts >= 1);

    expect(j).toMatchObject({ status: 'pending', archived_at: null, dead_at: null });
    expect(j.last_error).toMatch(/e-archive unreachable: .*ECONNREFUSED/);
    const wait = new Date(j.next_attempt_at!).getTime() - Date.now();
    expect(wait).toBeGreaterThan(5_000);
  });

  it('marks a job dead when e-archive refuses it for good, and lists it for the admin', async () => {
    // Someone archived another file under this license's identifier: e-archive answers 409
    // SourceIdConflict to every later submission, so retrying can never succeed.
    const other = await t.api(`/v1/licenses/${transient.license.id}/pdf`, { token: clerk });
    const otherPdf = Buffer.from(await other.arrayBuffer());
    const license = await t.suite.apps['e-license'].get(LicenseRepository).byId(refused.license.id);
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(otherPdf)], { type: 'application/pdf' }), 'x.pdf');
    form.set(
      'metadata',
      JSON.stringify(archivalMetadata(license!, transient.license.documentSha256)),
    );
    const archivist = await t.issuer!.token(t.ctx, 'e-archive', {
      sub: 'archivist-1',
      scopes: ['archive:ingest'],
      roles: [{ role: 'archive:ingest', unit: '*' }],
    });
    const pre = await fetch(`${eArchive}/v1/records`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${archivist}` },
    });
    expect(pre.status).toBe(201);

    t.ctx.serviceUrls['e-archive'] = eArchive;
    await t.suite.apps['e-license']
      .get(DataSource)
      .query(
        `UPDATE "e_license"."archive_outbox" SET "next_attempt_at" = now() WHERE "license_id" = $1`,
        [refused.license.id],
      );
    const j = await passUntil(refused, (x) => x.status !== 'pending');

    expect(j).toMatchObject({
      status: 'dead',
      problem_code: 'ArchiveSourceIdConflict',
      archived_at: null,
    });
    expect(j.problem_detail).toMatch(/different file/);
    const before = j.attempts;
    await worker.runOnce();
    expect((await job(refused)).attempts).toBe(before);

    const list = await t.api('/v1/admin/archive-outbox?status=dead', { token: admin });
    expect(list.status).toBe(200);
    expect(((await list.json()) as OutboxJobView[]).map((x) => x.license_id)).toEqual([
      refused.license.id,
    ]);
    const asClerk = await t.api('/v1/admin/archive-outbox?status=dead', { token: clerk });
    expect(asClerk.status).toBe(403);
  });

  it('retries the transiently failed job once it is due, and it lands in e-archive', async () => {
    // The back-off has not run out; make the job due as if its 10 s had passed.
    await t.suite.apps['e-license']
      .get(DataSource)
      .query(
        `UPDATE "e_license"."archive_outbox" SET "next_attempt_at" = now() WHERE "license_id" = $1`,
        [transient.license.id],
      );

    const j = await passUntil(transient, (x) => x.status !== 'pending');

    expect(j).toMatchObject({ status: 'archived', last_error: null, dead_at: null });
    expect(j.attempts).toBeGreaterThanOrEqual(2);
    expect(j.archive_record_id).toEqual(expect.any(String));
  });

  it('answers an unknown status with a stable code', async () => {
    const res = await t.api('/v1/admin/archive-outbox?status=lost', { token: admin });

    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'InvalidQuery' });
  });
});
