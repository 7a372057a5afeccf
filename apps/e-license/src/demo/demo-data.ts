import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { getLogger, SUITE_CONTEXT, type SuiteContext } from '#common';
import { IssuingAuthorityRepository } from '../authority/issuing-authority.repository.js';
import { IssuingAuthorityService } from '../authority/issuing-authority.service.js';
import { LicenseTypeRepository } from '../catalogue/license-type.repository.js';
import { LicenseTypeService } from '../catalogue/license-type.service.js';
import {
  DEMO_ISSUING_AUTHORITY,
  DEMO_SEAL_ID,
  demoBusinessLicense,
  demoResidenceCertificate,
} from './demo-catalogue.js';

/** Whether to create demo data: DEMO_DATA, else only on the embedded database. */
export function demoDataEnabled(ctx: SuiteContext): boolean {
  if (ctx.config.DEMO_DATA !== undefined) return ctx.config.DEMO_DATA === 'true';
  return ctx.config.DATABASE_URL === undefined && ctx.databaseUrl === undefined;
}

/** Creates the demo catalogue and authority at first start (idempotent). */
@Injectable()
export class DemoData implements OnApplicationBootstrap {
  private readonly log = getLogger('e-license.demo');

  constructor(
    @Inject(SUITE_CONTEXT) private readonly ctx: SuiteContext,
    private readonly types: LicenseTypeService,
    private readonly typeRows: LicenseTypeRepository,
    private readonly authorities: IssuingAuthorityService,
    private readonly authorityRows: IssuingAuthorityRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!demoDataEnabled(this.ctx)) return;
    for (const type of [demoResidenceCertificate, demoBusinessLicense]) {
      if (!(await this.typeRows.current(type.code))) await this.types.create(type, 'demo-data');
    }
    if (!(await this.authorityRows.byUscc(DEMO_ISSUING_AUTHORITY.uscc))) {
      await this.authorities.save({ ...DEMO_ISSUING_AUTHORITY, sealId: DEMO_SEAL_ID }, 'demo-data');
    }
    this.log.info({ issuerUscc: DEMO_ISSUING_AUTHORITY.uscc }, 'demo catalogue ready');
  }
}
