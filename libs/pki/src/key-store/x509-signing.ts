import { webcrypto, type KeyObject } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type Crypto = webcrypto.Crypto;

import * as asn1js from 'asn1js';

import { webCryptoSigningAlgorithm, type SigningAlgorithmParams } from '../algorithms.js';
import { publicKeyOf, signWith, type SigningKey } from './key-store.js';

/** What @peculiar/x509's certificate and CRL generators need to sign: key, algorithm, crypto. */
export interface X509Signing {
  signingKey: CryptoKey;
  signingAlgorithm: SigningAlgorithmParams;
  crypto: Crypto;
}

/**
 * Lets @peculiar/x509 sign a certificate or CRL with any SigningKey without the private key
 * leaving its store: the generator's one `crypto.subtle.sign` call is answered by
 * `KeyStore.sign` (a PKCS#11 store does C_Sign there), and `signingKey` is only a handle that
 * carries the algorithm. ECDSA comes back DER-encoded (RFC 5480) and is handed over as r||s,
 * the form WebCrypto returns and the generator re-encodes.
 *
 * @example
 * const s = await x509Signing({ keyStore, keyId }, issuerPublicKey);
 * await x509.X509CrlGenerator.create({ ...crl, ...s }, s.crypto);
 */
export async function x509Signing(key: SigningKey, publicKey?: KeyObject): Promise<X509Signing> {
  // The caller usually holds the public half already (the issuer's certificate): no store
  // round trip, which matters inside a database transaction (CRL re-issue).
  publicKey ??= await publicKeyOf(key);
  const signingAlgorithm = webCryptoSigningAlgorithm(publicKey);
  const handle = {
    type: 'private',
    extractable: false,
    algorithm: signingAlgorithm,
    usages: ['sign'],
  } as unknown as CryptoKey;
  // TODO(pki): SHA-256 and P-256 only, as webCryptoSigningAlgorithm chooses; a P-384 CA
  // would need the curve read from the key and 48-byte r and s.
  const size = signingAlgorithm.name === 'ECDSA' ? 32 : 0;

  const subtle = {
    sign: async (
      _algorithm: unknown,
      _key: CryptoKey,
      data: ArrayBuffer | ArrayBufferView,
    ): Promise<ArrayBuffer> => {
      const bytes = ArrayBuffer.isView(data)
        ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : new Uint8Array(data);
      const signature = await signWith(key, bytes, 'sha256');
      const value = size ? derToP1363(signature, size) : signature;
      return value.buffer.slice(
        value.byteOffset,
        value.byteOffset + value.byteLength,
      ) as ArrayBuffer;
    },
  };
  const crypto = {
    subtle,
    getRandomValues: <T extends ArrayBufferView | null>(array: T) =>
      webcrypto.getRandomValues(array as never) as T,
  } as unknown as Crypto;
  return { signingKey: handle, signingAlgorithm, crypto };
}

/** ECDSA-Sig-Value (RFC 5480 / X9.62: SEQUENCE { r, s }) as the fixed-length r||s. */
function derToP1363(der: Buffer, size: number): Buffer {
  const parsed = asn1js.fromBER(new Uint8Array(der));
  const seq = parsed.result;
  if (parsed.offset === -1 || !(seq instanceof asn1js.Sequence)) {
    throw new Error('ECDSA signature is not an ECDSA-Sig-Value');
  }
  const parts = seq.valueBlock.value.map((v) => {
    if (!(v instanceof asn1js.Integer)) throw new Error('ECDSA signature is not two INTEGERs');
    let bytes = Buffer.from(v.valueBlock.valueHexView);
    while (bytes.length > size && bytes[0] === 0) bytes = bytes.subarray(1);
    if (bytes.length > size) throw new Error('ECDSA signature value too long');
    return Buffer.concat([Buffer.alloc(size - bytes.length), bytes]);
  });
  if (parts.length !== 2) throw new Error('ECDSA signature is not two INTEGERs');
  return Buffer.concat(parts);
}
