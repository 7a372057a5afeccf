import { effectiveStatus, LicenseStatus, LifecycleAction, nextStatus } from './license-status.js';

const S = LicenseStatus;
const A = LifecycleAction;

// The expected matrix, written out in full so that a change to the table shows here.
const allowed: [LicenseStatus, LifecycleAction, LicenseStatus][] = [
  [S.Valid, A.Change, S.Superseded],
  [S.Valid, A.Renew, S.Superseded],
  [S.Valid, A.Suspend, S.Suspended],
  [S.Valid, A.RevokePenalty, S.Revoked],
  [S.Valid, A.Withdraw, S.Revoked],
  [S.Valid, A.Cancel, S.Cancelled],
  [S.Valid, A.Expire, S.Expired],
  [S.Suspended, A.Restore, S.Valid],
  [S.Suspended, A.RevokePenalty, S.Revoked],
  [S.Suspended, A.Withdraw, S.Revoked],
  [S.Suspended, A.Cancel, S.Cancelled],
  [S.Suspended, A.Expire, S.Expired],
  [S.Expired, A.Renew, S.Superseded],
  [S.Expired, A.Cancel, S.Cancelled],
  [S.Revoked, A.Cancel, S.Cancelled],
];

describe('the license state machine', () => {
  const all: [LicenseStatus, LifecycleAction][] = [];
  for (const s of Object.values(S)) for (const a of Object.values(A)) all.push([s, a]);

  it.each(allowed)('allows %s --%s--> %s', (from, action, to) => {
    expect(nextStatus(from, action)).toBe(to);
  });

  const refused = all.filter(([s, a]) => !allowed.some(([f, x]) => f === s && x === a));
  it.each(refused)('refuses %s --%s-->', (from, action) => {
    expect(nextStatus(from, action)).toBeUndefined();
  });

  it('never lets issue be a transition from an existing state', () => {
    for (const s of Object.values(S)) expect(nextStatus(s, A.Issue)).toBeUndefined();
  });

  it('treats a valid or suspended license past its end date as expired', () => {
    expect(effectiveStatus(S.Valid, '2026-01-01', '2026-01-02')).toBe(S.Expired);
    expect(effectiveStatus(S.Suspended, '2026-01-01', '2026-01-02')).toBe(S.Expired);
    expect(effectiveStatus(S.Valid, '2026-01-02', '2026-01-02')).toBe(S.Valid);
    expect(effectiveStatus(S.Valid, null, '2099-01-01')).toBe(S.Valid);
    expect(effectiveStatus(S.Revoked, '2026-01-01', '2026-01-02')).toBe(S.Revoked);
  });
});
