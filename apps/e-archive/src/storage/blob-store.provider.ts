import { join } from 'node:path';
import type { Provider } from '@nestjs/common';
import { SUITE_CONTEXT, type SuiteContext } from '#common';
import { ARCHIVE_CONFIG, type ArchiveConfig } from '../config/archive-variables.js';
import { BLOB_STORE, type BlobStore } from './blob-store.js';
import { LocalBlobStore } from './local-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';

/** The configured blob store: local disk under DATA_DIR/blobs, or S3 (ARCHIVE_BLOB_STORE=s3). */
export const blobStoreProvider: Provider = {
  provide: BLOB_STORE,
  inject: [SUITE_CONTEXT, ARCHIVE_CONFIG],
  useFactory: (ctx: SuiteContext, config: ArchiveConfig): BlobStore =>
    config.ARCHIVE_BLOB_STORE === 's3'
      ? new S3BlobStore({
          endpoint: config.ARCHIVE_S3_ENDPOINT,
          region: config.ARCHIVE_S3_REGION,
          bucket: config.ARCHIVE_S3_BUCKET,
          accessKeyId: config.ARCHIVE_S3_ACCESS_KEY_ID,
          secretAccessKey: config.ARCHIVE_S3_SECRET_ACCESS_KEY,
        })
      : new LocalBlobStore(join(ctx.dataDir, 'e-archive', 'blobs')),
};
