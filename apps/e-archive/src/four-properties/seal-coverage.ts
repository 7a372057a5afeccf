import type { IngestCandidate } from './ingest-candidate.js';

/** How far the seals of a document, as e-seal verified them, vouch for its content. */
export interface SealCoverage {
  /** Signature dictionaries e-seal reported nothing for, each described for the report. */
  unverified: { field?: string; message: string }[];
  /**
   * Every signature dictionary verified by e-seal, every one intact and issued by this
   * platform, and one of them covering the whole file (nothing appended after it).
   */
  sealedByPlatform: boolean;
  /** Why `sealedByPlatform` is false. */
  reasons: string[];
}

/**
 * Matches the signature dictionaries found in the file against e-seal's report. A dictionary
 * outside any signature field, or one e-seal did not list, proves nothing: a `/ByteRange`
 * and `/Contents` anyone can write (ISO 32000-1 12.8.1) must not pass for a seal.
 */
export function sealCoverage(c: IngestCandidate): SealCoverage {
  const reported = c.seals?.signatures ?? [];
  const pool = reported.map((s) => s.fieldName ?? '');
  const unverified: SealCoverage['unverified'] = [];
  for (const d of c.inspection.signatureDictionaries) {
    if (d.usageRights) continue;
    const where = d.objectNumber === undefined ? 'the trailer' : `object ${d.objectNumber}`;
    if (d.field === undefined) {
      unverified.push({ message: `signature dictionary in ${where} is in no signature field` });
      continue;
    }
    // e-seal names a field by its fully qualified name (12.7.3.2): match the last part.
    const at = pool.findIndex((n) => n === d.field || n.endsWith(`.${d.field}`));
    if (at >= 0) pool.splice(at, 1);
    else {
      unverified.push({
        field: d.field,
        message: `signature of field ${d.field} (${where}) was not verified by e-seal`,
      });
    }
  }

  const reasons: string[] = [];
  if (reported.length === 0) reasons.push('no seal verified by e-seal');
  if (unverified.length > 0) reasons.push(`${unverified.length} signature(s) not verified`);
  for (const s of reported) {
    const name = s.fieldName ?? 'signature';
    if (!s.intact) reasons.push(`${name}: not intact`);
    // An intact signature by another CA (or a CA made for the purpose) proves only that
    // someone signed: no one this platform answers for has vouched for the file's scripts.
    else if (s.trusted !== true) reasons.push(`${name}: signer not issued by this platform`);
  }
  // ISO 32000-1 7.5.6: an incremental update after the last seal can add scripts it never
  // covered; only a signature reaching the end of the file vouches for every object.
  if (reported.length > 0 && !reported.some((s) => s.coversWholeFile)) {
    reasons.push('content was appended after the last seal');
  }
  return { unverified, sealedByPlatform: reasons.length === 0, reasons };
}
