import { KeyObject, sign as cryptoSign } from 'node:crypto';

import type { HashAlgorithm } from '../algorithms.js';
import type { KeyAlgorithm } from './key-algorithm.js';

/**
 * Where the platform's private keys live. Callers hold a key id, never key bytes.
 *
 * `EncryptedKeyStore` keeps keys encrypted in the application's database.
 * TODO(pki): PKCS#11 implementation, so an HSM can hold the keys; such a store cannot hand out
 * a private KeyObject, so signing code should go through `sign` where it can.
 */
export interface KeyStore {
  /** Creates a new key pair and returns its id. */
  generate(label: string, algorithm?: KeyAlgorithm): Promise<string>;
  /** Stores an existing private key (for instance one migrated from a file) and returns its id. */
  importPrivateKey(label: string, privateKey: KeyObject): Promise<string>;
  /** The private key, decrypted once and cached; throws PkiKeyNotFound for an unknown id. */
  getPrivateKey(keyId: string): Promise<KeyObject>;
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

/** The private KeyObject behind a SigningKey (certificate and CRL issuance need it). */
export async function privateKeyOf(key: SigningKey): Promise<KeyObject> {
  if (key instanceof KeyObject) return key;
  return key.keyStore.getPrivateKey(key.keyId);
}
