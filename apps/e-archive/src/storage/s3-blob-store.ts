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
import { assertAddress, BlobNotFound, type BlobStore } from './blob-store.js';

export interface S3BlobStoreOptions {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

/**
 * The same write-once store on an S3-compatible object store. `If-None-Match: *` makes the
 * write conditional, so an existing object is never replaced; the SHA-256 checksum header
 * has the store refuse bytes that do not match the address.
 */
// TODO(archive): untested here: no S3-compatible server can be run on the development machines.
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
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: this.key(sha256),
          Body: bytes,
          IfNoneMatch: '*',
          ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
          ContentType: 'application/octet-stream',
        }),
      );
      return { created: true };
    } catch (e) {
      // 412: an object is already at this address (write-once).
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
      return out.Body as Readable;
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
}

function isNotFound(e: unknown): boolean {
  return e instanceof S3ServiceException && e.$metadata.httpStatusCode === 404;
}
