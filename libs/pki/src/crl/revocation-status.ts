import type { CertificateDer } from '../der.js';
import { x509 } from '../x509.js';
import type { RevocationReason } from './issue-crl.js';
import { normaliseSerial, parseCrl } from './parse-crl.js';

/**
 * - `good`: a CRL from the certificate's issuer does not list it;
 * - `revoked`: listed, revoked at or before `at`;
 * - `revokedAfter`: listed, but revoked after `at` (so not revoked at that time);
 * - `unknown`: no usable CRL (none from this issuer, or none with a valid signature).
 */
export type RevocationState = 'good' | 'revoked' | 'revokedAfter' | 'unknown';

export interface RevocationStatus {
  status: RevocationState;
  revocationDate?: Date;
  reason?: RevocationReason;
  /** thisUpdate of the CRL the answer came from. */
  crlThisUpdate?: Date;
}

/**
 * The revocation status of `certificate` at time `at` from the given CRLs. A CRL counts only
 * if its issuer name is the certificate's issuer and its signature verifies with
 * `issuerCertificate`'s key (RFC 5280 6.3.3 (f)). Entries are compared by serial number.
 * TODO(pki): no OCSP and no delta CRLs yet; indirect CRLs are not supported.
 *
 * @example
 * const { status } = await checkRevocation(sealCert, [crlDer], { at, issuerCertificate });
 */
export async function checkRevocation(
  certificate: CertificateDer,
  crls: Uint8Array[],
  options: { at: Date; issuerCertificate: CertificateDer },
): Promise<RevocationStatus> {
  const cert = new x509.X509Certificate(certificate);
  const issuer = new x509.X509Certificate(options.issuerCertificate);
  const serial = normaliseSerial(cert.serialNumber);

  for (const der of crls) {
    const parsed = parseCrl(der);
    if (parsed.issuer !== cert.issuer) continue;
    if (!(await parsed.crl.verify({ publicKey: issuer }))) continue;

    const entry = parsed.entries.find((e) => e.serialNumber === serial);
    if (!entry) return { status: 'good', crlThisUpdate: parsed.thisUpdate };
    return {
      status: entry.revocationDate <= options.at ? 'revoked' : 'revokedAfter',
      revocationDate: entry.revocationDate,
      reason: entry.reason,
      crlThisUpdate: parsed.thisUpdate,
    };
  }
  return { status: 'unknown' };
}
