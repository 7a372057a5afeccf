import type { LicenseEntity } from '../issuance/license.entity.js';

/**
 * DA/T 46 metadata elements of e-archive for a license. Licenses are kept 30 years (D30) in
 * the fonds of the e-license service; titles carry no personal data (openness 内部).
 * TODO(e-license): one fonds per issuing authority once authorities have fonds codes.
 */
export const ARCHIVE_FONDS = 'J001';

/** The metadata part of `POST /e-archive/v1/records` for one license PDF. */
export function archivalMetadata(license: LicenseEntity, sha256: string) {
  return {
    fondsCode: ARCHIVE_FONDS,
    category: 'WS',
    year: Number(license.issueDate.slice(0, 4)),
    retention: 'D30',
    organisation: 'ZZ',
    title: `${license.name} ${license.licenseNumber} 第${license.version}版`,
    documentNumber: license.licenseNumber,
    creator: license.issuerName,
    date: license.issueDate,
    pageCount: 1,
    openness: '内部',
    sourceSystem: 'e-license',
    sourceId: license.identifier,
    sha256,
  };
}
