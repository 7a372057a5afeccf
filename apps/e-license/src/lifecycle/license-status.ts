/**
 * The states of an issued license (GB/T 36903 证照状态) and the only transitions between them.
 * A license that is not `valid` never verifies as valid.
 */
export enum LicenseStatus {
  /** 有效 */
  Valid = 'valid',
  /** 暂扣: suspended by the authority, may be restored. */
  Suspended = 'suspended',
  /** 吊销 (penalty) or 撤销 (withdrawal of an unlawful grant): ended by the authority. */
  Revoked = 'revoked',
  /** 注销: the authority closed the license's record. */
  Cancelled = 'cancelled',
  /** 过期: its validity period ended. */
  Expired = 'expired',
  /** 已变更/已延续: replaced by a newer version (change or renewal). */
  Superseded = 'superseded',
}

export enum LifecycleAction {
  Issue = 'issue',
  Change = 'change',
  Renew = 'renew',
  Suspend = 'suspend',
  Restore = 'restore',
  /** 吊销: an administrative penalty. */
  RevokePenalty = 'revoke',
  /** 撤销: the grant itself was unlawful and is withdrawn. */
  Withdraw = 'withdraw',
  Cancel = 'cancel',
  Expire = 'expire',
}

const S = LicenseStatus;
const A = LifecycleAction;

/** From-state -> action -> to-state. Anything not listed is refused. */
export const TRANSITIONS: Readonly<
  Record<LicenseStatus, Partial<Record<LifecycleAction, LicenseStatus>>>
> = {
  [S.Valid]: {
    [A.Change]: S.Superseded,
    [A.Renew]: S.Superseded,
    [A.Suspend]: S.Suspended,
    [A.RevokePenalty]: S.Revoked,
    [A.Withdraw]: S.Revoked,
    [A.Cancel]: S.Cancelled,
    [A.Expire]: S.Expired,
  },
  [S.Suspended]: {
    [A.Restore]: S.Valid,
    [A.RevokePenalty]: S.Revoked,
    [A.Withdraw]: S.Revoked,
    [A.Cancel]: S.Cancelled,
    [A.Expire]: S.Expired,
  },
  // Renewal (延续) after the end date is allowed: the old version stays superseded.
  [S.Expired]: { [A.Renew]: S.Superseded, [A.Cancel]: S.Cancelled },
  // After 吊销/撤销 the authority still closes the record (注销).
  [S.Revoked]: { [A.Cancel]: S.Cancelled },
  [S.Cancelled]: {},
  [S.Superseded]: {},
};

/** The state an action leads to, or undefined when the state machine refuses it. */
export function nextStatus(
  from: LicenseStatus,
  action: LifecycleAction,
): LicenseStatus | undefined {
  return TRANSITIONS[from][action];
}

/** Actions that need a stated reason (GB/T 36903 records why a license ended or changed). */
export const REASON_REQUIRED: ReadonlySet<LifecycleAction> = new Set([
  A.Change,
  A.Suspend,
  A.Restore,
  A.RevokePenalty,
  A.Withdraw,
  A.Cancel,
]);

/**
 * The status as of `today` (YYYY-MM-DD): a valid or suspended license past its end date is
 * expired even before the expiry sweep has written the event.
 */
export function effectiveStatus(
  status: LicenseStatus,
  validUntil: string | null,
  today: string,
): LicenseStatus {
  if ((status === S.Valid || status === S.Suspended) && validUntil !== null && validUntil < today) {
    return S.Expired;
  }
  return status;
}
