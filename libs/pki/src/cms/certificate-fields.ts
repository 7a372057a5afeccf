import { readChildren, readTlv, slice } from '../asn1/der-writer.js';
import type { CertificateDer } from '../der.js';
import { PkiError, PkiErrorCode } from '../errors.js';

/** The parts of a certificate a SignerInfo refers to, as DER slices of the certificate. */
export interface CertificateFields {
  issuer: Buffer;
  serialNumber: Buffer;
}

/**
 * Slices issuer and serial number out of the DER (RFC 5280 4.1: tbsCertificate is
 * [0] version, serialNumber, signature, issuer, ...). A schema-checked pkijs parse costs
 * ~15 ms per certificate, which would dominate the signing path; this costs microseconds.
 */
export function certificateFields(der: CertificateDer): CertificateFields {
  try {
    const certificate = readTlv(der);
    const tbs = readChildren(der, certificate)[0];
    const parts = tbs ? readChildren(der, tbs) : [];
    const hasVersion = parts[0]?.tag === 0xa0;
    const serialNumber = parts[hasVersion ? 1 : 0];
    const issuer = parts[hasVersion ? 3 : 2];
    if (certificate.tag !== 0x30 || serialNumber?.tag !== 0x02 || issuer?.tag !== 0x30) {
      throw new RangeError('not an X.509 certificate');
    }
    return { issuer: slice(der, issuer), serialNumber: slice(der, serialNumber) };
  } catch (cause) {
    throw new PkiError(PkiErrorCode.PkiCertificateMalformed, 'certificate is not valid DER', {
      cause,
    });
  }
}
