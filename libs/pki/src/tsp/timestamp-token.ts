import { createHash } from 'node:crypto';

import { hashFromOid, type HashAlgorithm } from '../algorithms.js';
import {
  attributeValues,
  certificatesOf,
  checkSignerInfo,
  parseSignedData,
  type ContentDigest,
} from '../cms/signer-info.js';
import { readEssCertId } from '../cms/signing-certificate-v2.js';
import { parsedCertificate } from '../cache/parsed-certificates.js';
import type { CertificateDer } from '../der.js';
import { PkiError, PkiErrorCode } from '../errors.js';
import { Oid } from '../oids.js';
import { ensurePkijsEngine, pkijs } from '../pkijs-engine.js';
import { checkRevocation, type RevocationStatus } from '../crl/revocation-status.js';
import {
  buildCertificationPath,
  validityAt,
  type ValidityStatus,
} from '../validation/certification-path.js';
import { validateCertificationPath, type PathProblem } from '../validation/path-validation.js';

/** The TSTInfo of a time-stamp token (RFC 3161 2.4.2), decoded. */
export interface TimeStampTokenInfo {
  genTime: Date;
  policy: string;
  serialNumber: string;
  nonce?: Buffer;
  imprint: { hash?: HashAlgorithm; hashOid: string; digest: Buffer };
  accuracySeconds?: number;
  /** Every certificate the token carries (TSA first when present). */
  certificates: CertificateDer[];
}

/** Decodes a TimeStampToken (DER ContentInfo); throws PkiTimestampMalformed. */
export function parseTimeStampToken(token: Uint8Array): TimeStampTokenInfo {
  return decode(token).info;
}

/**
 * The token of a DER TimeStampResp; throws PkiTimestampRejected unless the status is granted
 * (or grantedWithMods), with the TSA's status text and failInfo in the message.
 */
export function extractTimeStampToken(response: Uint8Array): Buffer {
  ensurePkijsEngine();
  let parsed: pkijs.TimeStampResp;
  try {
    parsed = pkijs.TimeStampResp.fromBER(response);
  } catch (cause) {
    throw new PkiError(PkiErrorCode.PkiTimestampMalformed, 'not a TimeStampResp', { cause });
  }
  const { status, statusStrings, failInfo } = parsed.status;
  if (status > pkijs.PKIStatus.grantedWithMods || !parsed.timeStampToken) {
    const text = statusStrings?.map((s) => s.valueBlock.value).join('; ') ?? '';
    const bits = failInfo ? Buffer.from(failInfo.valueBlock.valueHexView).toString('hex') : '';
    throw new PkiError(
      PkiErrorCode.PkiTimestampRejected,
      `time-stamp rejected: status ${status}${text ? ` (${text})` : ''}${bits ? ` failInfo ${bits}` : ''}`,
    );
  }
  return Buffer.from(parsed.timeStampToken.toSchema().toBER());
}

/**
 * Why a token's TSA certificate or nonce is not acceptable, besides imprint and signature:
 * the RFC 5280 path problems of the TSA certificate (at genTime), and
 * - `nonceMismatch`: the caller's expected nonce is not the token's (RFC 3161 2.4.2);
 * - `tsaNotValidAtGenTime`: genTime lies outside the TSA certificate's validity;
 * - `tsaRevoked`: a CRL lists the TSA certificate as revoked at or before genTime;
 * - `tsaRevocationUnknown`: CRLs were given but none from the TSA certificate's issuer holds.
 */
export type TimeStampProblem =
  PathProblem | 'nonceMismatch' | 'tsaNotValidAtGenTime' | 'tsaRevoked' | 'tsaRevocationUnknown';

export interface TimeStampVerificationOptions {
  trustRoots?: CertificateDer[];
  /** The nonce sent in the request; when given, the token must echo it (RFC 3161 2.4.2). */
  expectedNonce?: Uint8Array;
  /** CRLs (DER) to check the TSA certificate's revocation at genTime. */
  crls?: Uint8Array[];
}

