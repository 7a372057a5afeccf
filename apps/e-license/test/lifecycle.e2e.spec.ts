import { LifecycleService } from '../src/lifecycle/lifecycle.service.js';
import { issue, residence, verify, type Issued } from './fixtures.js';
import { startLicenseSuite, type LicenseSuite } from './license-suite.js';

type State = 'valid' | 'suspended' | 'revoked' | 'cancelled' | 'expired' | 'superseded';
type Action = 'change' | 'renew' | 'suspend' | 'restore' | 'revoke' | 'withdraw' | 'cancel';

const ACTIONS: Action[] = ['change', 'renew', 'suspend', 'restore', 'revoke', 'withdraw', 'cancel'];

// What the state machine allows over the clerk API (expire is the system's own sweep).
const ALLOWED: Record<State, Partial<Record<Action, State>>> = {
  valid: {
    change: 'superseded',
    renew: 'superseded',
    suspend: 'suspended',
    revoke: 'revoked',
    withdraw: 'revoked',
    cancel: 'cancelled',
  },
  suspended: { restore: 'valid', revoke: 'revoked', withdraw: 'revoked', cancel: 'cancelled' },
  expired: { renew: 'superseded', cancel: 'cancelled' },
  revoked: { cancel: 'cancelled' },
  cancelled: {},
  superseded: {},
};

const cases: [State, Action][] = [];
for (const s of Object.keys(ALLOWED) as State[]) for (const a of ACTIONS) cases.push([s, a]);

describe('the license lifecycle over the clerk API', () => {
  let t: LicenseSuite;
  let clerk: string;

  beforeAll(async () => {
    t = await startLicenseSuite();
    clerk = await t.clerkToken();
  });
  afterAll(() => t.stop());

  const act = (id: string, action: Action) =>
    t.api(`/v1/licenses/${id}/${action}`, { token: clerk, body: { reason: `测试 ${action}` } });

  /** A license brought into `state` through the API (expired: issued with a past validity). */
  async function licenseIn(state: State): Promise<Issued> {
    if (state === 'expired') {
      return issue(t, clerk, { ...residence(), validFrom: '2020-01-01' });
    }
    const l = await issue(t, clerk);
    const path: Record<State, Action[]> = {
      valid: [],
      suspended: ['suspend'],
      revoked: ['revoke'],
      cancelled: ['cancel'],
      superseded: ['change'],
      expired: [],
    };
    for (const a of path[state]) expect((await act(l.license.id, a)).ok).toBe(true);
    return l;
  }

  it.each(cases)(
    'from %s, %s is allowed or refused exactly as the state machine says',
    async (state, action) => {
      const l = await licenseIn(state);
      const res = await act(l.license.id, action);
      const body = (await res.json()) as {
        code?: string;
        status?: string;
        license?: { status: string; version: number };
      };
      const to = ALLOWED[state][action];
      if (to === undefined) {
        expect({ status: res.status, code: body.code }).toEqual({
          status: 409,
          code: 'TransitionNotAllowed',
        });
        return;
      }
      expect(res.ok).toBe(true);
      const events = (await (
        await t.api(`/v1/licenses/${l.license.id}/events`, { token: clerk })
      ).json()) as {
        action: string;
        to: string;
        actor: string;
        reason: string | null;
      }[];
      expect(
        events.some(
          (e) => e.action === action && e.actor === 'clerk-1' && e.reason === `测试 ${action}`,
        ),
      ).toBe(true);
      const old = (await (
        await t.api(`/v1/licenses/${l.license.id}`, { token: clerk })
      ).json()) as { status: string };
      expect(old.status).toBe(to);
      if (action === 'change' || action === 'renew') {
        expect(body.license).toMatchObject({ status: 'valid', version: 2 });
      }
      // Only a valid license verifies as valid.
      expect((await verify(t, l)).valid).toBe(to === 'valid');
    },
  );

  it('never verifies a superseded version, and verifies its successor', async () => {
    const l = await issue(t, clerk);
    const res = await t.api(`/v1/licenses/${l.license.id}/change`, {
      token: clerk,
      body: {
        reason: '地址变更',
        fields: { address: '福州市台江区新港街道1号', since: '2024-01-01' },
      },
    });
    const next = (await res.json()) as Issued;
    expect(await verify(t, l)).toMatchObject({ valid: false, status: 'superseded' });
    expect(await verify(t, next)).toMatchObject({ valid: true, status: 'valid' });
    expect(next.license.identifier.split('.').at(-2)).toBe('002');
    expect(next.license.licenseNumber).toBe(l.license.licenseNumber);
  });

  it('records expiry by date in the sweep, as an event of the system', async () => {
    const l = await licenseIn('expired');
    expect(await verify(t, l)).toMatchObject({ valid: false, status: 'expired' });
    const lifecycle = t.suite.apps['e-license'].get(LifecycleService);
    expect(await lifecycle.expireDue()).toBeGreaterThanOrEqual(1);
    const events = (await (
      await t.api(`/v1/licenses/${l.license.id}/events`, { token: clerk })
    ).json()) as {
      action: string;
      actor: string;
    }[];
    expect(events.map((e) => [e.action, e.actor])).toContainEqual(['expire', 'system']);
  });

  it('refuses a lifecycle change without a reason', async () => {
    const l = await issue(t, clerk);
    const res = await t.api(`/v1/licenses/${l.license.id}/suspend`, { token: clerk, body: {} });
    expect(res.status).toBe(400);
  });
});
