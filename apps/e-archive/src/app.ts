import type { NestExpressApplication } from '@nestjs/platform-express';
import { createServiceApp, type SuiteContext } from '#common';
import { EArchiveModule } from './e-archive.module.js';

/** The e-archive service as an initialised Nest application (not yet listening). */
export function createEArchiveApp(context: SuiteContext): Promise<NestExpressApplication> {
  return createServiceApp({
    name: 'e-archive',
    context,
    module: EArchiveModule,
    openApi: {
      title: '电子档案 Electronic archives',
      description: 'Ingest, write-once storage, retrieval, fixity, export, disposal',
    },
  });
}
