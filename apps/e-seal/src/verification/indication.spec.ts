import { indicationOf, overallIndication } from './indication.js';
import type { SignatureReport } from './verification-report.js';

type Facts = Parameters<typeof indicationOf>[0];

function clean(): Facts {
  return {
    index: 0,
    fieldName: 'Signature1',
    kind: 'signature',
    integrity: {
      coversWholeFile: true,
      coversRevision: true,
      anomalies: [],
      digestMatches: true,
      signatureValid: true,
      intact: true,
    },
    chain: { issuedByThisPlatform: true },
    certificate: {
      validityAtSigningTime: 'valid',
      revocationAtSigningTime: 'good',
      revokedNow: false,
    },
    signingTime: { source: 'timestamp', proven: true },
    timestamp: { present: true, valid: true, trusted: true },
    modifications: { laterRevisions: false, beyondPermissions: [] },
    problems: [],
    warnings: [],
  };
}

describe('indicationOf (ETSI EN 319 102-1 5.1.3)', () => {
  it('passes a clean signature', () => {
    expect(indicationOf(clean())).toEqual({ indication: 'TOTAL_PASSED' });
  });

  it('passes a signature revoked only after it was made', () => {
    const f = clean();
    f.certificate.revocationAtSigningTime = 'revokedAfterSigning';

    expect(indicationOf(f).indication).toBe('TOTAL_PASSED');
  });

  it.each<[string, (f: Facts) => void, string, string]>([
    [
      'an uncovered byte range',
      (f) => f.integrity.anomalies.push('GapIsNotContents'),
      'TOTAL_FAILED',
      'FORMAT_FAILURE',
    ],
    [
      'a digest mismatch',
      (f) => (f.integrity.digestMatches = false),
      'TOTAL_FAILED',
      'HASH_FAILURE',
    ],
    [
      'a bad signature value',
      (f) => (f.integrity.signatureValid = false),
      'TOTAL_FAILED',
      'SIG_CRYPTO_FAILURE',
    ],
    [
      'page content changed afterwards',
      (f) => f.modifications.beyondPermissions.push('page content changed'),
      'TOTAL_FAILED',
      'SIG_CONSTRAINTS_FAILURE',
    ],
    [
      'revocation before signing',
      (f) => (f.certificate.revocationAtSigningTime = 'revoked'),
      'TOTAL_FAILED',
      'REVOKED',
    ],
    [
      'a certificate from elsewhere',
      (f) => (f.chain.issuedByThisPlatform = false),
      'INDETERMINATE',
      'NO_CERTIFICATE_CHAIN_FOUND',
    ],
    [
      'an expired certificate at signing',
      (f) => (f.certificate.validityAtSigningTime = 'expired'),
      'INDETERMINATE',
      'OUT_OF_BOUNDS_NO_POE',
    ],
    [
      'a certificate revoked now with only a claimed signing time',
      (f) => (f.certificate.revocationAtSigningTime = 'revokedNoProofOfTime'),
      'INDETERMINATE',
      'REVOKED_NO_POE',
    ],
    [
      'a time-stamp from a TSA the platform does not trust',
      (f) => f.problems.push('timestampNotTrusted'),
      'INDETERMINATE',
      'NO_POE',
    ],
    [
      'a time-stamp whose TSA certificate lacks the time-stamping usage',
      (f) => f.problems.push('timestampCertificateUsageInvalid'),
      'INDETERMINATE',
      'NO_POE',
    ],
    [
      'a signer certificate not meant for signing',
      (f) => f.problems.push('signerKeyUsageNotForSigning'),
      'INDETERMINATE',
      'CHAIN_CONSTRAINTS_FAILURE',
    ],
    [
      'an issuer that is not a CA',
      (f) => f.problems.push('issuerNotCa'),
      'INDETERMINATE',
      'CHAIN_CONSTRAINTS_FAILURE',
    ],
    [
      'a revoked TSA certificate',
      (f) => f.problems.push('timestampCertificateRevoked'),
      'INDETERMINATE',
      'NO_POE',
    ],
    [
      'an unreadable signature container',
      (f) => f.problems.push('cmsMalformed'),
      'TOTAL_FAILED',
      'FORMAT_FAILURE',
    ],
    [
      'a problem it does not know',
      (f) => f.problems.push('somethingNew'),
      'INDETERMINATE',
      'SIG_CONSTRAINTS_FAILURE',
    ],
  ])('judges %s', (_what, change, indication, subIndication) => {
    const f = clean();
    change(f);

    expect(indicationOf(f)).toEqual({ indication, subIndication });
  });

  it('lets a later failure beat an earlier uncertainty', () => {
    const f = clean();
    f.problems.push('timestampNotTrusted', 'signingCertificateMismatch');

    expect(indicationOf(f)).toEqual({
      indication: 'TOTAL_FAILED',
      subIndication: 'SIG_CONSTRAINTS_FAILURE',
    });
  });

  it('passes a signature that expired only after a proven signing time', () => {
    const f = clean();
    f.problems.push('expiredNow');

    expect(indicationOf(f)).toEqual({ indication: 'TOTAL_PASSED' });
  });

  it('gives the document the worst indication of its signatures', () => {
    const passed = { ...clean(), indication: 'TOTAL_PASSED' } as SignatureReport;
    const unsure = { ...clean(), indication: 'INDETERMINATE' } as SignatureReport;

    expect(overallIndication([passed, unsure])).toBe('INDETERMINATE');
    expect(overallIndication([])).toBe('NO_SIGNATURE');
  });
});
