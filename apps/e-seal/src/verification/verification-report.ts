/**
 * The verification report, per signature and document time-stamp. Indications follow ETSI
 * EN 319 102-1 section 5.1.3 (TOTAL-PASSED, TOTAL-FAILED, INDETERMINATE) with the standard's
 * sub-indications where one applies.
 */
export type Indication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';

export type SubIndication =
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'FORMAT_FAILURE'
  | 'REVOKED'
  | 'REVOKED_NO_POE'
  | 'NO_POE'
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'TRY_LATER'
  | 'SIG_CONSTRAINTS_FAILURE';

export interface SignatureReport {
  index: number;
  fieldName: string;
  kind: 'signature' | 'timestamp';
  subFilter?: string;
  reason?: string;
  claimedSigningTime?: string;
  integrity: {
    /** The byte range is [0, a, b, c], excludes exactly /Contents and reaches the file end. */
    coversWholeFile: boolean;
    /** Well-formed and ending where its revision ends (later revisions compared below). */
    coversRevision: boolean;
    anomalies: string[];
    digestMatches: boolean;
    signatureValid: boolean;
    intact: boolean;
  };
  signer?: {
    commonName?: string;
    organisationName?: string;
    uscc?: string;
    sealCode?: string;
    serialNumber: string;
    notBefore: string;
    notAfter: string;
  };
  chain: { issuedByThisPlatform: boolean; note?: string };
  certificate: {
    /** At the proven signing time; without a trusted time-stamp, at the verification time. */
    validityAtSigningTime?: string;
    validityNow?: string;
    /**
     * good, revoked (before a proven signing time, or before the signer's own claimed one),
     * revokedAfterSigning (after a proven signing time), revokedNoProofOfTime (revoked now,
     * and only an unproven claim says the signature is older), unknown, notChecked.
     */
    revocationAtSigningTime: string;
    revokedNow: boolean;
    revocationDate?: string;
    revocationReason?: string;
  };
  /** `proven`: the time comes from a time-stamp of a TSA this platform trusts. */
  signingTime: { time?: string; source: string; proven: boolean };
  timestamp: { present: boolean; valid?: boolean; trusted?: boolean; genTime?: string };
  seal?: {
    sealId: string;
    code: string;
    name: string;
    ownerName: string;
    ownerUscc: string;
    statusAtSigningTime: string | null;
    validAtSigningTime: boolean;
    currentStatus: string;
  };
  modifications: {
    laterRevisions: boolean;
    permissions?: number;
    /** Changes after this signature that its permissions do not allow. */
    beyondPermissions: string[];
  };
  problems: string[];
  warnings: string[];
  indication: Indication;
  subIndication?: SubIndication;
}

export interface VerificationReport {
  fileSha256: string;
  fileSize: number;
  verifiedAt: string;
  signatureCount: number;
  documentTimestampCount: number;
  signatures: SignatureReport[];
  indication: Indication | 'NO_SIGNATURE';
  summary: { zh: string; en: string };
}
