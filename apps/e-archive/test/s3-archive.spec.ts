import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { sha256Of } from '../src/storage/object-digest.js';
import { corpusFile, metadataFor, startArchiveKit, type ArchiveKit } from './archive-test-kit.js';
import { S3RVER_CREDENTIALS, startS3rver, type TestS3rver } from './s3rver.js';

interface Run {
  checked: number;
  failures: number;
  failed: { recordId: string; outcome: string }[];
}

/*
 * The whole e-archive service with ARCHIVE_BLOB_STORE=s3 on a real S3-protocol server
 * (s3rver). As in s3-blob-store.spec.ts: s3rver ignores If-None-Match and the SHA-256
 * checksum header, so S3's own conditional write and checksum check are not exercised here.
 */
describe('the archive on an S3 blob store (s3rver)', () => {
  let s3: TestS3rver;
  let kit: ArchiveKit;
  let raw: S3Client;
  let admin: string;
  let reader: string;
  const bucket = 'e-archive-test';
  const pdf = corpusFile('pdfjs-tracemonkey.pdf');
  const sha256 = sha256Of(pdf);
  const key = `sha256/${sha256.slice(0, 2)}/${sha256}`;
  let recordId: string;

  beforeAll(async () => {
    s3 = await startS3rver([bucket]);
    kit = await startArchiveKit({
      alone: true,
      env: {
        ARCHIVE_BLOB_STORE: 's3',
        ARCHIVE_S3_ENDPOINT: s3.endpoint,
        ARCHIVE_S3_BUCKET: bucket,
        ARCHIVE_S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        ARCHIVE_S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      },
    });
    raw = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
    });
    admin = await kit.personToken('keeper', ['archive:admin'], []);
    reader = await kit.personToken(
      'archivist-1',
      ['archive:read'],
      [{ role: 'archive:read', unit: 'J001' }],
    );
  }, 60_000);

  afterAll(async () => {
    raw?.destroy();
    await kit?.stop();
    await s3?.stop();
  });

  it('archives the corpus paper pdfjs-tracemonkey.pdf into the bucket, not onto local disk', async () => {
    const res = await kit.ingest(pdf, metadataFor({ pageCount: 14 }));
    const body = (await res.json()) as { id: string; sha256: string };
    expect(res.status).toBe(201);
    expect(body.sha256).toBe(sha256);
    recordId = body.id;

    expect(existsSync(join(s3.directory, bucket, `${key}._S3rver_object`))).toBe(true);
    expect(existsSync(join(kit.ctx.dataDir, 'e-archive', 'blobs', 'sha256'))).toBe(false);
  });

  it('serves the download byte for byte from the bucket', async () => {
    const res = await kit.api(`/v1/records/${recordId}/content?purpose=check`, reader);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it('finds the object intact in a fixity run', async () => {
    const run = (await (await kit.api('/v1/fixity-runs', admin, { method: 'POST' })).json()) as Run;
    expect(run).toMatchObject({ checked: 1, failures: 0, failed: [] });
  });

  it('finds an object replaced through the raw S3 API and serves it to no one', async () => {
    // Conditions bind only the writers that send them: anyone with write access to the
    // bucket can do this, on S3 too. Fixity is what finds it.
    const altered = Buffer.from(pdf);
    altered[1000] ^= 0x01;
    await raw.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: altered }));

    const run = (await (await kit.api('/v1/fixity-runs', admin, { method: 'POST' })).json()) as Run;
    expect(run).toMatchObject({ checked: 1, failures: 1 });
    expect(run.failed).toEqual([expect.objectContaining({ recordId, outcome: 'mismatch' })]);

    const download = await kit.api(`/v1/records/${recordId}/content?purpose=check`, reader);
    expect(((await download.json()) as { code: string }).code).toBe('ArchiveBlobCorrupted');
  });
});
