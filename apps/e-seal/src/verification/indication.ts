import type { CmsProblem } from '#pki';
import type { Indication, SignatureReport, SubIndication } from './verification-report.js';

type Facts = Omit<SignatureReport, 'indication' | 'subIndication'>;
type Verdict = { indication: Indication; subIndication?: SubIndication };

/**
 * ETSI EN 319 102-1 5.1.3: every failing fact is weighed, and a failure beats an uncertainty;
 * among equals the first checked decides. Each problem the CMS check can report has a verdict
 * here (the switch is exhaustive), so a new problem cannot pass unnoticed.
 */
export function indicationOf(r: Facts): Verdict {
  const unsupported = r.problems.includes('unsupportedAlgorithm');
  const verdicts: (Verdict | undefined)[] = [
    r.integrity.anomalies.length ? failed('FORMAT_FAILURE') : undefined,
    !r.integrity.digestMatches && !unsupported ? failed('HASH_FAILURE') : undefined,
    !r.integrity.signatureValid && !unsupported ? failed('SIG_CRYPTO_FAILURE') : undefined,
    // TODO(seal): 'comparison incomplete' (node budget exhausted) fails here like a real
    // change; INDETERMINATE would be fairer, but beyondPermissions is one list of strings.
    r.modifications.beyondPermissions.length ? failed('SIG_CONSTRAINTS_FAILURE') : undefined,
    revocationVerdict(r.certificate.revocationAtSigningTime),
    !r.chain.issuedByThisPlatform ? uncertain('NO_CERTIFICATE_CHAIN_FOUND') : undefined,
    r.certificate.validityAtSigningTime !== 'valid' ? uncertain('OUT_OF_BOUNDS_NO_POE') : undefined,
    ...r.problems.map(problemVerdict),
  ];
  const found = verdicts.filter((v): v is Verdict => v !== undefined);
  return (
    found.find((v) => v.indication === 'TOTAL_FAILED') ??
    found.find((v) => v.indication === 'INDETERMINATE') ?? { indication: 'TOTAL_PASSED' }
  );
}

function revocationVerdict(status: string): Verdict | undefined {
  // 5.2.6: revoked at a proven signing time fails; revoked now with no proof that the
  // signature existed before the revocation is REVOKED_NO_POE.
  if (status === 'revoked') return failed('REVOKED');
  if (status === 'revokedNoProofOfTime') return uncertain('REVOKED_NO_POE');
  if (status === 'unknown') return uncertain('TRY_LATER');
  return undefined;
}

/** The verdict of one reported problem; `undefined` for facts that are only warnings. */
function problemVerdict(problem: string): Verdict | undefined {
  const p = problem as CmsProblem | 'cmsMalformed';
  switch (p) {
    case 'cmsMalformed':
      return failed('FORMAT_FAILURE');
    case 'digestMismatch':
      return failed('HASH_FAILURE');
    case 'signatureInvalid':
    case 'timestampInvalid':
      return failed('SIG_CRYPTO_FAILURE');
    case 'signingCertificateMismatch':
      return failed('SIG_CONSTRAINTS_FAILURE');
    case 'unsupportedAlgorithm':
      return uncertain('SIG_CONSTRAINTS_FAILURE');
    case 'signerCertificateMissing':
      return uncertain('NO_SIGNING_CERTIFICATE_FOUND');
    case 'notIssuedByPlatform':
      return uncertain('NO_CERTIFICATE_CHAIN_FOUND');
    case 'issuerNotCa':
    case 'issuerKeyCertSignMissing':
    case 'pathLengthExceeded':
    case 'signerKeyUsageNotForSigning':
      return uncertain('CHAIN_CONSTRAINTS_FAILURE');
    case 'notValidAtSigningTime':
    case 'issuerNotValidAtSigningTime':
      return uncertain('OUT_OF_BOUNDS_NO_POE');
    // 5.4: a time-stamp that cannot be trusted proves no time; the signature is not failed
    // for it, but neither can it pass on the strength of a token nobody vouches for.
    case 'timestampNotTrusted':
    case 'timestampCertificateUsageInvalid':
    case 'timestampCertificatePathInvalid':
    case 'timestampCertificateNotValidAtGenTime':
    case 'timestampCertificateRevoked':
      return uncertain('NO_POE');
    // Judged through certificate.revocationAtSigningTime (revoked, no proof of time, unknown);
    // the rest are warnings: expiry after a proven signing time, a TSA CRL not at hand.
    case 'revoked':
    case 'revocationUnknown':
    case 'expiredNow':
    case 'timestampCertificateRevocationUnknown':
      return undefined;
    default:
      return unknownProblem(p);
  }
}

/** A problem string this table does not know: never a pass (fail safe). */
function unknownProblem(problem: never): Verdict {
  void problem;
  return uncertain('SIG_CONSTRAINTS_FAILURE');
}

function failed(subIndication: SubIndication): Verdict {
  return { indication: 'TOTAL_FAILED', subIndication };
}

function uncertain(subIndication: SubIndication): Verdict {
  return { indication: 'INDETERMINATE', subIndication };
}

/** The document's indication: the worst of its signatures. */
export function overallIndication(reports: SignatureReport[]): Indication | 'NO_SIGNATURE' {
  if (reports.length === 0) return 'NO_SIGNATURE';
  if (reports.some((r) => r.indication === 'TOTAL_FAILED')) return 'TOTAL_FAILED';
  if (reports.some((r) => r.indication === 'INDETERMINATE')) return 'INDETERMINATE';
  return 'TOTAL_PASSED';
}
