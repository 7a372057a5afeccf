import type { KeyObject } from 'node:crypto';

import * as asn1js from 'asn1js';

import { hashFromOid, hashLength, type HashAlgorithm } from '../algorithms.js';
import { parseCertificate, toBuffer } from '../der.js';
import { PkiError, PkiErrorCode } from '../errors.js';
import { Oid } from '../oids.js';
import { ensurePkijsEngine, pkijs } from '../pkijs-engine.js';
import { verifySignatureOverDigest, verifySignatureValue } from './signature-value.js';

/** The digest of the signed content, or a function computing it for the signer's algorithm. */
export type ContentDigest = Buffer | ((hash: HashAlgorithm) => Buffer | Promise<Buffer>);

/** What checking one SignerInfo found (RFC 5652 5.6). */
export interface SignerInfoCheck {
  digestAlgorithm?: HashAlgorithm;
  digestAlgorithmOid: string;
  signatureAlgorithm: string;
  /** message-digest attribute (or, without attributes, the recovered digest) equals content. */
  digestMatches: boolean;
  signatureValid: boolean;
  /** Set when an algorithm could not be checked; the booleans above are then false. */
  unsupported?: string;
  signerCertificate?: Buffer;
  signatureValue: Buffer;
}

/**
 * Parses BER/DER ContentInfo(SignedData); throws PkiCmsMalformed for anything else. Bytes after
 * the structure are ignored: a PDF's /Contents is zero-padded to its reserved size.
 */
export function parseSignedData(der: Uint8Array): pkijs.SignedData {
  ensurePkijsEngine();
  try {
    const parsed = asn1js.fromBER(der);
    if (parsed.offset === -1) throw new Error(parsed.result.error);
    const contentInfo = new pkijs.ContentInfo({ schema: parsed.result });
    if (contentInfo.contentType !== Oid.signedData) {
      throw new Error(`content type ${contentInfo.contentType} is not signed-data`);
    }
    const signedData = new pkijs.SignedData({ schema: contentInfo.content });
    if (!signedData.signerInfos.length) throw new Error('no SignerInfo');
    return signedData;
  } catch (cause) {
    throw new PkiError(PkiErrorCode.PkiCmsMalformed, 'not a CMS SignedData structure', { cause });
  }
}

/** Values of a signed (or unsigned) attribute of a SignerInfo. */
export function attributeValues(
  attributes: pkijs.SignedAndUnsignedAttributes | undefined,
  type: string,
): asn1js.AsnType[] | undefined {
  return attributes?.attributes.find((a) => a.type === type)?.values;
}

/** DER of every certificate in the SignedData certificate set (attribute certificates skipped). */
export function certificatesOf(signedData: pkijs.SignedData): Buffer[] {
  return (signedData.certificates ?? [])
    .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
    .map((c) => Buffer.from(c.toSchema().toBER()));
}

/** The certificate a SignerInfo's sid names: IssuerAndSerialNumber or SubjectKeyIdentifier. */
export function findSignerCertificate(
  signedData: pkijs.SignedData,
  signerInfo: pkijs.SignerInfo,
): pkijs.Certificate | undefined {
  const certificates = (signedData.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
  );
  const sid: unknown = signerInfo.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certificates.find(
      (c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber),
    );
  }
  // RFC 5652 5.3: [0] SubjectKeyIdentifier
  const keyId = Buffer.from((sid as asn1js.Primitive).valueBlock.valueHexView);
  return certificates.find((c) => {
    const ski = c.extensions?.find((e) => e.extnID === '2.5.29.14')?.parsedValue as
      asn1js.OctetString | undefined;
    return ski ? keyId.equals(ski.valueBlock.valueHexView) : false;
  });
}

/**
 * Checks the first SignerInfo of a SignedData: message digest against the content digest,
 * and the signature value with the signer certificate's public key. Unsupported algorithms are
 * reported, not thrown.
 */
export async function checkSignerInfo(
  signedData: pkijs.SignedData,
  contentDigest: ContentDigest,
): Promise<SignerInfoCheck> {
  const signerInfo = signedData.signerInfos[0]!;
  const digestAlgorithmOid = signerInfo.digestAlgorithm.algorithmId;
  const digestAlgorithm = hashFromOid(digestAlgorithmOid);
  const signatureValue = Buffer.from(signerInfo.signature.valueBlock.valueHexView);
  const certificate = findSignerCertificate(signedData, signerInfo);
  const result: SignerInfoCheck = {
    digestAlgorithm,
    digestAlgorithmOid,
    signatureAlgorithm: signerInfo.signatureAlgorithm.algorithmId,
    digestMatches: false,
    signatureValid: false,
    signerCertificate: certificate ? Buffer.from(certificate.toSchema().toBER()) : undefined,
    signatureValue,
  };
  if (!digestAlgorithm) {
    return { ...result, unsupported: `digest algorithm ${digestAlgorithmOid}` };
  }

  const actual = await digestFor(contentDigest, digestAlgorithm);
  if (!actual) {
    return { ...result, unsupported: `a ${digestAlgorithm} digest of the content was not given` };
  }
  if (!result.signerCertificate) return result;

  const publicKey = parseCertificate(result.signerCertificate).publicKey;
  return { ...result, ...verifyValue(signerInfo, digestAlgorithm, actual, publicKey) };
}

function verifyValue(
  signerInfo: pkijs.SignerInfo,
  hash: HashAlgorithm,
  actualDigest: Buffer,
  publicKey: KeyObject,
): Partial<SignerInfoCheck> {
  const signature = Buffer.from(signerInfo.signature.valueBlock.valueHexView);

  if (!signerInfo.signedAttrs) {
    const check = verifySignatureOverDigest(
      signerInfo.signatureAlgorithm,
      actualDigest,
      publicKey,
      signature,
    );
    return {
      signatureAlgorithm: check.algorithm,
      signatureValid: check.valid,
      digestMatches: check.valid,
      unsupported: check.unsupported,
    };
  }

  const messageDigest = attributeValues(signerInfo.signedAttrs, Oid.messageDigest)?.[0];
  const digestMatches =
    messageDigest instanceof asn1js.OctetString &&
    actualDigest.equals(messageDigest.valueBlock.valueHexView);
  // RFC 5652 5.4: verify over the attributes as received, re-tagged as an explicit SET OF.
  const signedBytes = Buffer.from(toBuffer(signerInfo.signedAttrs.encodedValue));
  signedBytes[0] = 0x31;
  const check = verifySignatureValue(
    signerInfo.signatureAlgorithm,
    hash,
    publicKey,
    signedBytes,
    signature,
  );
  return {
    signatureAlgorithm: check.algorithm,
    signatureValid: check.valid,
    digestMatches,
    unsupported: check.unsupported,
  };
}

async function digestFor(digest: ContentDigest, hash: HashAlgorithm): Promise<Buffer | undefined> {
  if (typeof digest === 'function') return digest(hash);
  return digest.length === hashLength(hash) ? digest : undefined;
}
