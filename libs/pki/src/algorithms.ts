import { KeyObject, type webcrypto } from 'node:crypto';

import { Oid } from './oids.js';

/** Hash functions this library signs or verifies with (names as node:crypto spells them). */
export type HashAlgorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'sm3';

const hashOids: Record<HashAlgorithm, string> = {
  sha1: Oid.sha1,
  sha256: Oid.sha256,
  sha384: Oid.sha384,
  sha512: Oid.sha512,
  sm3: Oid.sm3,
};

const hashLengths: Record<HashAlgorithm, number> = {
  sha1: 20,
  sha256: 32,
  sha384: 48,
  sha512: 64,
  sm3: 32,
};

export function hashOid(hash: HashAlgorithm): string {
  return hashOids[hash];
}

export function hashLength(hash: HashAlgorithm): number {
  return hashLengths[hash];
}

export function hashFromOid(oid: string): HashAlgorithm | undefined {
  return (Object.keys(hashOids) as HashAlgorithm[]).find((h) => hashOids[h] === oid);
}

/** Signature algorithm identifiers keyed by the signing key's type, per RFC 5754 section 3. */
export function signatureAlgorithmOid(key: KeyObject, hash: HashAlgorithm): string {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') {
    const oids: Partial<Record<HashAlgorithm, string>> = {
      sha1: Oid.sha1WithRsa,
      sha256: Oid.sha256WithRsa,
      sha384: Oid.sha384WithRsa,
      sha512: Oid.sha512WithRsa,
    };
    const oid = oids[hash];
    if (oid) return oid;
  }
  if (type === 'ec') {
    const oids: Partial<Record<HashAlgorithm, string>> = {
      sha1: Oid.ecdsaWithSha1,
      sha256: Oid.ecdsaWithSha256,
      sha384: Oid.ecdsaWithSha384,
      sha512: Oid.ecdsaWithSha512,
    };
    const oid = oids[hash];
    if (oid) return oid;
  }
  return '';
}

/** WebCrypto parameters for @peculiar/x509, which signs certificates and CRLs. */
export type SigningAlgorithmParams =
  webcrypto.RsaHashedImportParams | (webcrypto.EcKeyImportParams & { hash: string });

export function webCryptoSigningAlgorithm(key: KeyObject): SigningAlgorithmParams {
  if (key.asymmetricKeyType === 'ec') {
    return { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  }
  return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
}
