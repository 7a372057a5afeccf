import { createHash } from 'node:crypto';

import * as asn1js from 'asn1js';

import { hashFromOid, type HashAlgorithm } from '../algorithms.js';
import type { CertificateDer } from '../der.js';
import { Oid } from '../oids.js';
import { derContext, derOctetString, derSequence } from '../asn1/der-writer.js';
import { pkijs } from '../pkijs-engine.js';
import { certificateFields } from './certificate-fields.js';

/**
 * The signing-certificate-v2 attribute value (RFC 5035 section 3):
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }
 * ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash, issuerSerial }
 * The hash algorithm is SHA-256, so DER omits it (X.690 11.5: DEFAULT values are not encoded).
 */
export function signingCertificateV2Value(certificate: CertificateDer): Buffer {
  const fields = certificateFields(certificate);
  const certHash = createHash('sha256').update(certificate).digest();
  // GeneralNames with one directoryName, [4] EXPLICIT Name (RFC 5280 4.2.1.6).
  const issuerSerial = derSequence(derSequence(derContext(4, fields.issuer)), fields.serialNumber);
  return derSequence(derSequence(derSequence(derOctetString(certHash), issuerSerial)));
}

/** One ESSCertID(v2) as read from a signature made by any product. */
export interface EssCertId {
  hash: HashAlgorithm | undefined;
  hashOid: string;
  certHash: Buffer;
  /** Issuer serial number (hex), when the attribute carries IssuerSerial. */
  serialNumber?: string;
}

/**
 * Reads the first ESSCertID of a signing-certificate (v1, SHA-1, RFC 2634 5.4) or
 * signing-certificate-v2 (RFC 5035) attribute value. The first entry is the signer's
 * certificate by definition (RFC 5035 section 3).
 */
export function readEssCertId(value: asn1js.AsnType, v2: boolean): EssCertId | undefined {
  const certs = (value as asn1js.Sequence).valueBlock?.value?.[0] as asn1js.Sequence | undefined;
  const first = certs?.valueBlock?.value?.[0] as asn1js.Sequence | undefined;
  const parts = first?.valueBlock?.value ?? [];

  let index = 0;
  let hashOid = Oid.sha1 as string;
  if (v2) {
    hashOid = Oid.sha256;
    if (parts[0] instanceof asn1js.Sequence) {
      hashOid = new pkijs.AlgorithmIdentifier({ schema: parts[0] }).algorithmId;
      index = 1;
    }
  }
  const certHash = parts[index];
  if (!(certHash instanceof asn1js.OctetString)) return undefined;

  const issuerSerial = parts[index + 1] as asn1js.Sequence | undefined;
  const serial = issuerSerial?.valueBlock?.value?.[1];
  return {
    hash: hashFromOid(hashOid),
    hashOid,
    certHash: Buffer.from(certHash.valueBlock.valueHexView),
    serialNumber:
      serial instanceof asn1js.Integer
        ? Buffer.from(serial.valueBlock.valueHexView).toString('hex')
        : undefined,
  };
}