export interface TimeStampVerification {
  genTime: Date;
  /** The token's imprint equals the expected digest of the time-stamped data. */
  imprintMatches: boolean;
  /** The TSA's signature over the TSTInfo (message digest and signature value) holds. */
  signatureValid: boolean;
  /** signing-certificate-v2 (or v1) names the certificate that signed. */
  signingCertificateMatches: boolean;
  /**
   * The signer certificate has extendedKeyUsage id-kp-timeStamping (RFC 3161 2.3). Lenient:
   * `problems` holds `extendedKeyUsageNotTimeStamping` unless it is critical and the only one.
   */
  timeStampingUsage: boolean;
  /**
   * The TSA certificate chains to one of `trustRoots` (false when none were given) through
   * certificates that may issue certificates (`buildCertificationPath`).
   */
  trusted: boolean;
  /** Set when `expectedNonce` was given. */
  nonceMatches?: boolean;
  /** Whether genTime lies within the TSA certificate's validity. */
  tsaValidityAtGenTime?: ValidityStatus;
  /** The TSA certificate's revocation status at genTime; `notChecked` without CRLs. */
  tsaRevocation: RevocationStatus | { status: 'notChecked' };
  /** Every TSA certificate and nonce problem; empty for a clean token. */
  problems: TimeStampProblem[];
  tsaCertificate?: CertificateDer;
  info: TimeStampTokenInfo;
  unsupported?: string;
}

/**
 * Verifies a time-stamp token against the digest of what it should certify; reports, never
 * throws for a bad signature (only for a token that is not a token at all). The TSA
 * certificate is checked at genTime: RFC 3161 2.3 extended key usage, the RFC 5280 path
 * constraints up to the trust root, validity, and revocation when CRLs are given.
 *
 * @example
 * const v = await verifyTimeStampToken(token, sha256(signatureValue), { trustRoots: [root] });
 * if (v.imprintMatches && v.signatureValid && v.trusted) use(v.genTime);
 */
export async function verifyTimeStampToken(
  token: Uint8Array,
  expectedImprint: ContentDigest,
  options: TimeStampVerificationOptions = {},
): Promise<TimeStampVerification> {
  const { info, signedData, eContent } = decode(token);

  const expected =
    typeof expectedImprint === 'function'
      ? info.imprint.hash && (await expectedImprint(info.imprint.hash))
      : expectedImprint;
  const check = await checkSignerInfo(signedData, (hash) =>
    createHash(hash).update(eContent).digest(),
  );
  const tsaCertificate = check.signerCertificate;
  const signerInfo = signedData.signerInfos[0]!;
  const tsa = tsaCertificate
    ? await checkTsaCertificate(tsaCertificate, info, options)
    : { trusted: false, tsaRevocation: { status: 'notChecked' as const }, problems: [] };
  const problems: TimeStampProblem[] = [...tsa.problems];
  const nonceMatches =
    options.expectedNonce === undefined
      ? undefined
      : !!info.nonce && sameInteger(info.nonce, options.expectedNonce);
  if (nonceMatches === false) problems.push('nonceMismatch');

  return {
    genTime: info.genTime,
    imprintMatches: expected !== undefined && info.imprint.digest.equals(expected),
    signatureValid: check.digestMatches && check.signatureValid,
    signingCertificateMatches: tsaCertificate
      ? signingCertificateMatches(signerInfo, tsaCertificate)
      : false,
    timeStampingUsage: tsaCertificate ? hasTimeStampingUsage(tsaCertificate) : false,
    trusted: tsa.trusted,
    nonceMatches,
    tsaValidityAtGenTime: tsa.validity,
    tsaRevocation: tsa.tsaRevocation,
    problems,
    tsaCertificate,
    info,
    unsupported: check.unsupported,
  };
}

