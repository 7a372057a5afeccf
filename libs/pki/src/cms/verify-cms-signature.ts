import { createHash } from 'node:crypto';

import * as asn1js from 'asn1js';

import { hashLength, type HashAlgorithm } from '../algorithms.js';
import { readSealSubject } from '../ca/seal-certificate.js';
import { checkRevocation } from '../crl/revocation-status.js';
import { parsedCertificate } from '../cache/parsed-certificates.js';
import type { CertificateDer } from '../der.js';
import { Oid } from '../oids.js';
import type { pkijs } from '../pkijs-engine.js';
import {
  parseTimeStampToken,
  signingCertificateMatches,
  verifyTimeStampToken,
} from '../tsp/timestamp-token.js';
import { buildCertificationPath, validityAt } from '../validation/certification-path.js';
import { validateCertificationPath, type PathProblem } from '../validation/path-validation.js';
import { readEssCertId } from './signing-certificate-v2.js';
import type {
  CmsProblem,
  CmsVerificationOptions,
  CmsVerificationReport,
  ContentKind,
  SignerCertificateReport,
  TimestampReport,
} from './verification-report.js';
import {
  attributeValues,
  certificatesOf,
  checkSignerInfo,
  parseSignedData,
  type ContentDigest,
  type SignerInfoCheck,
} from './signer-info.js';

/**
 * Verifies a CMS/CAdES/PKCS#7 detached signature (ours or another product's) and reports each
 * check rather than throwing: integrity (message digest), signature value (RSA PKCS#1 v1.5,
 * RSA-PSS, ECDSA), signer certificate and chain, validity at signing time and now, revocation
 * from the given CRLs, the signature time-stamp (RFC 3161 appendix A) and
 * signing-certificate(-v2). Throws PkiCmsMalformed only for bytes that are not SignedData.
 * TODO(pki): only the first SignerInfo is verified; PDF signatures carry exactly one.
 *
 * @example
 * const report = await verifyCmsSignature(contents, (hash) => hashByteRanges(pdf, hash),
 *   { trustRoots: [platformRoot], crls, at: new Date(), claimedSigningTime: m });
 */
export async function verifyCmsSignature(
  cms: Uint8Array,
  signedContentDigest: ContentDigest,
  options: CmsVerificationOptions,
): Promise<CmsVerificationReport> {
  const at = options.at ?? new Date();
  const signedData = parseSignedData(cms);
  const signerInfo = signedData.signerInfos[0]!;
  const embedded = certificatesOf(signedData);
  const problems: CmsProblem[] = [];

  const { check, contentKind } = await checkContent(cms, signedData, signedContentDigest);
  if (check.unsupported) problems.push('unsupportedAlgorithm');
  if (!check.signerCertificate) problems.push('signerCertificateMissing');
  if (!check.unsupported && !check.digestMatches) problems.push('digestMismatch');
  if (!check.unsupported && check.signerCertificate && !check.signatureValid) {
    problems.push('signatureInvalid');
  }

  const timestamp = await checkTimestamp(signerInfo, check.signatureValue, options);
  const documentTimestamp =
    contentKind === 'documentTimestamp' ? parseTimeStampToken(cms) : undefined;
  if (timestamp.present && !timestamp.valid) problems.push('timestampInvalid');
  if (timestamp.present && timestamp.valid && !timestamp.trusted) {
    problems.push('timestampNotTrusted');
  }
  if (timestamp.present && timestamp.valid)
    problems.push(...timestampCertificateProblems(timestamp));
  // ETSI EN 319 102-1 5.6.2.2 (POE): only a trusted time-stamp proves when the signature
  // existed. A claimed /M or signing-time attribute, or a token from a TSA the platform does
  // not trust, is whatever the signer (or whoever holds the key) chose to write.
  const signingTime = documentTimestamp
    ? { time: documentTimestamp.genTime, source: 'timestamp' as const, proven: false }
    : chooseSigningTime(signerInfo, timestamp, options.claimedSigningTime);

  const report: CmsVerificationReport = {
    valid: false,
    contentKind,
    digestAlgorithm: check.digestAlgorithm ?? check.digestAlgorithmOid,
    signatureAlgorithm: check.signatureAlgorithm,
    digestMatches: check.digestMatches,
    signatureValid: check.signatureValid,
    unsupported: check.unsupported,
    chain: { trusted: false, notIssuedByPlatform: true, path: [] },
    signingTime,
    validationTime: at,
    revocation: { status: 'notChecked' },
    timestamp,
    signingCertificate: 'absent',
    problems,
  };
  const signer = check.signerCertificate;
  if (!signer) return report;

  report.signer = describeSigner(signer);
  const path = buildCertificationPath(signer, embedded, options.trustRoots);
  // RFC 5280 6.1: the path is checked at the proven signing time, so a signature time-stamped
  // while the chain was valid stays valid after it expires; without proof, at `at`. A
  // document time-stamp proves its own genTime once its TSA chains to a trust root.
  const claimedTime = signingTime.proven || documentTimestamp ? signingTime.time : undefined;
  let checked = validateCertificationPath(path.path, {
    at: claimedTime ?? at,
    purpose: 'signature',
  });
  const authorised = (c: typeof checked) =>
    !c.findings.some((f) => f.problem !== 'issuerNotValidAtTime' && f.index > 0);
  if (documentTimestamp) {
    signingTime.proven = path.trusted && authorised(checked) && checked.valid;
    if (!signingTime.proven)
      checked = validateCertificationPath(path.path, { at, purpose: 'signature' });
  }
  const validationTime = (signingTime.proven && signingTime.time) || at;
  report.validationTime = validationTime;
  const trusted = path.trusted && authorised(checked);
  report.chain = {
    trusted,
    notIssuedByPlatform: !trusted,
    path: path.path,
    findings: checked.findings,
    problems: checked.problems,
  };
  if (!trusted) problems.push('notIssuedByPlatform');
  problems.push(...checked.problems.map(signerPathProblem));

  report.validityAtSigningTime = validityAt(signer, validationTime);
  report.validityNow = validityAt(signer, at);
  if (report.validityAtSigningTime !== 'valid') problems.push('notValidAtSigningTime');
  if (report.validityNow === 'expired') problems.push('expiredNow');

  const issuer = path.path[1];
  if (options.crls?.length && issuer) {
    // Without a proven time a revocation is judged now: a key revoked for compromise can
    // otherwise sign with any earlier /M it likes (ETSI EN 319 102-1 5.2.6, REVOKED_NO_POE).
    report.revocation = await checkRevocation(signer, options.crls, {
      at: validationTime,
      issuerCertificate: issuer,
    });
    if (report.revocation.status === 'revoked') problems.push('revoked');
    if (report.revocation.status === 'unknown') problems.push('revocationUnknown');
  }

  report.signingCertificate = signingCertificateStatus(signerInfo, signer);
  if (report.signingCertificate === 'mismatch') problems.push('signingCertificateMismatch');

  report.valid =
    report.digestMatches &&
    report.signatureValid &&
    trusted &&
    checked.valid &&
    timestampCertificateProblems(timestamp).every(
      (p) => p === 'timestampCertificateRevocationUnknown',
    ) &&
    report.validityAtSigningTime === 'valid' &&
    report.revocation.status !== 'revoked' &&
    (!timestamp.present || (timestamp.valid && timestamp.trusted)) &&
    report.signingCertificate !== 'mismatch';
  return report;
}

