import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { assertAddress, BlobAddressMismatch, BlobNotFound, type BlobStore } from './blob-store.js';
import { sha256Of } from './object-digest.js';
import { objectBodyStream } from './s3-object-body.js';

export interface S3BlobStoreOptions {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Keys per ListObjectsV2 page; unset, the server's own (S3: 1,000, also its maximum). */
  listPageSize?: number;
}

/**
 * The same write-once store on an S3-compatible object store, objects under
 * `sha256/ab/<address>`.
 *
 * Write-once rests on three things, so that it holds on servers that honour less than S3:
 * the bytes must hash to their address (checked here, before any request), an existing key
 * is never written (HEAD first), and the PUT is conditional with a SHA-256 checksum for the
 * servers that honour those (S3, MinIO). Tested against s3rver, which ignores the last two:
 * see test/s3-blob-store.spec.ts.
 *
 * @example
 * const store = new S3BlobStore({ endpoint: 'http://127.0.0.1:9000', region: 'us-east-1',
 *   bucket: 'e-archive', accessKeyId, secretAccessKey });
 * await store.put(sha256Of(bytes), bytes); // { created: true }, then { created: false }
 */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;

  constructor(private readonly options: S3BlobStoreOptions) {
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: Boolean(options.endpoint),
      credentials:
        options.accessKeyId && options.secretAccessKey
          ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
          : undefined,
    });
  }

  private key(sha256: string): string {
    assertAddress(sha256);
    return `sha256/${sha256.slice(0, 2)}/${sha256}`;
  }

  async put(sha256: string, bytes: Buffer): Promise<{ created: boolean }> {
    const key = this.key(sha256);
    // Content addressing is what makes write-once hold on any server: only bytes that hash
    // to the address may go under it, so whatever the server does with the conditions below,
    // an overwrite (two writers racing past the HEAD) could only write identical bytes.
    const actual = sha256Of(bytes);
    if (actual !== sha256) throw new BlobAddressMismatch(sha256, actual);

    // Not left to If-None-Match alone: S3 honours it only since 2024 and some S3-compatible
    // servers ignore it and replace the object. An object already there is never rewritten.
    if (await this.exists(sha256)) return { created: false };

    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: key,
          Body: bytes,
          // RFC 9110 13.1.2: `*` fails with 412 when the key has any current object.
          IfNoneMatch: '*',
          // S3 recomputes it and refuses other bytes (400 BadDigest), e.g. ones changed on
          // the way; it is the object's own checksum afterwards.
          ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
          ContentType: 'application/octet-stream',
        }),
      );
      return { created: true };
    } catch (e) {
      // 412: another writer stored the object between the HEAD and this PUT.
      if (e instanceof S3ServiceException && e.$metadata.httpStatusCode === 412) {
        return { created: false };
      }
      throw e;
    }
  }

  async open(sha256: string): Promise<Readable> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256) }),
      );
      return objectBodyStream(out.Body);
    } catch (e) {
      if (isNotFound(e)) throw new BlobNotFound(sha256);
      throw e;
    }
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      await this.client.send(
        new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256) }),
      );
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  async delete(sha256: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256) }),
    );
  }

  async *list(): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.options.bucket,
          Prefix: 'sha256/',
          MaxKeys: this.options.listPageSize,
          ContinuationToken: token,
        }),
      );
      for (const o of page.Contents ?? []) {
        const name = o.Key?.split('/').pop();
        if (name) yield name;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** Closes the client's kept-alive connections when the module stops. */
  onModuleDestroy(): void {
    this.client.destroy();
  }
}

function isNotFound(e: unknown): boolean {
  return e instanceof S3ServiceException && e.$metadata.httpStatusCode === 404;
}
