/**
 * One private key as stored at rest: encrypted with AES-256-GCM, never in the clear.
 * The application persists these fields as they are (bytea / base64 columns).
 */
export interface KeyRecord {
  keyId: string;
  label: string;
  algorithm: string;
  /** SubjectPublicKeyInfo DER, kept in the clear so public operations need no decryption. */
  publicKey: Buffer;
  /** 12-byte random nonce, fresh for each record (NIST SP 800-38D section 8.2.2). */
  iv: Buffer;
  /** Encrypted PKCS#8 DER of the private key. */
  ciphertext: Buffer;
  authTag: Buffer;
  createdAt: Date;
}

/** The storage port an application implements with its database. */
export interface KeyRecordStore {
  load(keyId: string): Promise<KeyRecord | undefined>;
  save(record: KeyRecord): Promise<void>;
}

/** A KeyRecordStore in memory, for tests and tools. */
export class InMemoryKeyRecordStore implements KeyRecordStore {
  private readonly records = new Map<string, KeyRecord>();

  load(keyId: string): Promise<KeyRecord | undefined> {
    return Promise.resolve(this.records.get(keyId));
  }

  save(record: KeyRecord): Promise<void> {
    this.records.set(record.keyId, record);
    return Promise.resolve();
  }

  /** Every stored record, so tests can inspect what is at rest. */
  all(): KeyRecord[] {
    return [...this.records.values()];
  }
}
