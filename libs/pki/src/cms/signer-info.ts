import type { KeyObject } from 'node:crypto';

import * as asn1js from 'asn1js';

import { hashFromOid, hashLength, type HashAlgorithm } from '../algorithms.js';
import { parsedCertificate } from '../cache/parsed-certificates.js';
import { toBuffer } from '../der.js';
import { splitCertificateSet } from './certificate-set.js';
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
 * The certificate set of each parsed SignedData, as the bytes it holds. pkijs would parse every
 * certificate again for each signature and re-encode it for every use; the bytes are kept
 * instead, and each certificate's pkijs parse is shared across calls (`parsedCertificate`).
 */
const embeddedCertificates = new WeakMap<pkijs.SignedData, Buffer[]>();

/**
 * Parses BER/DER ContentInfo(SignedData); throws PkiCmsMalformed for anything else. Bytes after
 * the structure are ignored: a PDF's /Contents is zero-padded to its reserved size.
 */
export function parseSignedData(der: Uint8Array): pkijs.SignedData {
  ensurePkijsEngine();
  try {
    const split = splitCertificateSet(der);
    const parsed = asn1js.fromBER(split ? split.withoutCertificates : der);
    if (parsed.offset === -1) throw new Error(parsed.result.error);
    const contentInfo = new pkijs.ContentInfo({ schema: parsed.result });
    if (contentInfo.contentType !== Oid.signedData) {
      throw new Error(`content type ${contentInfo.contentType} is not signed-data`);
    }
    const certificates = split ? split.certificates : takeCertificateSet(contentInfo.content);
    // Each certificate still gets pkijs' schema check (once per distinct DER), so a malformed
    // one makes the SignedData malformed, as when pkijs parsed the set itself.
    for (const certificate of certificates) void parsedCertificate(certificate).pkijs;
    const signedData = new pkijs.SignedData({ schema: contentInfo.content });
    if (!signedData.signerInfos.length) throw new Error('no SignerInfo');
    embeddedCertificates.set(signedData, certificates);
    return signedData;
  } catch (cause) {
    throw new PkiError(PkiErrorCode.PkiCmsMalformed, 'not a CMS SignedData structure', { cause });
  }
}

/**
 * Removes `certificates [0] IMPLICIT CertificateSet` (RFC 5652 5.1) from an asn1js-parsed
 * SignedData (BER that `splitCertificateSet` does not handle) and returns its X.509
 * certificates as received.
 */
function takeCertificateSet(content: unknown): Buffer[] {
  if (!(content instanceof asn1js.Sequence)) return [];
  const fields = content.valueBlock.value;
  const index = fields.findIndex(
    (f, i) => i >= 3 && f.idBlock.tagClass === 3 && f.idBlock.tagNumber === 0,
  );
  if (index === -1) return [];
  const set = fields[index] as asn1js.Constructed;
  const certificates = (set.valueBlock.value ?? [])
    .filter((c) => c.idBlock.tagClass === 1)
    .map((c) => Buffer.from(c.valueBeforeDecodeView));
  fields.splice(index, 1);
  return certificates;
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
  const kept = embeddedCertificates.get(signedData);
  if (kept) return [...kept];
  return (signedData.certificates ?? [])
    .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
    .map((c) => Buffer.from(c.toSchema().toBER()));
}

/** The certificate a SignerInfo's sid names: IssuerAndSerialNumber or SubjectKeyIdentifier. */
export function findSignerCertificate(
  signedData: pkijs.SignedData,
  signerInfo: pkijs.SignerInfo,
): Buffer | undefined {
  const certificates = certificatesOf(signedData).map((der) => ({
    der,
    cert: parsedCertificate(der).pkijs,
  }));
  const sid: unknown = signerInfo.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certificates.find(
      ({ cert }) => cert.issuer.isEqual(sid.issuer) && cert.serialNumber.isEqual(sid.serialNumber),
    )?.der;
  }
  // RFC 5652 5.3: [0] SubjectKeyIdentifier
  const keyId = Buffer.from((sid as asn1js.Primitive).valueBlock.valueHexView);
  return certificates.find(({ cert }) => {
    const ski = cert.extensions?.find((e) => e.extnID === '2.5.29.14')?.parsedValue as
      asn1js.OctetString | undefined;
    return ski ? keyId.equals(ski.valueBlock.valueHexView) : false;
  })?.der;
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
    signerCertificate: certificate,
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

  const publicKey = parsedCertificate(result.signerCertificate).publicKey;
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
