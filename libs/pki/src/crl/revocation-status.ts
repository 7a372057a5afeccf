import {
  derKey,
  LruCache,
  parsedCertificate,
  type ParsedCertificate,
} from '../cache/parsed-certificates.js';
import type { CertificateDer } from '../der.js';
import type { RevocationReason } from './issue-crl.js';
import { normaliseSerial, parseCrl, type ParsedCrl } from './parse-crl.js';

// The platform CRL is the same on every verification until it is re-issued: it is parsed once
// and its signature checked once per issuer certificate (keys are SHA-256 of the DER).
const parsedCrls = new LruCache<{ key: string; parsed: ParsedCrl; bySerial: Map<string, number> }>(
  32,
);
const crlSignatures = new LruCache<Promise<boolean>>(64);

function cachedCrl(der: Uint8Array): {
  key: string;
  parsed: ParsedCrl;
  bySerial: Map<string, number>;
} {
  const key = derKey(der);
  return parsedCrls.get(key, () => {
    const parsed = parseCrl(der);
    const bySerial = new Map<string, number>();
    // The first entry for a serial wins, as Array.find did.
    parsed.entries.forEach((e, i) => {
      if (!bySerial.has(e.serialNumber)) bySerial.set(e.serialNumber, i);
    });
    return { key, parsed, bySerial };
  });
}

function crlSignatureValid(
  crl: { key: string; parsed: ParsedCrl },
  issuer: ParsedCertificate,
): Promise<boolean> {
  return crlSignatures.get(`${crl.key}:${issuer.key}`, () =>
    crl.parsed.crl.verify({ publicKey: issuer.peculiar }),
  );
}

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
  const cert = parsedCertificate(certificate);
  const issuer = parsedCertificate(options.issuerCertificate);
  void issuer.peculiar; // a malformed issuer certificate throws, CRL or not
  const serial = normaliseSerial(cert.serialNumber);

  for (const der of crls) {
    const crl = cachedCrl(der);
    const parsed = crl.parsed;
    if (parsed.issuer !== cert.issuer) continue;
    if (!(await crlSignatureValid(crl, issuer))) continue;

    const index = crl.bySerial.get(serial);
    const entry = index === undefined ? undefined : parsed.entries[index];
    // Dates are copied: the parsed CRL is shared, a report is the caller's to keep.
    const crlThisUpdate = new Date(parsed.thisUpdate.getTime());
    if (!entry) return { status: 'good', crlThisUpdate };
    return {
      status: entry.revocationDate <= options.at ? 'revoked' : 'revokedAfter',
      revocationDate: new Date(entry.revocationDate.getTime()),
      reason: entry.reason,
      crlThisUpdate,
    };
  }
  return { status: 'unknown' };
}
