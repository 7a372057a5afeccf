/**
 * Seal types and lifecycle after the State Council's measures on electronic seals (电子印章
 * 管理办法, 2025): applied for by the organisation, made, filed (备案) by a platform officer,
 * in use, suspended, cancelled (注销), expired.
 */
export enum SealType {
  LegalName = '法定名称章',
  InternalDepartment = '内设机构章',
  Branch = '分支机构章',
  SpecialPurpose = '业务专用章',
  PersonalName = '个人名章',
}

export enum SealStatus {
  Applied = 'applied',
  Made = 'made',
  Filed = 'filed',
  InUse = 'in_use',
  Suspended = 'suspended',
  Cancelled = 'cancelled',
  Expired = 'expired',
}

export type SealAction = 'make' | 'file' | 'activate' | 'suspend' | 'resume' | 'cancel';

/** Which status each action leads from, and to. Expiry is reached by time, not by an action. */
export const TRANSITIONS: Record<SealAction, { from: SealStatus[]; to: SealStatus }> = {
  make: { from: [SealStatus.Applied], to: SealStatus.Made },
  file: { from: [SealStatus.Made], to: SealStatus.Filed },
  activate: { from: [SealStatus.Filed], to: SealStatus.InUse },
  suspend: { from: [SealStatus.InUse], to: SealStatus.Suspended },
  resume: { from: [SealStatus.Suspended], to: SealStatus.InUse },
  cancel: {
    from: [
      SealStatus.Applied,
      SealStatus.Made,
      SealStatus.Filed,
      SealStatus.InUse,
      SealStatus.Suspended,
    ],
    to: SealStatus.Cancelled,
  },
};

/** The status as of `at`: a seal past its validity is expired whatever its stored status. */
export function effectiveStatus(
  seal: { status: SealStatus; validFrom: Date; validTo: Date },
  at: Date,
): SealStatus {
  if (seal.status === SealStatus.Cancelled) return seal.status;
  if (at > seal.validTo) return SealStatus.Expired;
  return seal.status;
}

export const sealStatusLabels: Record<SealStatus, string> = {
  [SealStatus.Applied]: '已申请 applied',
  [SealStatus.Made]: '已制作 made',
  [SealStatus.Filed]: '已备案 filed',
  [SealStatus.InUse]: '使用中 in use',
  [SealStatus.Suspended]: '已暂停 suspended',
  [SealStatus.Cancelled]: '已注销 cancelled',
  [SealStatus.Expired]: '已过期 expired',
};
