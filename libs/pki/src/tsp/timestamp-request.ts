import { randomBytes } from 'node:crypto';

import * as asn1js from 'asn1js';

import { hashLength, hashOid, type HashAlgorithm } from '../algorithms.js';
import { PkiError, PkiErrorCode } from '../errors.js';
import { ensurePkijsEngine, pkijs } from '../pkijs-engine.js';

export interface TimeStampRequest {
  /** DER TimeStampReq (RFC 3161 2.4.1), e.g. the body of an `application/timestamp-query`. */
  der: Buffer;
  /** The nonce sent, which the response must echo. */
  nonce: Buffer;
}

export interface TimeStampRequestOptions {
  hash?: HashAlgorithm;
  /** A positive integer's bytes; random 8 bytes by default. */
  nonce?: Buffer;
  /** Ask the TSA to include its certificate (default true: verifiers need it). */
  certReq?: boolean;
  policyOid?: string;
}

/**
 * Creates an RFC 3161 time-stamp request for a digest.
 *
 * @example
 * const { der, nonce } = createTimeStampRequest(createHash('sha256').update(data).digest());
 */
export function createTimeStampRequest(
  digest: Buffer,
  options: TimeStampRequestOptions = {},
): TimeStampRequest {
  ensurePkijsEngine();
  const hash = options.hash ?? 'sha256';
  if (digest.length !== hashLength(hash)) {
    throw new PkiError(PkiErrorCode.PkiInvalidArgument, `digest is not a ${hash} digest`);
  }
  const nonce = options.nonce ?? randomBytes(8);
  // Keep the INTEGER positive (X.690 8.3: two's complement).
  if (!options.nonce) nonce[0] = nonce[0]! & 0x7f;

  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: hashOid(hash),
        algorithmParams: new asn1js.Null(),
      }),
      hashedMessage: new asn1js.OctetString({ valueHex: digest }),
    }),
    reqPolicy: options.policyOid,
    nonce: new asn1js.Integer({ valueHex: nonce }),
    certReq: options.certReq ?? true,
  });
  return { der: Buffer.from(request.toSchema().toBER()), nonce };
}
