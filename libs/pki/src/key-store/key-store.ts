import { createPublicKey, KeyObject, sign as cryptoSign } from 'node:crypto';

import type { HashAlgorithm } from '../algorithms.js';
import type { KeyAlgorithm } from './key-algorithm.js';

/**
 * Where the platform's private keys live. Callers hold a key id, never key bytes: every use
 * of a private key (certificates, CRLs, CMS signatures, time-stamps) is a `sign` call, so a
 * store that cannot export keys, an HSM behind PKCS#11 (C_Sign), can implement it.
 *
 * `EncryptedKeyStore` keeps keys encrypted in the application's database.
 * TODO(pki): PKCS#11 implementation; the interface asks nothing of it that C_GenerateKeyPair,
 * C_UnwrapKey (import), C_GetAttributeValue (public key) and C_Sign cannot do.
 */
export interface KeyStore {
  /** Creates a new key pair and returns its id. */
  generate(label: string, algorithm?: KeyAlgorithm): Promise<string>;
  /** Stores an existing private key (for instance one migrated from a file) and returns its id. */
  importPrivateKey(label: string, privateKey: KeyObject): Promise<string>;
  /** Throws PkiKeyNotFound for an unknown id. */
  getPublicKey(keyId: string): Promise<KeyObject>;
  /** Signs `data` (hashing it with `hash`); RSA PKCS#1 v1.5, or DER-encoded ECDSA. */
  sign(keyId: string, data: Uint8Array, hash?: HashAlgorithm): Promise<Buffer>;
}

/** A private key given directly, or a key held by a key store. */
export type SigningKey = KeyObject | { keyStore: KeyStore; keyId: string };

/** Signs with either form of SigningKey; RSA PKCS#1 v1.5 or DER-encoded ECDSA (RFC 5753). */
export async function signWith(
  key: SigningKey,
  data: Uint8Array,
  hash: HashAlgorithm = 'sha256',
): Promise<Buffer> {
  if (key instanceof KeyObject) return cryptoSign(hash, data, key);
  return key.keyStore.sign(key.keyId, data, hash);
}

/** The public half of a SigningKey (to choose the signature algorithm, to verify). */
export async function publicKeyOf(key: SigningKey): Promise<KeyObject> {
  if (key instanceof KeyObject) return key.type === 'public' ? key : createPublicKey(key);
  return key.keyStore.getPublicKey(key.keyId);
}
