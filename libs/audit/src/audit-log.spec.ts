import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '#database';
import { requestContext } from '../../common/src/logging/request-context.js';
import { AuditLog } from './audit-log.js';
import { auditLogMigration } from './audit-log.migration.js';

describe('the hash-chained audit log', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let audit: AuditLog;

  beforeAll(async () => {
    db = await createTestDatabase();
    const boot = new DataSource({ type: 'postgres', url: db.url });
    await boot.initialize();
    await boot.query('CREATE SCHEMA IF NOT EXISTS audit_test');
    await boot.destroy();
    ds = new DataSource({
      type: 'postgres',
      url: db.url,
      schema: 'audit_test',
      migrations: [auditLogMigration('audit_test')],
      migrationsRun: true,
      extra: { max: 8 },
    });
    await ds.initialize();
    audit = new AuditLog(ds);
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('links concurrent appends into one unbroken chain', async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        audit.append({
          action: 'thing.done',
          actor: `user-${i}`,
          subject: 'thing:1',
          details: { i },
        }),
      ),
    );
    expect(await audit.verifyChain()).toEqual({ ok: true, checked: 25 });
  });

  it('appends a batch in order, beside single appends, as one unbroken chain', async () => {
    const before = (await audit.verifyChain()).checked;
    const events = Array.from({ length: 1203 }, (_, i) => ({
      action: 'thing.batched',
      actor: `user-${i}`,
      subject: 'thing:batch',
      details: { i },
    }));
    const [entries] = await Promise.all([
      audit.appendMany(events),
      audit.append({ action: 'thing.single', actor: 'b' }),
      audit.appendMany([{ action: 'thing.small-batch', actor: 'c' }]),
    ]);
    expect(entries.map((e) => e.details.i)).toEqual(events.map((e) => e.details.i));
    for (let i = 1; i < entries.length; i++) {
      expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
      expect(BigInt(entries[i]!.id)).toBeGreaterThan(BigInt(entries[i - 1]!.id));
    }
    expect(await audit.appendMany([])).toEqual([]);
    expect(await audit.verifyChain()).toEqual({ ok: true, checked: before + 1205 });
  });

  it('commits concurrent appends together, each with the request it came from', async () => {
    const entries = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        requestContext.run({ requestId: `req-${i}` }, () =>
          audit.append({ action: 'thing.grouped', actor: `user-${i}` }),
        ),
      ),
    );
    expect(entries.map((e) => e.requestId)).toEqual(entries.map((_, i) => `req-${i}`));
    const stored = (await ds.query(
      `SELECT actor, request_id FROM audit_test.audit_log WHERE action = 'thing.grouped'`,
    )) as { actor: string; request_id: string }[];
    for (const r of stored) expect(r.request_id).toBe(`req-${r.actor.slice(5)}`);
    expect(stored).toHaveLength(12);
    expect((await audit.verifyChain()).ok).toBe(true);
  });

  it('commits an event with the caller transaction, and drops it on rollback', async () => {
    await expect(
      ds.transaction(async (tx) => {
        await audit.append({ action: 'thing.rolled-back', actor: 'a' }, tx);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const rows = (await ds.query(
      `SELECT count(*)::int AS n FROM audit_test.audit_log WHERE action = 'thing.rolled-back'`,
    )) as { n: number }[];
    expect(rows[0]!.n).toBe(0);
    expect((await audit.verifyChain()).ok).toBe(true);
  });

  it('names the first edited entry, and is whole again once the edit is undone', async () => {
    const rows = (await ds.query(
      'SELECT id, actor FROM audit_test.audit_log ORDER BY id LIMIT 1 OFFSET 9',
    )) as { id: string; actor: string }[];
    const { id, actor } = rows[0]!;
    await ds.query(`UPDATE audit_test.audit_log SET actor = 'mallory' WHERE id = $1`, [id]);
    expect(await audit.verifyChain()).toMatchObject({
      ok: false,
      firstBrokenId: String(id),
      reason: 'hash',
    });
    await ds.query(`UPDATE audit_test.audit_log SET actor = $2 WHERE id = $1`, [id, actor]);
    expect((await audit.verifyChain()).ok).toBe(true);
  });

  it('notices a deleted tail through the chain head', async () => {
    await ds.query(
      'DELETE FROM audit_test.audit_log WHERE id = (SELECT max(id) FROM audit_test.audit_log)',
    );
    expect(await audit.verifyChain()).toMatchObject({ ok: false, reason: 'head' });
  });
});
