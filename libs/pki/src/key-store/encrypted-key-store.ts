import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  KeyObject,
  randomBytes,
  randomUUID,
  sign as cryptoSign,
} from 'node:crypto';

import type { HashAlgorithm } from '../algorithms.js';
import { PkiError, PkiErrorCode } from '../errors.js';
import { generateKeyPair, keyAlgorithmOf, type KeyAlgorithm } from './key-algorithm.js';
import type { KeyRecord, KeyRecordStore } from './key-record-store.js';
import type { KeyStore } from './key-store.js';

// Changing this string changes every derived key: it names the purpose (RFC 5869 section 3.2).
const KEK_INFO = 'gov-suite/pki/key-store/aes-256-gcm/v1';

export interface EncryptedKeyStoreOptions {
  /** The configured master secret (at least 32 bytes of entropy); never logged. */
  masterSecret: Uint8Array | string;
  records: KeyRecordStore;
}

/**
 * A KeyStore that keeps private keys encrypted at rest with AES-256-GCM.
 *
 * The key-encryption key is HKDF-SHA256 of the master secret; each record has its own random
 * IV, and `keyId` + `label` are bound as additional authenticated data so a record cannot be
 * moved to another id unnoticed. Decrypted keys are cached as KeyObjects for the process's life.
 *
 * @example
 * const keys = new EncryptedKeyStore({ masterSecret: config.keyStoreSecret, records: repo });
 * const keyId = await keys.generate('seal:42', 'RSA-2048');
 * const signature = await keys.sign(keyId, data);
 */
export class EncryptedKeyStore implements KeyStore {
  private readonly kek: Buffer;
  private readonly records: KeyRecordStore;
  private readonly privateKeys = new Map<string, Promise<KeyObject>>();

  constructor(options: EncryptedKeyStoreOptions) {
    const secret = Buffer.from(options.masterSecret);
    if (secret.length < 32) {
      throw new PkiError(PkiErrorCode.PkiInvalidArgument, 'masterSecret must be at least 32 bytes');
    }
    this.kek = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), KEK_INFO, 32));
    this.records = options.records;
  }

  async generate(label: string, algorithm: KeyAlgorithm = 'RSA-2048'): Promise<string> {
    const { privateKey } = await generateKeyPair(algorithm);
    return this.importPrivateKey(label, privateKey);
  }

  async importPrivateKey(label: string, privateKey: KeyObject): Promise<string> {
    const keyId = randomUUID();
    const iv = randomBytes(12);

    const cipher = createCipheriv('aes-256-gcm', this.kek, iv);
    cipher.setAAD(additionalData(keyId, label));
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
    const ciphertext = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
    pkcs8.fill(0);

    await this.records.save({
      keyId,
      label,
      algorithm: keyAlgorithmOf(privateKey) ?? privateKey.asymmetricKeyType ?? 'unknown',
      publicKey: createPublicKey(privateKey).export({ format: 'der', type: 'spki' }),
      iv,
      ciphertext,
      authTag: cipher.getAuthTag(),
      createdAt: new Date(),
    });
    this.privateKeys.set(keyId, Promise.resolve(privateKey));
    return keyId;
  }

  /**
   * The private key, decrypted once and cached; throws PkiKeyNotFound for an unknown id. Not
   * part of KeyStore (an HSM has no such thing): signing goes through `sign`.
   */
  getPrivateKey(keyId: string): Promise<KeyObject> {
    let key = this.privateKeys.get(keyId);
    if (!key) {
      key = this.loadPrivateKey(keyId);
      this.privateKeys.set(keyId, key);
      // A failed load is not cached: the record may be written a moment later.
      key.catch(() => this.privateKeys.delete(keyId));
    }
    return key;
  }

  async getPublicKey(keyId: string): Promise<KeyObject> {
    // A key already decrypted gives its public half without a read of the records (which,
    // on the embedded database, would wait behind a caller's open transaction).
    const cached = this.privateKeys.get(keyId);
    if (cached) return createPublicKey(await cached);
    const record = await this.loadRecord(keyId);
    return createPublicKey({ key: record.publicKey, format: 'der', type: 'spki' });
  }

  async sign(keyId: string, data: Uint8Array, hash: HashAlgorithm = 'sha256'): Promise<Buffer> {
    return cryptoSign(hash, data, await this.getPrivateKey(keyId));
  }

  private async loadPrivateKey(keyId: string): Promise<KeyObject> {
    const record = await this.loadRecord(keyId);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.kek, record.iv);
      decipher.setAAD(additionalData(record.keyId, record.label));
      decipher.setAuthTag(record.authTag);
      const pkcs8 = Buffer.concat([decipher.update(record.ciphertext), decipher.final()]);
      const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
      pkcs8.fill(0);
      return key;
    } catch {
      // The cause (an OpenSSL message) is dropped on purpose: nothing about the key leaves here.
      throw new PkiError(
        PkiErrorCode.PkiKeyDecryptionFailed,
        `key ${keyId} cannot be decrypted: wrong master secret or altered record`,
      );
    }
  }

  private async loadRecord(keyId: string): Promise<KeyRecord> {
    const record = await this.records.load(keyId);
    if (!record) throw new PkiError(PkiErrorCode.PkiKeyNotFound, `key ${keyId} not found`);
    return record;
  }
}

function additionalData(keyId: string, label: string): Buffer {
  return Buffer.from(JSON.stringify([keyId, label]), 'utf8');
}
