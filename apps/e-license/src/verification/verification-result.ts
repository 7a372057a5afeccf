import type { LicenseStatus } from '../lifecycle/license-status.js';

/** What a member of the public learns about a license: nothing that identifies the holder. */
export interface VerificationResult {
  /** valid only when the license exists, the code matches and its status is valid. */
  valid: boolean;
  /** rate-limited only on the HTML pages (the JSON API answers a 429 problem). */
  outcome: 'valid' | 'not-valid' | 'not-found' | 'rate-limited';
  status?: LicenseStatus;
  identifier?: string;
  licenseNumber?: string;
  name?: string;
  typeCode?: string;
  version?: number;
  issuer?: { name: string; uscc: string };
  issueDate?: string;
  validity?: { from: string; until: string | null; longTerm: boolean };
  /** 张*三 for a person; an organisation's name is public (GB/T 36903). */
  holderName?: string;
  /** For an annotated copy (加注件). */
  copy?: { purpose: string; recipient: string; validUntil: string; expired: boolean };
  message: { zh: string; en: string };
}

export const STATUS_TEXT: Record<LicenseStatus, { zh: string; en: string }> = {
  valid: { zh: '有效', en: 'valid' },
  suspended: { zh: '已暂扣', en: 'suspended' },
  revoked: { zh: '已吊销或撤销', en: 'revoked' },
  cancelled: { zh: '已注销', en: 'cancelled' },
  expired: { zh: '已过期', en: 'expired' },
  superseded: { zh: '已被新版本替代', en: 'superseded by a newer version' },
};
