import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import type { Sm3Digester } from './sm3-worker.js';

/** The digests of an uploaded file, computed while it arrived. */
export interface UploadDigest {
  sha256: string;
  /** Settles once the SM3 worker has caught up with the last piece. */
  sm3: Promise<string>;
}

export type DigestedUpload = Express.Multer.File & { digest?: UploadDigest };

/**
 * Multer storage that keeps the file in memory, like multer's own memoryStorage, and hashes
 * it (SHA-256 here, SM3 on the worker) piece by piece as it arrives: by the time the request
 * handler runs, the digests are done or nearly so instead of starting then. For a 10 MB file
 * that takes SHA-256 (~7 ms) and most of SM3 (~25 ms) off the ingest's critical path.
 */
export class DigestingStorage implements StorageEngine {
  constructor(private readonly sm3: Sm3Digester) {}

  _handleFile(
    _req: Request,
    file: Express.Multer.File,
    callback: (error?: unknown, info?: Partial<DigestedUpload>) => void,
  ): void {
    const sha256 = createHash('sha256');
    const sm3 = this.sm3.begin();
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      sm3.abort();
      callback(err);
    };
    file.stream.on('data', (chunk: Buffer) => {
      sha256.update(chunk);
      sm3.update(chunk);
      chunks.push(chunk);
      size += chunk.length;
    });
    // Over the size limit: multer refuses the request; the truncated rest is not hashed.
    file.stream.on('limit', () => sm3.abort());
    file.stream.on('error', fail);
    file.stream.on('end', () => {
      if (settled) return;
      settled = true;
      const digest: UploadDigest = { sha256: sha256.digest('hex'), sm3: sm3.end() };
      // Awaited by the ingest; a file refused before that must not leave an unhandled rejection.
      digest.sm3.catch(() => undefined);
      callback(null, { buffer: Buffer.concat(chunks, size), size, digest });
    });
  }

  _removeFile(_req: Request, file: DigestedUpload, callback: (error: Error | null) => void): void {
    // Nothing was written anywhere; drop the bytes.
    delete (file as Partial<DigestedUpload>).buffer;
    callback(null);
  }
}
