import type { NestExpressApplication } from '@nestjs/platform-express';
import { createServiceApp, type SuiteContext } from '#common';
import { IdentityModule } from './identity.module.js';

/** The identity service as an initialised Nest application (not yet listening). */
export function createIdentityApp(context: SuiteContext): Promise<NestExpressApplication> {
  return createServiceApp({
    name: 'identity',
    context,
    module: IdentityModule,
    openApi: {
      title: '统一身份认证 Unified identity',
      description: 'OIDC provider, sign-in, accounts, organisations, agents, roles',
    },
  });
}