/**
 * Checks the SignerInfo over the right content: the caller's digest for a detached signature,
 * else the encapsulated content, whose own link to the signed bytes is then compared (a
 * TSTInfo imprint, or the SHA-1 digest adbe.pkcs7.sha1 encapsulates).
 */
async function checkContent(
  cms: Uint8Array,
  signedData: pkijs.SignedData,
  signedContentDigest: ContentDigest,
): Promise<{ check: SignerInfoCheck; contentKind: ContentKind }> {
  const encap = signedData.encapContentInfo;
  if (!encap.eContent) {
    return {
      check: await checkSignerInfo(signedData, signedContentDigest),
      contentKind: 'detached',
    };
  }

  const eContent = Buffer.from(encap.eContent.getValue());
  const check = await checkSignerInfo(signedData, (hash) =>
    createHash(hash).update(eContent).digest(),
  );
  const digestOf = async (hash: HashAlgorithm) =>
    typeof signedContentDigest === 'function'
      ? signedContentDigest(hash)
      : signedContentDigest.length === hashLength(hash)
        ? signedContentDigest
        : undefined;

  if (encap.eContentType === Oid.tstInfo) {
    const imprint = parseTimeStampToken(cms).imprint;
    const expected = imprint.hash ? await digestOf(imprint.hash) : undefined;
    const matches = expected !== undefined && imprint.digest.equals(expected);
    return {
      check: { ...check, digestMatches: check.digestMatches && matches },
      contentKind: 'documentTimestamp',
    };
  }
  const expected = await digestOf('sha1');
  const matches = expected !== undefined && eContent.equals(expected);
  return {
    check: { ...check, digestMatches: check.digestMatches && matches },
    contentKind: 'encapsulatedDigest',
  };
}

function signerPathProblem(problem: PathProblem): CmsProblem {
  return problem === 'issuerNotValidAtTime'
    ? 'issuerNotValidAtSigningTime'
    : problem === 'extendedKeyUsageNotTimeStamping'
      ? 'signerKeyUsageNotForSigning'
      : problem;
}

