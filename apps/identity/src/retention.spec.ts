import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startTestSuite, type TestSuite } from '../../../test/support/test-suite.js';
import { OrganisationRepository } from './accounts/organisation.repository.js';
import { KeyStoreService } from './keys/key-store.service.js';
import { BackchannelDeliveryRepository } from './logout/backchannel-delivery.repository.js';
import { RetentionService } from './retention/retention.service.js';

describe('the purge schedule deletes what identity no longer needs, and nothing else', () => {
  let t: TestSuite;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestSuite({ DEMO_DATA: 'true' });
    db = t.suite.apps.identity.get(DataSource);
  });
  afterAll(() => t.stop());

  const count = async (sql: string, params: unknown[] = []) =>
    Number(((await db.query(sql, params)) as { n: string }[])[0]!.n);

  it('removes stale sign-in counters, orphaned acting choices, old deliveries and retired keys', async () => {
    // Sign-in counters: one past its window, one locked until later, one in its window.
    await db.query(
      `INSERT INTO identity.sign_in_throttle (key, failures, window_started_at, locked_until)
       VALUES ('ip:stale', 3, now() - interval '1 day', NULL),
              ('ip:locked', 0, now() - interval '1 day', now() + interval '5 minutes'),
              ('ip:fresh', 2, now(), NULL)`,
    );

    // Acting choices: an old one whose grant is gone, an old one whose grant lives, a new one.
    const [{ person_id: personId, organisation_id: orgId }] = (await db.query(
      `SELECT person_id, organisation_id FROM identity.agent_authorisation LIMIT 1`,
    )) as { person_id: string; organisation_id: string }[];
    const orgs = t.suite.apps.identity.get(OrganisationRepository);
    for (const grant of ['grant-gone', 'grant-alive', 'grant-new']) {
      await orgs.setActing(grant, personId, orgId);
    }
    await db.query(
      `UPDATE identity.acting_organisation SET created_at = now() - interval '30 days'
       WHERE grant_id IN ('grant-gone', 'grant-alive')`,
    );
    await db.query(
      `INSERT INTO identity.oidc_payload (model, id, payload, expires_at)
       VALUES ('Grant', 'grant-alive', '{}', now() + interval '1 day')`,
    );

    // Deliveries: one delivered 60 days ago (with its attempt), one delivered now, one pending.
    const deliveries = t.suite.apps.identity.get(BackchannelDeliveryRepository);
    const [oldId, newId, pendingId] = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of [oldId, newId, pendingId]) {
      await deliveries.insert({
        id,
        client_id: 'retention-rp',
        logout_uri: 'http://127.0.0.1:9/bcl',
        account_id: personId,
        sid: null,
      });
    }
    await deliveries.recordOutcome(oldId, { status: 'delivered', httpStatus: 200 });
    await deliveries.recordOutcome(newId, { status: 'delivered', httpStatus: 200 });
    await db.query(
      `UPDATE identity.backchannel_delivery SET finished_at = now() - interval '60 days',
         created_at = now() - interval '60 days' WHERE id = $1`,
      [oldId],
    );
    await db.query(
      `UPDATE identity.backchannel_delivery SET next_attempt_at = now() + interval '1 hour'
       WHERE id = $1`,
      [pendingId],
    );

    // Keys: two rotations retire two ES256 keys; one is past its removal time.
    const keys = t.suite.apps.identity.get(KeyStoreService);
    const { activeKid: firstActive } = await keys.rotate('ES256');
    await keys.rotate('ES256');
    await db.query(
      `UPDATE identity.signing_key SET remove_after = now() - interval '1 minute'
       WHERE state = 'retired' AND kid <> $1`,
      [firstActive],
    );
    const retiredBefore = await count(
      `SELECT count(*) AS n FROM identity.signing_key WHERE state = 'retired'`,
    );
    expect(retiredBefore).toBe(2);

    const removed = await t.suite.apps.identity.get(RetentionService).purge();

    expect(removed).toEqual({
      signInThrottle: 1,
      actingOrganisation: 1,
      backchannelDelivery: 1,
      signingKey: 1,
    });
    const throttle = (await db.query(`SELECT key FROM identity.sign_in_throttle ORDER BY key`)) as {
      key: string;
    }[];
    expect(throttle.map((r) => r.key)).toEqual(['ip:fresh', 'ip:locked']);
    const acting = (await db.query(
      `SELECT grant_id FROM identity.acting_organisation WHERE grant_id LIKE 'grant-%'
       ORDER BY grant_id`,
    )) as { grant_id: string }[];
    expect(acting.map((r) => r.grant_id)).toEqual(['grant-alive', 'grant-new']);
    const left = (await deliveries.list('retention-rp')).map((d) => d.id).sort();
    expect(left).toEqual([newId, pendingId].sort());
    expect(await deliveries.attempts(oldId)).toEqual([]);
    expect(
      await count(`SELECT count(*) AS n FROM identity.signing_key WHERE state = 'retired'`),
    ).toBe(1);
    expect(
      await count(`SELECT count(*) AS n FROM identity.signing_key WHERE kid = $1`, [firstActive]),
    ).toBe(1);
  });
});
