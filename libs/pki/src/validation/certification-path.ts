import { X509Certificate } from 'node:crypto';

import { parseCertificate, type CertificateDer } from '../der.js';
import { issuersAuthorised } from './path-validation.js';

const MAX_PATH_LENGTH = 8;

export interface CertificationPath {
  /**
   * A trust root signed the last certificate of `path` (or is it), and every issuer on the
   * path may issue certificates (basicConstraints cA, keyUsage keyCertSign, pathLenConstraint).
   */
  trusted: boolean;
  /** Leaf first; ends with the trust anchor when trusted. */
  path: CertificateDer[];
  trustAnchor?: CertificateDer;
}

/**
 * Builds a path from `leaf` to one of `trustRoots` through `intermediates` (RFC 5280 section 6,
 * reduced: names must chain and every signature must verify; policies and name constraints
 * are not processed). Links are found by name and signature alone, so that a path through a
 * certificate that may not issue certificates is still returned (and reported), but then it
 * is not `trusted`. Validity at a time and the leaf's usage are checked by
 * `validateCertificationPath`.
 */
export function buildCertificationPath(
  leaf: CertificateDer,
  intermediates: CertificateDer[],
  trustRoots: CertificateDer[],
): CertificationPath {
  const roots = trustRoots.map((der) => ({ der, x509: parseCertificate(der) }));
  const pool = intermediates.map((der) => ({ der, x509: parseCertificate(der) }));
  const path: CertificateDer[] = [leaf];
  let current = parseCertificate(leaf);

  for (let depth = 0; depth < MAX_PATH_LENGTH; depth++) {
    const anchor = roots.find(
      (root) => root.x509.fingerprint256 === current.fingerprint256 || issued(root.x509, current),
    );
    if (anchor) {
      if (anchor.x509.fingerprint256 !== current.fingerprint256) path.push(anchor.der);
      return { trusted: issuersAuthorised(path), path, trustAnchor: anchor.der };
    }
    const next = pool.find(
      (candidate) =>
        candidate.x509.fingerprint256 !== current.fingerprint256 && issued(candidate.x509, current),
    );
    if (!next) break;
    path.push(next.der);
    current = next.x509;
  }
  return { trusted: false, path };
}

/**
 * Name chaining and the signature (RFC 5280 6.1.3 (a)(1), (a)(4)); not X509_check_issued,
 * which would silently skip an issuer without keyCertSign instead of reporting it.
 */
function issued(issuer: X509Certificate, subject: X509Certificate): boolean {
  try {
    return subject.issuer === issuer.subject && subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

export type ValidityStatus = 'valid' | 'notYetValid' | 'expired';

/** Whether `at` lies within the certificate's notBefore..notAfter (RFC 5280 4.1.2.5). */
export function validityAt(certificate: CertificateDer, at: Date): ValidityStatus {
  const cert = parseCertificate(certificate);
  if (at < cert.validFromDate) return 'notYetValid';
  if (at > cert.validToDate) return 'expired';
  return 'valid';
}
