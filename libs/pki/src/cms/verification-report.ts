import type { SealSubject } from '../ca/seal-certificate.js';
import type { RevocationStatus } from '../crl/revocation-status.js';
import type { CertificateDer } from '../der.js';
import type { TimeStampProblem } from '../tsp/timestamp-token.js';
import type { ValidityStatus } from '../validation/certification-path.js';
import type { PathFinding, PathProblem } from '../validation/path-validation.js';

// The report `verifyCmsSignature` returns: one field per check, so callers (the e-seal
// verification API, the PDF validator) can show each result and switch on `problems`.

export interface CmsVerificationOptions {
  /** Certificates trusted as anchors: the platform root(s). */
  trustRoots: CertificateDer[];
  /** CRLs to consult for the signer certificate (DER). */
  crls?: Uint8Array[];
  /** The current time for "valid now" (pass it explicitly; defaults to the clock). */
  at?: Date;
  /**
   * The claimed signing time (a PDF's /M), shown when there is no trusted time-stamp; it
   * proves nothing, so the certificate is then judged at `at`.
   */
  claimedSigningTime?: Date;
}

export type ContentKind = 'detached' | 'documentTimestamp' | 'encapsulatedDigest';

export interface SignerCertificateReport {
  certificate: CertificateDer;
  subject: SealSubject;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
}

export type TimestampReport =
  | { present: false }
  | {
      present: true;
      /** Imprint is the hash of this signature value and the TSA signature holds. */
      valid: boolean;
      genTime: Date;
      imprintMatches: boolean;
      signatureValid: boolean;
      trusted: boolean;
      tsaCertificate?: CertificateDer;
      unsupported?: string;
      /** TSA certificate problems at genTime (path, RFC 3161 EKU, validity, revocation). */
      problems: TimeStampProblem[];
    };

/** Machine-readable reasons a signature is not (fully) valid. */
export type CmsProblem =
  | 'unsupportedAlgorithm'
  | 'signerCertificateMissing'
  | 'digestMismatch'
  | 'signatureInvalid'
  | 'notIssuedByPlatform'
  | 'notValidAtSigningTime'
  | 'expiredNow'
  | 'revoked'
  | 'revocationUnknown'
  | 'timestampInvalid'
  | 'timestampNotTrusted'
  | 'signingCertificateMismatch'
  // RFC 5280 6.1 on the signer's path at the signing time (details in `chain.findings`):
  | 'issuerNotCa'
  | 'issuerKeyCertSignMissing'
  | 'pathLengthExceeded'
  | 'issuerNotValidAtSigningTime'
  | 'signerKeyUsageNotForSigning'
  // The signature time-stamp's TSA certificate at genTime (details in `timestamp.problems`):
  | 'timestampCertificateUsageInvalid'
  | 'timestampCertificatePathInvalid'
  | 'timestampCertificateNotValidAtGenTime'
  | 'timestampCertificateRevoked'
  | 'timestampCertificateRevocationUnknown';

export interface CmsVerificationReport {
  /**
   * Intact, cryptographically valid, chained to a trust root, valid and unrevoked at
   * `validationTime`, any time-stamp intact and trusted.
   */
  valid: boolean;
  /**
   * `detached`: the signature covers the signed bytes (adbe.pkcs7.detached, ETSI.CAdES.detached);
   * `documentTimestamp`: an RFC 3161 token whose imprint covers them (ETSI.RFC3161);
   * `encapsulatedDigest`: eContent holds the SHA-1 of the signed bytes (adbe.pkcs7.sha1).
   */
  contentKind: ContentKind;
  digestAlgorithm: string;
  signatureAlgorithm: string;
  digestMatches: boolean;
  signatureValid: boolean;
  unsupported?: string;
  signer?: SignerCertificateReport;
  /**
   * `trusted`: the path reaches a trust root and every issuer on it is a CA allowed to sign
   * certificates (basicConstraints, keyUsage, pathLenConstraint; RFC 5280 6.1). A path whose
   * links verify but whose issuer is, say, an end-entity certificate is not trusted: the root
   * never authorised it. `findings` lists each path problem with its certificate.
   */
  chain: {
    trusted: boolean;
    notIssuedByPlatform: boolean;
    path: CertificateDer[];
    findings?: PathFinding[];
    problems?: PathProblem[];
  };
  /**
   * The best-known signing time. `proven` only for the genTime of a time-stamp from a TSA the
   * trust roots vouch for (ETSI EN 319 102-1 5.6.2.2, proof of existence); a claimed /M, a
   * signing-time attribute or an untrusted token's genTime is not.
   */
  signingTime: {
    time?: Date;
    source: 'timestamp' | 'claimed' | 'signingTimeAttribute' | 'none';
    proven: boolean;
  };
  /**
   * When path, validity and revocation were judged: the proven signing time, else `at`
   * (so a certificate revoked before now fails unless a trusted time-stamp says otherwise).
   */
  validationTime: Date;
  /** At `validationTime`: the proven signing time, else now. */
  validityAtSigningTime?: ValidityStatus;
  validityNow?: ValidityStatus;
  /** At `validationTime`; `notChecked` when no CRL was given. */
  revocation: RevocationStatus | { status: 'notChecked' };
  timestamp: TimestampReport;
  signingCertificate: 'v2Matches' | 'v1Matches' | 'mismatch' | 'absent';
  /** Everything that is wrong, in the order checked; empty for a clean signature. */
  problems: CmsProblem[];
}
