import { createHash } from 'node:crypto';

import { createTimeStampRequest } from './timestamp-request.js';
import {
  respondToTimeStampRequest,
  type TimeStampResponderOptions,
} from './timestamp-responder.js';
import { extractTimeStampToken } from './timestamp-token.js';

/**
 * A `timestamp` callback for `createCadesSignature` served by the platform's own TSA key in
 * process (no HTTP): hashes the signature value with SHA-256, answers the request and returns
 * the token. `now` is read per call.
 *
 * @example
 * const timestamp = localTimestamper({ key, certificate: tsaCert, chain, policyOid },
 *   () => new Date());
 * await createCadesSignature({ digest, key, certificate, chain, timestamp });
 */
export function localTimestamper(
  tsa: Omit<TimeStampResponderOptions, 'now'>,
  now: () => Date,
): (signatureValue: Buffer) => Promise<Buffer> {
  return async (signatureValue) => {
    const imprint = createHash('sha256').update(signatureValue).digest();
    const request = createTimeStampRequest(imprint);
    const response = await respondToTimeStampRequest(request.der, { ...tsa, now: now() });
    return extractTimeStampToken(response);
  };
}
