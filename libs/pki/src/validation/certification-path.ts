import { issued, parsedCertificate } from '../cache/parsed-certificates.js';
import type { CertificateDer } from '../der.js';
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
  // Parse failures throw PkiCertificateMalformed, as before: `.node` parses on first use.
  const roots = trustRoots.map(parsedCertificate).filter((root) => root.node);
  const pool = intermediates.map(parsedCertificate).filter((candidate) => candidate.node);
  const path: CertificateDer[] = [leaf];
  let current = parsedCertificate(leaf);
  void current.node;

  for (let depth = 0; depth < MAX_PATH_LENGTH; depth++) {
    // Same DER (same SHA-256) is the same certificate: the leaf is itself a trust root.
    const anchor = roots.find((root) => root.key === current.key || issued(root, current));
    if (anchor) {
      if (anchor.key !== current.key) path.push(anchor.der);
      return { trusted: issuersAuthorised(path), path, trustAnchor: anchor.der };
    }
    const next = pool.find(
      (candidate) => candidate.key !== current.key && issued(candidate, current),
    );
    if (!next) break;
    path.push(next.der);
    current = next;
  }
  return { trusted: false, path };
}

export type ValidityStatus = 'valid' | 'notYetValid' | 'expired';

/** Whether `at` lies within the certificate's notBefore..notAfter (RFC 5280 4.1.2.5). */
export function validityAt(certificate: CertificateDer, at: Date): ValidityStatus {
  const cert = parsedCertificate(certificate).node;
  if (at < cert.validFromDate) return 'notYetValid';
  if (at > cert.validToDate) return 'expired';
  return 'valid';
}
