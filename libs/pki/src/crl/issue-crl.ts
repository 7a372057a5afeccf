import * as asn1js from 'asn1js';

import type { CertificateIssuer } from '../ca/issue-certificate.js';
import { parseCertificate, toBuffer } from '../der.js';
import { x509Signing } from '../key-store/x509-signing.js';
import { Oid } from '../oids.js';
import { x509 } from '../x509.js';

/** RFC 5280 5.3.1 CRLReason names. */
export type RevocationReason = keyof typeof x509.X509CrlReason;

export interface RevokedEntry {
  /** Certificate serial number, hex. */
  serialNumber: string;
  revocationDate: Date;
  reason?: RevocationReason;
}

export interface IssueCrlParams {
  issuer: CertificateIssuer;
  thisUpdate: Date;
  nextUpdate: Date;
  /** Monotonically increasing per issuer (RFC 5280 5.2.3). */
  crlNumber: bigint | number;
  entries: RevokedEntry[];
}

/**
 * Issues a v2 CRL (RFC 5280 section 5) with authorityKeyIdentifier and cRLNumber, and per
 * entry the revocation date and, when given, the reasonCode entry extension. Returns DER.
 *
 * @example
 * const crl = await issueCrl({ issuer: { certificate: issuingCa, key }, thisUpdate: now,
 *   nextUpdate: inSevenDays, crlNumber: 42n,
 *   entries: [{ serialNumber, revocationDate: now, reason: 'keyCompromise' }] });
 */
export async function issueCrl(params: IssueCrlParams): Promise<Buffer> {
  const issuerCertificate = new x509.X509Certificate(params.issuer.certificate);
  const signing = await x509Signing(
    params.issuer.key,
    parseCertificate(params.issuer.certificate).publicKey,
  );
  const ski = issuerCertificate.getExtension(x509.SubjectKeyIdentifierExtension);

  const extensions: x509.Extension[] = [
    new x509.Extension(
      Oid.crlNumber,
      false,
      new asn1js.Integer({ value: Number(params.crlNumber) }).toBER(),
    ),
  ];
  if (ski) extensions.push(new x509.AuthorityKeyIdentifierExtension(ski.keyId));

  const crl = await x509.X509CrlGenerator.create(
    {
      issuer: issuerCertificate.subjectName,
      thisUpdate: params.thisUpdate,
      nextUpdate: params.nextUpdate,
      signingAlgorithm: signing.signingAlgorithm,
      signingKey: signing.signingKey,
      extensions,
      entries: params.entries.map((entry) => ({
        serialNumber: entry.serialNumber,
        revocationDate: entry.revocationDate,
        reason: entry.reason ? x509.X509CrlReason[entry.reason] : undefined,
      })),
    },
    signing.crypto,
  );
  return toBuffer(crl.rawData);
}
