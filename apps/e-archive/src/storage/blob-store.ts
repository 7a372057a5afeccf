import type { Readable } from 'node:stream';

/**
 * Content-addressed, write-once object storage: an object's address is the SHA-256 of its
 * bytes (hex). `put` never overwrites; no API replaces content. Only disposal deletes.
 */
export interface BlobStore {
  readonly kind: 'local' | 's3';
  /** Stores the bytes under their address; a no-op when an object is already there. */
  put(sha256: string, bytes: Buffer): Promise<{ created: boolean }>;
  /** The object's bytes as a stream; rejects with BlobNotFound when absent. */
  open(sha256: string): Promise<Readable>;
  exists(sha256: string): Promise<boolean>;
  /** Disposal only (DA/T 22 destruction after approval). */
  delete(sha256: string): Promise<void>;
  /** Every address in the store, for listing orphans. */
  list(): AsyncIterable<string>;
}

export const BLOB_STORE = Symbol('BLOB_STORE');

export class BlobNotFound extends Error {
  constructor(readonly sha256: string) {
    super(`no object ${sha256}`);
    this.name = 'BlobNotFound';
  }
}

/** Bytes offered for an address they do not hash to: a caller's bug, never stored. */
export class BlobAddressMismatch extends Error {
  constructor(
    readonly sha256: string,
    readonly actual: string,
  ) {
    super(`bytes for ${sha256} hash to ${actual}`);
    this.name = 'BlobAddressMismatch';
  }
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;

export function assertAddress(sha256: string): void {
  // The address becomes a path or key: only 64 lower-case hex digits may reach it.
  if (!SHA256_HEX.test(sha256)) throw new Error('blob address must be 64 lower-case hex digits');
}
