import type { Indication, SignatureReport, SubIndication } from './verification-report.js';

type Facts = Omit<SignatureReport, 'indication' | 'subIndication'>;

/** ETSI EN 319 102-1 5.1.3: the first failing check decides, failures before uncertainty. */
export function indicationOf(r: Facts): { indication: Indication; subIndication?: SubIndication } {
  const p = new Set(r.problems);
  if (r.integrity.anomalies.length) return failed('FORMAT_FAILURE');
  if (!r.integrity.digestMatches) return failed('HASH_FAILURE');
  if (p.has('unsupportedAlgorithm')) return uncertain('SIG_CONSTRAINTS_FAILURE');
  if (!r.integrity.signatureValid) return failed('SIG_CRYPTO_FAILURE');
  if (r.modifications.beyondPermissions.length) return failed('SIG_CONSTRAINTS_FAILURE');
  if (r.certificate.revocationAtSigningTime === 'revoked') return failed('REVOKED');
  if (p.has('timestampInvalid')) return failed('SIG_CRYPTO_FAILURE');
  if (!r.chain.issuedByThisPlatform) return uncertain('NO_CERTIFICATE_CHAIN_FOUND');
  if (r.certificate.validityAtSigningTime !== 'valid') return uncertain('OUT_OF_BOUNDS_NO_POE');
  if (r.certificate.revocationAtSigningTime === 'unknown') return uncertain('TRY_LATER');
  if (p.has('signingCertificateMismatch')) return failed('SIG_CONSTRAINTS_FAILURE');
  return { indication: 'TOTAL_PASSED' };
}

function failed(subIndication: SubIndication) {
  return { indication: 'TOTAL_FAILED' as const, subIndication };
}

function uncertain(subIndication: SubIndication) {
  return { indication: 'INDETERMINATE' as const, subIndication };
}

/** The document's indication: the worst of its signatures. */
export function overallIndication(reports: SignatureReport[]): Indication | 'NO_SIGNATURE' {
  if (reports.length === 0) return 'NO_SIGNATURE';
  if (reports.some((r) => r.indication === 'TOTAL_FAILED')) return 'TOTAL_FAILED';
  if (reports.some((r) => r.indication === 'INDETERMINATE')) return 'INDETERMINATE';
  return 'TOTAL_PASSED';
}
