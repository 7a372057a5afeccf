import { X509Certificate } from 'node:crypto';

import { parseCertificate, type CertificateDer } from '../der.js';

const MAX_PATH_LENGTH = 8;

export interface CertificationPath {
  /** A trust root signed the last certificate of `path` (or is it). */
  trusted: boolean;
  /** Leaf first; ends with the trust anchor when trusted. */
  path: CertificateDer[];
  trustAnchor?: CertificateDer;
}

/**
 * Builds a path from `leaf` to one of `trustRoots` through `intermediates` (RFC 5280 section 6,
 * reduced: names must chain and every signature must verify; policies and name constraints
 * are not processed).
 * TODO(pki): basicConstraints and keyUsage of intermediates are not enforced on the path; the
 * platform's own CAs always set them, certificates of other products are only reported.
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
      return { trusted: true, path, trustAnchor: anchor.der };
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

function issued(issuer: X509Certificate, subject: X509Certificate): boolean {
  try {
    return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
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
