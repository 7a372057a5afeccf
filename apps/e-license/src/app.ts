import type { NestExpressApplication } from '@nestjs/platform-express';
import { createServiceApp, type SuiteContext } from '#common';
import { ELicenseModule } from './e-license.module.js';

/** The e-license service as an initialised Nest application (not yet listening). */
export function createELicenseApp(context: SuiteContext): Promise<NestExpressApplication> {
  return createServiceApp({
    name: 'e-license',
    context,
    module: ELicenseModule,
    openApi: {
      title: '电子证照 Electronic licenses',
      description: 'License catalogue, issuance, lifecycle, verification, holders grants',
    },
  });
}
