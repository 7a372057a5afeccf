import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AuthModule } from '#auth';
import { AuditModule } from '#audit';
import { SUITE_CONTEXT, type SuiteContext } from '#common';
import { DatabaseModule } from '#database';
import { ARCHIVE_CONFIG, loadArchiveConfig } from './config/archive-variables.js';
import { FixityController } from './fixity/fixity.controller.js';
import { FixityRepository } from './fixity/fixity.repository.js';
import { FixityScheduler } from './fixity/fixity-scheduler.js';
import { FixityService } from './fixity/fixity.service.js';
import { ExportController } from './bagit/export.controller.js';
import { ExportService } from './bagit/export.service.js';
import { DisposalController } from './disposal/disposal.controller.js';
import { DisposalRepository } from './disposal/disposal.repository.js';
import { DisposalService } from './disposal/disposal.service.js';
import { ESealVerificationClient } from './four-properties/e-seal-verification.client.js';
import { FourPropertiesService } from './four-properties/four-properties.service.js';
import { migrations } from './migrations/index.js';
import { IngestService } from './records/ingest.service.js';
import { RecordsController } from './records/records.controller.js';
import { RecordsRepository } from './records/records.repository.js';
import { AccessLogRepository } from './retrieval/access-log.repository.js';
import { AccessRecorder } from './retrieval/access-recorder.js';
import { RetrievalController } from './retrieval/retrieval.controller.js';
import { RetrievalService } from './retrieval/retrieval.service.js';
import { SearchRepository } from './retrieval/search.repository.js';
import { blobStoreProvider } from './storage/blob-store.provider.js';
import { DigestingStorage } from './storage/digesting-storage.js';
import { Sm3Digester } from './storage/sm3-worker.js';

/** The SM3 worker, shared by the upload storage (MulterModule) and the services. */
@Module({ providers: [Sm3Digester], exports: [Sm3Digester] })
class DigestModule {}

@Module({
  imports: [
    DatabaseModule.forService({ schema: 'e_archive', entities: [], migrations }),
    AuthModule.forResource('e-archive'),
    AuditModule,
    DigestModule,
    MulterModule.registerAsync({
      imports: [DigestModule],
      inject: [SUITE_CONTEXT, Sm3Digester],
      useFactory: (ctx: SuiteContext, sm3: Sm3Digester) => ({
        storage: new DigestingStorage(sm3),
        limits: { fileSize: ctx.config.MAX_UPLOAD_MB * 1024 * 1024, files: 1, fields: 4 },
      }),
    }),
  ],
  controllers: [
    RecordsController,
    RetrievalController,
    FixityController,
    ExportController,
    DisposalController,
  ],
  providers: [
    { provide: ARCHIVE_CONFIG, useFactory: () => loadArchiveConfig() },
    blobStoreProvider,
    ESealVerificationClient,
    FourPropertiesService,
    RecordsRepository,
    IngestService,
    SearchRepository,
    AccessLogRepository,
    AccessRecorder,
    RetrievalService,
    FixityRepository,
    FixityService,
    FixityScheduler,
    ExportService,
    DisposalRepository,
    DisposalService,
  ],
})
export class EArchiveModule {}
