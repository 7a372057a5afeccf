import { randomBytes } from 'node:crypto';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { BlobAddressMismatch, BlobNotFound } from '../src/storage/blob-store.js';
import { sha256Of, sha256OfStream } from '../src/storage/object-digest.js';
import { S3BlobStore } from '../src/storage/s3-blob-store.js';
import { S3RVER_CREDENTIALS, startS3rver, type TestS3rver } from './s3rver.js';

/*
 * S3BlobStore against a real S3-protocol server, s3rver, over HTTP with SigV4 (path style).
 * What this does NOT exercise: s3rver ignores `If-None-Match: *` (a second PUT replaces the
 * object, no 412) and `x-amz-checksum-sha256` (wrong bytes are accepted). The conditional
 * write and the checksum that real S3 and MinIO enforce are therefore untested here; these
 * tests prove what the store itself does: the address check, HEAD before PUT, paging.
 */
describe('S3BlobStore on a real S3-protocol server (s3rver)', () => {
  let s3: TestS3rver;
  let store: S3BlobStore;
  let raw: S3Client;
  const bucket = 'objects';

  beforeAll(async () => {
    s3 = await startS3rver([bucket, 'listing']);
    const options = { endpoint: s3.endpoint, region: 'us-east-1', ...S3RVER_CREDENTIALS };
    store = new S3BlobStore({ ...options, bucket });
    raw = new S3Client({ ...options, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  }, 30_000);

  afterAll(async () => {
    store?.onModuleDestroy();
    raw?.destroy();
    await s3?.stop();
  });

  const keyOf = (sha256: string) => `sha256/${sha256.slice(0, 2)}/${sha256}`;
  const rawBytes = async (sha256: string) => {
    const out = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(sha256) }));
    return Buffer.from(await out.Body!.transformToByteArray());
  };

  it('stores bytes under their address, streams them back and says they exist', async () => {
    const bytes = randomBytes(300_000);
    const address = sha256Of(bytes);

    expect(await store.exists(address)).toBe(false);
    expect(await store.put(address, bytes)).toEqual({ created: true });

    expect(await store.exists(address)).toBe(true);
    const stream = await store.open(address);
    expect(await sha256OfStream(stream)).toEqual({ sha256: address, bytes: bytes.length });
  });

  it('answers a second put of the same object with created:false', async () => {
    const bytes = randomBytes(1000);
    const address = sha256Of(bytes);
    await store.put(address, bytes);

    expect(await store.put(address, bytes)).toEqual({ created: false });
    expect((await rawBytes(address)).equals(bytes)).toBe(true);
  });

  it('never replaces an object already at an address, though s3rver would let a PUT through', async () => {
    // Bytes that are not the address's, planted with the raw API (s3rver takes any bytes):
    // the store must find the key taken and leave what is there for fixity to report.
    const bytes = randomBytes(1000);
    const address = sha256Of(bytes);
    const planted = Buffer.from('already here');
    await raw.send(new PutObjectCommand({ Bucket: bucket, Key: keyOf(address), Body: planted }));

    expect(await store.put(address, bytes)).toEqual({ created: false });
    expect((await rawBytes(address)).equals(planted)).toBe(true);
  });

  it('refuses bytes that do not hash to the address and stores nothing', async () => {
    const address = sha256Of(Buffer.from('the real content'));

    const attempt = store.put(address, Buffer.from('other content'));
    await expect(attempt).rejects.toBeInstanceOf(BlobAddressMismatch);
    await expect(attempt).rejects.toThrow(`hash to ${sha256Of(Buffer.from('other content'))}`);

    expect(await store.exists(address)).toBe(false);
    const page = await raw.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: keyOf(address) }),
    );
    expect(page.KeyCount).toBe(0);
  });

  it('refuses an address that is not 64 lower-case hex digits before any request', async () => {
    await expect(store.exists('../etc/passwd')).rejects.toThrow('64 lower-case hex digits');
    await expect(store.put('A'.repeat(64), Buffer.from('x'))).rejects.toThrow('hex digits');
  });

  it('deletes an object: it no longer exists, opens as BlobNotFound and is not listed', async () => {
    const bytes = randomBytes(500);
    const address = sha256Of(bytes);
    await store.put(address, bytes);

    await store.delete(address);

    expect(await store.exists(address)).toBe(false);
    await expect(store.open(address)).rejects.toBeInstanceOf(BlobNotFound);
    const listed: string[] = [];
    for await (const a of store.list()) listed.push(a);
    expect(listed).not.toContain(address);
  });

  it('lists every address across pages of ListObjectsV2 (11 objects, 4 a page)', async () => {
    const paged = new S3BlobStore({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      bucket: 'listing',
      ...S3RVER_CREDENTIALS,
      listPageSize: 4,
    });
    const addresses: string[] = [];
    for (let i = 0; i < 11; i++) {
      const bytes = randomBytes(64);
      addresses.push(sha256Of(bytes));
      await paged.put(sha256Of(bytes), bytes);
    }

    const listed: string[] = [];
    for await (const a of paged.list()) listed.push(a);
    paged.onModuleDestroy();

    // One page would be 4: all 11, once each, means the continuation tokens were followed.
    expect(listed.sort()).toEqual(addresses.sort());
  });
});