/** The report names of a valid time-stamp's TSA certificate problems, one per kind. */
function timestampCertificateProblems(timestamp: TimestampReport): CmsProblem[] {
  if (!timestamp.present || !timestamp.valid) return [];
  const found = new Set<CmsProblem>();
  for (const problem of timestamp.problems) {
    switch (problem) {
      case 'extendedKeyUsageNotTimeStamping':
      case 'signerKeyUsageNotForSigning':
        found.add('timestampCertificateUsageInvalid');
        break;
      case 'issuerNotCa':
      case 'issuerKeyCertSignMissing':
      case 'pathLengthExceeded':
      case 'issuerNotValidAtTime':
        found.add('timestampCertificatePathInvalid');
        break;
      case 'tsaNotValidAtGenTime':
        found.add('timestampCertificateNotValidAtGenTime');
        break;
      case 'tsaRevoked':
        found.add('timestampCertificateRevoked');
        break;
      case 'tsaRevocationUnknown':
        found.add('timestampCertificateRevocationUnknown');
        break;
      case 'nonceMismatch':
        break;
    }
  }
  return [...found];
}

async function checkTimestamp(
  signerInfo: pkijs.SignerInfo,
  signatureValue: Buffer,
  options: CmsVerificationOptions,
): Promise<TimestampReport> {
  const token = attributeValues(signerInfo.unsignedAttrs, Oid.signatureTimeStampToken)?.[0];
  if (!token) return { present: false };

  try {
    // RFC 3161 appendix A: the imprint is the hash of the SignerInfo's signature value.
    // The token's bytes as received (re-encoding them would cost a full ASN.1 walk).
    const bytes = token.valueBeforeDecodeView.length
      ? Buffer.from(token.valueBeforeDecodeView)
      : Buffer.from(token.toBER());
    const result = await verifyTimeStampToken(
      bytes,
      (hash) => createHash(hash).update(signatureValue).digest(),
      { trustRoots: options.trustRoots, crls: options.crls },
    );
    return {
      present: true,
      valid: result.imprintMatches && result.signatureValid,
      genTime: result.genTime,
      imprintMatches: result.imprintMatches,
      signatureValid: result.signatureValid,
      trusted: result.trusted,
      tsaCertificate: result.tsaCertificate,
      unsupported: result.unsupported,
      problems: result.problems,
    };
  } catch {
    return {
      present: true,
      valid: false,
      genTime: new Date(Number.NaN),
      imprintMatches: false,
      signatureValid: false,
      trusted: false,
      problems: [],
    };
  }
}

/**
 * The time to show as the signing time, and whether it is proven: a signature time-stamp
 * counts only when it is intact and its TSA is trusted for time-stamping at genTime (RFC 3161
 * 2.3 EKU, a path to a trust root, valid, not revoked; a TSA CRL that is not at hand is
 * tolerated, as in `valid`). Everything else is a claim.
 * TODO(pki): a TSA whose revocation is unknown still proves its time; stricter would need the
 * root's CRL for the TSA certificate passed in by every caller.
 */
function chooseSigningTime(
  signerInfo: pkijs.SignerInfo,
  timestamp: TimestampReport,
  claimed: Date | undefined,
): CmsVerificationReport['signingTime'] {
  if (timestampProvesTime(timestamp)) {
    return { time: timestamp.genTime, source: 'timestamp', proven: true };
  }
  if (claimed) return { time: claimed, source: 'claimed', proven: false };
  // PKCS#9 signing-time (RFC 5652 11.3), as older PKCS#7 signers add it.
  const value = attributeValues(signerInfo.signedAttrs, Oid.signingTime)?.[0];
  if (value instanceof asn1js.UTCTime || value instanceof asn1js.GeneralizedTime) {
    return { time: value.toDate(), source: 'signingTimeAttribute', proven: false };
  }
  return { source: 'none', proven: false };
}

function timestampProvesTime(
  timestamp: TimestampReport,
): timestamp is Extract<TimestampReport, { present: true }> {
  return (
    timestamp.present &&
    timestamp.valid &&
    timestamp.trusted &&
    !timestamp.unsupported &&
    timestampCertificateProblems(timestamp).every(
      (p) => p === 'timestampCertificateRevocationUnknown',
    )
  );
}

function signingCertificateStatus(
  signerInfo: pkijs.SignerInfo,
  signer: CertificateDer,
): CmsVerificationReport['signingCertificate'] {
  const v2 = attributeValues(signerInfo.signedAttrs, Oid.signingCertificateV2)?.[0];
  const v1 = attributeValues(signerInfo.signedAttrs, Oid.signingCertificate)?.[0];
  if (!v2 && !v1) return 'absent';
  const id = v2 ? readEssCertId(v2, true) : v1 ? readEssCertId(v1, false) : undefined;
  if (!id?.hash) return 'mismatch';
  if (!signingCertificateMatches(signerInfo, signer)) return 'mismatch';
  return v2 ? 'v2Matches' : 'v1Matches';
}

function describeSigner(certificate: CertificateDer): SignerCertificateReport {
  const parsed = parsedCertificate(certificate);
  const cert = parsed.node;
  return {
    certificate,
    subject: readSealSubject(certificate),
    issuer: parsed.issuer,
    serialNumber: cert.serialNumber.toLowerCase(),
    notBefore: new Date(cert.validFromDate.getTime()),
    notAfter: new Date(cert.validToDate.getTime()),
  };
}
