import { createHash, randomBytes } from 'node:crypto';

import * as asn1js from 'asn1js';

import { hashFromOid, hashLength, type HashAlgorithm } from '../algorithms.js';
import { buildSignedData } from '../cms/signed-data.js';
import type { CertificateDer } from '../der.js';
import type { SigningKey } from '../key-store/key-store.js';
import { Oid } from '../oids.js';
import { ensurePkijsEngine, pkijs } from '../pkijs-engine.js';

export interface TimeStampResponderOptions {
  key: SigningKey;
  /** The TSA certificate (extendedKeyUsage id-kp-timeStamping only, critical). */
  certificate: CertificateDer;
  /** Issuing CA(s), included with the TSA certificate when the request asks (certReq). */
  chain?: CertificateDer[];
  /** The TSA policy under which tokens are issued (RFC 3161 2.4.2 policy). */
  policyOid: string;
  /** The time to certify; the caller reads it from its trusted clock. */
  now: Date;
  /** Unique serial of the token (positive integer bytes); random 16 bytes by default. */
  serialNumber?: Buffer;
  /** Accuracy of `now` in seconds (RFC 3161 2.4.2), omitted by default. */
  accuracySeconds?: number;
}

// RFC 3161 2.4.2 PKIFailureInfo bit numbers.
export enum TimeStampFailure {
  badAlg = 0,
  badRequest = 2,
  badDataFormat = 5,
  unacceptedPolicy = 15,
  systemFailure = 25,
}

const ACCEPTED_HASHES: HashAlgorithm[] = ['sha256', 'sha384', 'sha512', 'sm3'];

/**
 * Answers a DER TimeStampReq with a DER TimeStampResp (RFC 3161 2.4.2): status granted and a
 * token whose TSTInfo copies the message imprint, certifies `now` and echoes the nonce, signed
 * with content-type, message-digest and signing-certificate-v2 (RFC 5816). A malformed request,
 * a weak or unknown hash, or a foreign policy is answered with status rejection and failInfo.
 *
 * @example
 * const resp = await respondToTimeStampRequest(req, { key, certificate: tsaCert,
 *   chain: [issuingCert], policyOid: '1.2.3.4.1', now: clock.now() });
 */
export async function respondToTimeStampRequest(
  requestDer: Uint8Array,
  options: TimeStampResponderOptions,
): Promise<Buffer> {
  ensurePkijsEngine();
  let request: pkijs.TimeStampReq;
  try {
    request = pkijs.TimeStampReq.fromBER(requestDer);
  } catch {
    return rejection(TimeStampFailure.badDataFormat, 'request is not a DER TimeStampReq');
  }

  const hash = hashFromOid(request.messageImprint.hashAlgorithm.algorithmId);
  if (request.version !== 1) {
    return rejection(TimeStampFailure.badRequest, 'request version must be 1');
  }
  if (!hash || !ACCEPTED_HASHES.includes(hash)) {
    return rejection(TimeStampFailure.badAlg, 'hash algorithm not accepted');
  }
  const imprint = Buffer.from(request.messageImprint.hashedMessage.valueBlock.valueHexView);
  if (imprint.length !== hashLength(hash)) {
    return rejection(TimeStampFailure.badRequest, 'hashed message length does not match');
  }
  if (request.reqPolicy && request.reqPolicy !== options.policyOid) {
    return rejection(TimeStampFailure.unacceptedPolicy, 'policy not supported');
  }

  const tstInfo = new pkijs.TSTInfo({
    version: 1,
    policy: options.policyOid,
    messageImprint: request.messageImprint,
    serialNumber: new asn1js.Integer({ valueHex: options.serialNumber ?? positive(16) }),
    // DER GeneralizedTime without fractions (RFC 3161 2.4.2): whole seconds.
    genTime: new Date(Math.floor(options.now.getTime() / 1000) * 1000),
    accuracy: options.accuracySeconds
      ? new pkijs.Accuracy({ seconds: options.accuracySeconds })
      : undefined,
    nonce: request.nonce,
  });
  const eContent = Buffer.from(tstInfo.toSchema().toBER());
  const token = await buildSignedData({
    eContentType: Oid.tstInfo,
    eContent,
    contentDigest: createHash('sha256').update(eContent).digest(),
    hash: 'sha256',
    key: options.key,
    certificate: options.certificate,
    chain: options.chain ?? [],
    omitCertificates: !request.certReq,
  });

  const response = new pkijs.TimeStampResp({
    status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.granted }),
    timeStampToken: pkijs.ContentInfo.fromBER(token),
  });
  return Buffer.from(response.toSchema().toBER());
}

function rejection(failure: TimeStampFailure, text: string): Buffer {
  // A named BIT STRING in DER carries no trailing zero bits (X.690 11.2.2).
  const bytes = Buffer.alloc((failure >> 3) + 1);
  bytes[failure >> 3] = 0x80 >> (failure & 7);
  const response = new pkijs.TimeStampResp({
    status: new pkijs.PKIStatusInfo({
      status: pkijs.PKIStatus.rejection,
      statusStrings: [new asn1js.Utf8String({ value: text })],
      failInfo: new asn1js.BitString({ valueHex: bytes, unusedBits: 7 - (failure & 7) }),
    }),
  });
  return Buffer.from(response.toSchema().toBER());
}

function positive(length: number): Buffer {
  const bytes = randomBytes(length);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes;
}
