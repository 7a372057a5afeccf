import { effectiveStatus, type LicenseStatus } from '../lifecycle/license-status.js';
import { chinaDate } from './dates.js';
import type { LicenseEntity } from './license.entity.js';

/** GB/T 36903 metadata of a license, as its issuer, its holder or a granted system sees it. */
export interface LicenseView {
  id: string;
  identifier: string;
  licenseNumber: string;
  name: string;
  typeCode: string;
  typeVersion: number;
  version: number;
  issuer: { name: string; uscc: string };
  issueDate: string;
  holder: { name: string; codeType: string; code?: string };
  validity: { from: string; until: string | null; longTerm: boolean };
  status: LicenseStatus;
  fields: Record<string, unknown>;
  documentSha256: string | null;
  previousId: string | null;
}

export function toLicenseView(l: LicenseEntity, holderCode?: string): LicenseView {
  return {
    id: l.id,
    identifier: l.identifier,
    licenseNumber: l.licenseNumber,
    name: l.name,
    typeCode: l.typeCode,
    typeVersion: l.typeVersion,
    version: l.version,
    issuer: { name: l.issuerName, uscc: l.issuerUscc },
    issueDate: l.issueDate,
    holder: {
      name: l.holderName,
      codeType: l.holderCodeType,
      ...(holderCode !== undefined ? { code: holderCode } : {}),
    },
    validity: { from: l.validFrom, until: l.validUntil, longTerm: l.validUntil === null },
    status: effectiveStatus(l.status, l.validUntil, chinaDate()),
    fields: l.fields,
    documentSha256: l.documentSha256,
    previousId: l.previousId,
  };
}
