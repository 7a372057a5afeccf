import { createHash } from 'node:crypto';

import { hashOid, type HashAlgorithm } from '../algorithms.js';
import {
  derContext,
  derNull,
  derOctetString,
  derOid,
  derSequence,
  derSetOf,
  derSmallInteger,
} from '../asn1/der-writer.js';
import { parseCertificate, type CertificateDer } from '../der.js';
import { PkiError, PkiErrorCode } from '../errors.js';
import { signWith, type SigningKey } from '../key-store/key-store.js';
import { Oid } from '../oids.js';
import { certificateFields } from './certificate-fields.js';
import { signingCertificateV2Value } from './signing-certificate-v2.js';

export interface SignedDataParams {
  eContentType: string;
  /** The content to encapsulate; omitted for a detached signature (RFC 5652 5.2). */
  eContent?: Buffer;
  /** Digest of the content, computed by the caller (for detached content: of the bytes signed). */
  contentDigest: Buffer;
  hash: HashAlgorithm;
  key: SigningKey;
  certificate: CertificateDer;
  /** Further certificates to include (the chain); the signer's own is always included. */
  chain: CertificateDer[];
  /** RFC 3161 2.4.1: a TSA leaves out its certificates unless the request asked for them. */
  omitCertificates?: boolean;
  /** DER Attributes computed from the signature value, e.g. a signature time-stamp. */
  unsignedAttributes?: (signature: Buffer) => Promise<Buffer[]>;
}

/**
 * Builds a CMS ContentInfo(SignedData) (RFC 5652 sections 3, 5) with one SignerInfo whose
 * signed attributes are content-type, message-digest and signing-certificate-v2 (the CAdES-B
 * set, ETSI EN 319 122-1 5.2), signing with node:crypto. Encoded with the small DER writer:
 * asn1js/pkijs object models cost several times the RSA signature per call. Returns DER.
 */
export async function buildSignedData(params: SignedDataParams): Promise<Buffer> {
  const signer = certificateFields(params.certificate);
  const keyType = parseCertificate(params.certificate).publicKey.asymmetricKeyType;
  const digestAlgorithm = derSequence(derOid(hashOid(params.hash)), derNull());

  const signedAttributes = [
    attribute(Oid.contentType, derOid(params.eContentType)),
    attribute(Oid.messageDigest, derOctetString(params.contentDigest)),
    attribute(Oid.signingCertificateV2, signingCertificateV2Value(params.certificate)),
  ];
  // RFC 5652 5.4: the signature covers the DER of the attributes as an explicit SET OF;
  // the SignerInfo carries the same bytes with the [0] IMPLICIT tag.
  const toBeSigned = derSetOf(...signedAttributes);
  const signature = await signWith(params.key, toBeSigned, params.hash);
  const unsigned = (await params.unsignedAttributes?.(signature)) ?? [];

  const signerInfo = derSequence(
    derSmallInteger(1),
    derSequence(signer.issuer, signer.serialNumber),
    digestAlgorithm,
    Buffer.concat([Buffer.from([0xa0]), toBeSigned.subarray(1)]),
    signatureAlgorithm(keyType, params.hash),
    derOctetString(signature),
    ...(unsigned.length ? [retag(derSetOf(...unsigned), 0xa1)] : []),
  );

  const encapContentInfo = derSequence(
    derOid(params.eContentType),
    ...(params.eContent ? [derContext(0, derOctetString(params.eContent))] : []),
  );
  const signedData = derSequence(
    // RFC 5652 5.1: version 3 when eContentType is not id-data, else 1.
    derSmallInteger(params.eContentType === Oid.data ? 1 : 3),
    derSetOf(digestAlgorithm),
    encapContentInfo,
    ...(params.omitCertificates
      ? []
      : [retag(derSetOf(...uniqueCertificates([params.certificate, ...params.chain])), 0xa0)]),
    derSetOf(signerInfo),
  );
  return derSequence(derOid(Oid.signedData), derContext(0, signedData));
}

/** Attribute ::= SEQUENCE { attrType OID, attrValues SET OF value } (RFC 5652 5.3); DER in. */
export function attribute(type: string, value: Buffer): Buffer {
  return derSequence(derOid(type), derSetOf(value));
}

function retag(der: Buffer, tag: number): Buffer {
  const copy = Buffer.from(der);
  copy[0] = tag;
  return copy;
}

function uniqueCertificates(certificates: CertificateDer[]): Buffer[] {
  const seen = new Set<string>();
  return certificates
    .map((der) => Buffer.from(der))
    .filter((der) => {
      const id = createHash('sha256').update(der).digest('hex');
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
}

// RFC 3370 3.2 / RFC 5754 3.2: rsaEncryption with NULL parameters is the most widely accepted
// identifier for PKCS#1 v1.5 in SignerInfo; RFC 5758 3.2: ECDSA identifiers have no parameters.
function signatureAlgorithm(keyType: string | undefined, hash: HashAlgorithm): Buffer {
  if (keyType === 'rsa') return derSequence(derOid(Oid.rsaEncryption), derNull());
  if (keyType === 'ec' && hash === 'sha256') return derSequence(derOid(Oid.ecdsaWithSha256));
  throw new PkiError(
    PkiErrorCode.PkiUnsupportedAlgorithm,
    `cannot sign with a ${keyType ?? 'unknown'} key and ${hash}`,
  );
}