async function checkTsaCertificate(
  tsaCertificate: CertificateDer,
  info: TimeStampTokenInfo,
  options: TimeStampVerificationOptions,
): Promise<{
  trusted: boolean;
  validity?: ValidityStatus;
  tsaRevocation: RevocationStatus | { status: 'notChecked' };
  problems: TimeStampProblem[];
}> {
  const at = info.genTime;
  const built = buildCertificationPath(tsaCertificate, info.certificates, options.trustRoots ?? []);
  const checked = validateCertificationPath(built.path, { at, purpose: 'timeStamping' });
  const problems: TimeStampProblem[] = [...checked.problems];
  const validity = validityAt(tsaCertificate, at);
  if (validity !== 'valid') problems.push('tsaNotValidAtGenTime');

  let tsaRevocation: RevocationStatus | { status: 'notChecked' } = { status: 'notChecked' };
  const issuer = built.path[1];
  if (options.crls?.length) {
    tsaRevocation = issuer
      ? await checkRevocation(tsaCertificate, options.crls, { at, issuerCertificate: issuer })
      : { status: 'unknown' };
    if (tsaRevocation.status === 'revoked') problems.push('tsaRevoked');
    if (tsaRevocation.status === 'unknown') problems.push('tsaRevocationUnknown');
  }
  return {
    trusted: !!options.trustRoots?.length && built.trusted,
    validity,
    tsaRevocation,
    problems,
  };
}

/** Compares two big-endian INTEGER encodings by value (leading zero bytes do not count). */
function sameInteger(a: Uint8Array, b: Uint8Array): boolean {
  const strip = (x: Uint8Array): Buffer => {
    let i = 0;
    while (i < x.length - 1 && x[i] === 0) i++;
    return Buffer.from(x.subarray(i));
  };
  return strip(a).equals(strip(b));
}

/** RFC 5035 / RFC 2634: the ESSCertID(v2) hash must be the hash of the signer certificate. */
export function signingCertificateMatches(
  signerInfo: pkijs.SignerInfo,
  certificate: CertificateDer,
): boolean {
  const v2 = attributeValues(signerInfo.signedAttrs, Oid.signingCertificateV2)?.[0];
  const v1 = attributeValues(signerInfo.signedAttrs, Oid.signingCertificate)?.[0];
  const id = v2 ? readEssCertId(v2, true) : v1 ? readEssCertId(v1, false) : undefined;
  if (!id?.hash) return false;
  return createHash(id.hash).update(certificate).digest().equals(id.certHash);
}

function hasTimeStampingUsage(certificate: CertificateDer): boolean {
  const eku = parsedCertificate(certificate).constraints.extendedKeyUsage;
  return eku?.usages.includes(Oid.timeStamping) ?? false;
}

function decode(token: Uint8Array): {
  info: TimeStampTokenInfo;
  signedData: pkijs.SignedData;
  eContent: Buffer;
} {
  let signedData: pkijs.SignedData;
  try {
    signedData = parseSignedData(token);
  } catch (cause) {
    throw new PkiError(PkiErrorCode.PkiTimestampMalformed, 'not a time-stamp token', { cause });
  }
  const encap = signedData.encapContentInfo;
  if (encap.eContentType !== Oid.tstInfo || !encap.eContent) {
    throw new PkiError(PkiErrorCode.PkiTimestampMalformed, 'token does not contain a TSTInfo');
  }
  // eContent may be a constructed OCTET STRING in BER; getValue() joins the pieces.
  const eContent = Buffer.from(encap.eContent.getValue());
  let tst: pkijs.TSTInfo;
  try {
    tst = pkijs.TSTInfo.fromBER(eContent);
  } catch (cause) {
    throw new PkiError(PkiErrorCode.PkiTimestampMalformed, 'TSTInfo is malformed', { cause });
  }

  const hashOid = tst.messageImprint.hashAlgorithm.algorithmId;
  const info: TimeStampTokenInfo = {
    genTime: tst.genTime,
    policy: tst.policy,
    serialNumber: Buffer.from(tst.serialNumber.valueBlock.valueHexView).toString('hex'),
    nonce: tst.nonce ? Buffer.from(tst.nonce.valueBlock.valueHexView) : undefined,
    imprint: {
      hash: hashFromOid(hashOid),
      hashOid,
      digest: Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView),
    },
    accuracySeconds: tst.accuracy?.seconds,
    certificates: certificatesOf(signedData),
  };
  return { info, signedData, eContent };
}
