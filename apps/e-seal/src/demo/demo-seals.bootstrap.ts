import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Caller } from '#auth';
import { getLogger, SUITE_CONTEXT, type SuiteContext } from '#common';
import { SealLifecycleService } from '../seals/seal-lifecycle.service.js';
import { SealRepository } from '../seals/seal.repository.js';
import { SealRegistryService } from '../seals/seal-registry.service.js';
import { DEMO_SEALS } from './demo-seals.js';

const YEAR = 365 * 24 * 3600 * 1000;

/** The platform itself, acting at first start; roles for every unit. */
const SYSTEM: Caller = {
  kind: 'client',
  sub: 'system',
  clientId: 'system',
  scopes: ['seal:manage', 'seal:approve'],
  roles: [
    { role: 'seal:manage', unit: '*' },
    { role: 'seal:approve', unit: '*' },
  ],
};

/**
 * Creates the demo seals (DEMO_DATA, default on the embedded database) through the same
 * lifecycle as any seal: applied, made, filed by a different actor, in use.
 */
@Injectable()
export class DemoSealsBootstrap implements OnApplicationBootstrap {
  private readonly log = getLogger('e-seal.demo');

  constructor(
    @Inject(SUITE_CONTEXT) private readonly ctx: SuiteContext,
    private readonly seals: SealRepository,
    private readonly registry: SealRegistryService,
    private readonly lifecycle: SealLifecycleService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.wanted()) return;
    let created = 0;
    for (const demo of DEMO_SEALS) {
      if (await this.seals.findById(demo.id)) continue;
      const now = new Date();
      await this.registry.apply(
        SYSTEM,
        {
          ownerUscc: demo.ownerUscc,
          ownerName: demo.ownerName,
          name: demo.name,
          type: demo.type,
          validFrom: new Date(now.getTime() - 60_000).toISOString(),
          validTo: new Date(now.getTime() + 3 * YEAR).toISOString(),
          allowedClients: demo.allowedClients,
        },
        'system:demo-applicant',
        demo.id,
        true,
      );
      await this.lifecycle.perform(SYSTEM, demo.id, 'make', 'demo', 'system:demo-maker');
      await this.lifecycle.perform(SYSTEM, demo.id, 'file', 'demo', 'system:demo-officer');
      await this.lifecycle.perform(SYSTEM, demo.id, 'activate', 'demo', 'system:demo-applicant');
      created++;
    }
    if (created) this.log.info({ created }, 'demo seals created');
  }

  private wanted(): boolean {
    const flag = this.ctx.config.DEMO_DATA;
    if (flag) return flag === 'true';
    return !this.ctx.config.DATABASE_URL && !this.ctx.databaseUrl;
  }
}
