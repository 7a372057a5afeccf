import { readTlv } from '../asn1/der-writer.js';
import type { CertificateDer } from '../der.js';
import { PkiError, PkiErrorCode } from '../errors.js';
import type { SigningKey } from '../key-store/key-store.js';
import { Oid } from '../oids.js';
import { attribute, buildSignedData } from './signed-data.js';

export interface CadesSignatureParams {
  /** SHA-256 of the signed bytes (for PAdES: of the PDF's /ByteRange). */
  digest: Buffer;
  /** A KeyObject, or a key store and key id (the store's cached key or HSM signs). */
  key: SigningKey;
  /** The signer's certificate (DER). */
  certificate: CertificateDer;
  /** Issuing CA(s), leaf-most first; the root may be included or left out. */
  chain?: CertificateDer[];
  /**
   * Obtains an RFC 3161 TimeStampToken (DER ContentInfo) over the signature value; the callee
   * hashes it (the token's imprint must be SHA-256 of `signatureValue`). Turns B-B into B-T.
   */
  timestamp?: (signatureValue: Buffer) => Promise<Buffer>;
}

/**
 * Creates a detached CAdES signature for PAdES (ETSI EN 319 142-1 5.1; EN 319 122-1 5.2):
 * DER ContentInfo(SignedData) with eContentType id-data and no eContent; signed attributes
 * content-type, message-digest and signing-certificate-v2 only — no signing-time, because
 * PAdES carries the claimed time in the signature dictionary's /M (EN 319 142-1 5.2.3).
 * With `timestamp`, adds the signature-time-stamp unsigned attribute (RFC 3161 appendix A).
 *
 * @example
 * const cms = await createCadesSignature({ digest, key: sealKey, certificate: sealCert,
 *   chain: [issuingCert], timestamp: (sig) => tsaClient.timestamp(sig) });
 */
export async function createCadesSignature(params: CadesSignatureParams): Promise<Buffer> {
  if (params.digest.length !== 32) {
    throw new PkiError(PkiErrorCode.PkiInvalidArgument, 'digest must be a SHA-256 digest');
  }
  const timestamp = params.timestamp;

  return buildSignedData({
    eContentType: Oid.data,
    contentDigest: params.digest,
    hash: 'sha256',
    key: params.key,
    certificate: params.certificate,
    chain: params.chain ?? [],
    unsignedAttributes: timestamp
      ? async (signature) => [
          attribute(Oid.signatureTimeStampToken, parseToken(await timestamp(signature))),
        ]
      : undefined,
  });
}

function parseToken(token: Buffer): Buffer {
  try {
    const outer = readTlv(token);
    if (outer.tag === 0x30 && outer.end === token.length) return token;
  } catch {
    // reported below
  }
  throw new PkiError(PkiErrorCode.PkiTimestampMalformed, 'time-stamp token is not valid DER');
}
