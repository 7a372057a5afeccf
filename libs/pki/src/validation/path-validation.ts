import { parsedCertificate, type ParsedCertificate } from '../cache/parsed-certificates.js';
import type { CertificateDer } from '../der.js';
import { Oid } from '../oids.js';
import { x509 } from '../x509.js';

const { KeyUsageFlags } = x509;

/**
 * Why a certification path fails RFC 5280 section 6.1 processing (the parts this platform
 * enforces). Each names one rule, so reports and tests can tell them apart:
 * - `issuerNotCa`: a certificate that issued another lacks basicConstraints cA=TRUE (6.1.4 (k));
 * - `issuerKeyCertSignMissing`: its keyUsage is present without keyCertSign (6.1.4 (n));
 * - `pathLengthExceeded`: more intermediates below a CA than its pathLenConstraint (6.1.4 (l));
 * - `issuerNotValidAtTime`: an issuer is outside its validity at the validation time (6.1.3 (a)(2));
 * - `signerKeyUsageNotForSigning`: the end entity's keyUsage allows neither digitalSignature
 *   nor nonRepudiation (RFC 5280 4.2.1.3);
 * - `extendedKeyUsageNotTimeStamping`: a TSA certificate without the critical extendedKeyUsage
 *   that holds id-kp-timeStamping alone (RFC 3161 2.3).
 */
export type PathProblem =
  | 'issuerNotCa'
  | 'issuerKeyCertSignMissing'
  | 'pathLengthExceeded'
  | 'issuerNotValidAtTime'
  | 'signerKeyUsageNotForSigning'
  | 'extendedKeyUsageNotTimeStamping';

/** What the end-entity certificate is used for: a signature (seal) or a time-stamp token. */
export type CertificatePurpose = 'signature' | 'timeStamping';

export interface PathFinding {
  /** Position in the path, leaf = 0. */
  index: number;
  subject: string;
  problem: PathProblem;
}

export interface PathValidation {
  /** No problem found. */
  valid: boolean;
  /** Distinct problems, in path order (leaf first). */
  problems: PathProblem[];
  /** Each problem with the certificate it was found on. */
  findings: PathFinding[];
}

export interface PathValidationOptions {
  /** The validation time: the signing time for a signature, genTime for a TSA certificate. */
  at: Date;
  purpose: CertificatePurpose;
}

/**
 * Checks a path (leaf first, as `buildCertificationPath` returns it) against the certificate
 * constraints of RFC 5280 section 6.1. Signatures and names are the builder's business; this
 * checks what makes an issuer a CA at all, and what the leaf may be used for.
 *
 * Every certificate that issued another one is checked, the trust anchor included when it
 * carries the extensions (a version 1 anchor without extensions is accepted as configured
 * trust, as 6.1.1 (d) allows). Policies and name constraints are not processed.
 *
 * @example
 * const built = buildCertificationPath(leaf, embedded, [root]);
 * const checked = validateCertificationPath(built.path, { at: signingTime, purpose: 'signature' });
 * if (!built.trusted || !checked.valid) reject(checked.problems);
 */
export function validateCertificationPath(
  path: CertificateDer[],
  options: PathValidationOptions,
): PathValidation {
  return check(path, options);
}

/**
 * True when every issuer on the path may issue certificates (cA, keyCertSign,
 * pathLenConstraint); validity and the leaf's own usage are not looked at.
 */
export function issuersAuthorised(path: CertificateDer[]): boolean {
  return !check(path, undefined).findings.some((f) => f.index > 0);
}

function check(path: CertificateDer[], options: PathValidationOptions | undefined): PathValidation {
  const certs = path.map(parsedCertificate);
  const findings: PathFinding[] = [];
  const add = (index: number, problem: PathProblem): void => {
    findings.push({ index, subject: certs[index]!.subject, problem });
  };

  const leaf = certs[0];
  if (leaf && options) {
    if (!keyUsageAllows(leaf, KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation)) {
      add(0, 'signerKeyUsageNotForSigning');
    }
    if (options.purpose === 'timeStamping' && !timeStampingOnly(leaf)) {
      add(0, 'extendedKeyUsageNotTimeStamping');
    }
  }

  for (let i = 1; i < certs.length; i++) {
    const cert = certs[i]!;
    const constraints = cert.constraints;
    const versionOneAnchor = i === certs.length - 1 && constraints.extensionCount === 0;
    if (!versionOneAnchor) {
      if (!constraints.ca) add(i, 'issuerNotCa');
      if (!keyUsageAllows(cert, KeyUsageFlags.keyCertSign)) add(i, 'issuerKeyCertSignMissing');
    }
    // 6.1.4 (l): self-issued intermediates do not count against a pathLenConstraint.
    const below = certs.slice(1, i).filter((c) => !selfIssued(c)).length;
    if (constraints.pathLength !== undefined && below > constraints.pathLength) {
      add(i, 'pathLengthExceeded');
    }
    if (options && (options.at < cert.notBefore || options.at > cert.notAfter))
      add(i, 'issuerNotValidAtTime');
  }

  const problems = [...new Set(findings.map((f) => f.problem))];
  return { valid: problems.length === 0, problems, findings };
}

/** RFC 3161 2.3: extendedKeyUsage present, critical, and id-kp-timeStamping its only purpose. */
export function isTimeStampingOnly(certificate: CertificateDer): boolean {
  return timeStampingOnly(parsedCertificate(certificate));
}

/** keyUsage absent allows everything (RFC 5280 4.2.1.3); present, one of `flags` must be set. */
function keyUsageAllows(cert: ParsedCertificate, flags: number): boolean {
  const usage = cert.constraints.keyUsage;
  return usage === undefined || (usage & flags) !== 0;
}

function timeStampingOnly(cert: ParsedCertificate): boolean {
  const eku = cert.constraints.extendedKeyUsage;
  return !!eku && eku.critical && eku.usages.length === 1 && eku.usages[0] === Oid.timeStamping;
}

function selfIssued(cert: ParsedCertificate): boolean {
  return cert.subject === cert.issuer;
}
