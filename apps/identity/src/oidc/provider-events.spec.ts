import { EventEmitter } from 'node:events';
import type Provider from 'oidc-provider';
import { DataSource } from 'typeorm';
import { AuditLog, auditLogMigration, GENESIS_HASH } from '#audit';
import { createTestDatabase, type TestDatabase } from '#database';
import { ProviderEvents } from './provider-events.js';

const SCHEMA = 'provider_events_test';

/** The provider's event source; the events carry what oidc-provider 9 gives its listeners. */
function grantEvents(events: ProviderEvents) {
  const emitter = new EventEmitter();
  events.attach(emitter as unknown as Provider);
  const grant = (grantType: string, n: number) =>
    emitter.emit('grant.success', {
      oidc: {
        client: { clientId: 'demo-business' },
        params: { grant_type: grantType },
        entities: { AccessToken: { accountId: `person-${n}`, scope: 'openid', aud: undefined } },
      },
    });
  return {
    refresh: (n: number) => grant('refresh_token', n),
    clientCredentials: (n: number) => grant('client_credentials', n),
  };
}

describe('provider events in the audit log', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let audit: AuditLog;

  const rows = async () =>
    (await ds.query(`SELECT actor, details FROM "${SCHEMA}"."audit_log" ORDER BY id`)) as {
      actor: string;
      details: { grantType: string; count?: number };
    }[];
  // The audit table refuses every insert, as a database that is away would.
  const refuseWrites = () =>
    ds.query(`ALTER TABLE "${SCHEMA}"."audit_log" ADD CONSTRAINT away CHECK (false) NOT VALID`);
  const takeWrites = () => ds.query(`ALTER TABLE "${SCHEMA}"."audit_log" DROP CONSTRAINT away`);
  // Made outside Nest, so without its timers: it flushes when the test says so.
  const providerEvents = (backlog?: number) => new ProviderEvents(audit, backlog);

  beforeAll(async () => {
    db = await createTestDatabase();
    const boot = new DataSource({ type: 'postgres', url: db.url });
    await boot.initialize();
    await boot.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await boot.destroy();
    ds = new DataSource({
      type: 'postgres',
      url: db.url,
      schema: SCHEMA,
      migrations: [auditLogMigration(SCHEMA)],
      migrationsRun: true,
      extra: { max: 4 },
    });
    await ds.initialize();
    audit = new AuditLog(ds);
  });

  afterEach(async () => {
    await ds.query(`TRUNCATE "${SCHEMA}"."audit_log"`);
    await ds.query(`UPDATE "${SCHEMA}"."audit_chain_head" SET last_id = NULL, hash = $1`, [
      GENESIS_HASH,
    ]);
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('keeps a batch the audit log refused and appends it, in order, once it takes writes', async () => {
    const events = providerEvents();
    const provider = grantEvents(events);
    await refuseWrites();
    try {
      [1, 2, 3].forEach(provider.refresh);
      expect(await events.flushEvents()).toEqual({ appended: 0, pending: 3, lost: 0 });
      provider.refresh(4);
      expect(await events.flushEvents()).toEqual({ appended: 0, pending: 4, lost: 0 });
      expect(await rows()).toEqual([]);
    } finally {
      await takeWrites();
    }
    provider.refresh(5);

    expect(await events.flushEvents()).toEqual({ appended: 5, pending: 0, lost: 0 });
    expect((await rows()).map((r) => r.actor)).toEqual([1, 2, 3, 4, 5].map((n) => `person-${n}`));
    expect(await audit.verifyChain()).toEqual({ ok: true, checked: 5 });
  });

  it('writes what waits, with the client-credentials counts, before the application stops', async () => {
    const events = providerEvents();
    const provider = grantEvents(events);
    provider.refresh(1);
    [1, 2, 3].forEach(provider.clientCredentials);

    await events.beforeApplicationShutdown();

    expect(await rows()).toEqual([
      expect.objectContaining({ actor: 'person-1' }),
      expect.objectContaining({
        actor: 'demo-business',
        details: expect.objectContaining({ grantType: 'client_credentials', count: 3 }),
      }),
    ]);
  });

  it('drops events beyond its backlog while the log is away and says how many', async () => {
    const events = providerEvents(3);
    const provider = grantEvents(events);
    await refuseWrites();
    try {
      [1, 2, 3, 4, 5].forEach(provider.refresh);
      expect(await events.flushEvents()).toEqual({ appended: 0, pending: 3, lost: 2 });
    } finally {
      await takeWrites();
    }

    expect(await events.flushEvents()).toEqual({ appended: 3, pending: 0, lost: 0 });
    expect((await rows()).map((r) => r.actor)).toEqual(['person-1', 'person-2', 'person-3']);
  });
});
