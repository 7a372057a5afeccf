import type { NestExpressApplication } from '@nestjs/platform-express';
import { createServiceApp, type SuiteContext } from '#common';
import { ESealModule } from './e-seal.module.js';

/** The e-seal service as an initialised Nest application (not yet listening). */
export function createESealApp(context: SuiteContext): Promise<NestExpressApplication> {
  return createServiceApp({
    name: 'e-seal',
    context,
    module: ESealModule,
    openApi: {
      title: '电子印章 Electronic seals',
      description: 'Seal registry, platform CA, sealing and verifying PDFs, time-stamping',
    },
  });
}
