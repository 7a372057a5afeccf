// Public API of #pki: keys, certificates, CRLs, RFC 3161 time-stamps and CMS/CAdES signatures.
export * from './algorithms.js';
export * from './der.js';
export * from './errors.js';
export { Oid } from './oids.js';

export * from './key-store/encrypted-key-store.js';
export * from './key-store/key-algorithm.js';
export * from './key-store/key-record-store.js';
export * from './key-store/key-store.js';
export * from './key-store/x509-signing.js';

export * from './ca/certificate-authority.js';
export type { DistinguishedName } from './ca/distinguished-name.js';
export * from './ca/issue-certificate.js';
export * from './ca/seal-certificate.js';
export * from './ca/serial-number.js';
export * from './ca/tsa-certificate.js';

export * from './crl/issue-crl.js';
export * from './crl/parse-crl.js';
export * from './crl/revocation-status.js';

export * from './cms/cades-signature.js';
export * from './cms/verification-report.js';
export * from './cms/verify-cms-signature.js';
export type { ContentDigest, SignerInfoCheck } from './cms/signer-info.js';

export * from './tsp/local-timestamper.js';
export * from './tsp/timestamp-request.js';
export * from './tsp/timestamp-responder.js';
export * from './tsp/timestamp-token.js';

export * from './validation/certification-path.js';
export * from './validation/path-validation.js';

// Test helpers (a generated PKI, an openssl runner) for specs of this and other packages.
export * from './testing/index.js';
