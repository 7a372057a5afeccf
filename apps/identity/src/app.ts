import express from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createServiceApp, type SuiteContext } from '#common';
import { BootstrapService } from './bootstrap/bootstrap.service.js';
import { formBody } from './http/form-body.js';
import { IdentityModule } from './identity.module.js';
import { ProviderHost } from './oidc/provider-host.service.js';

/**
 * The identity service as an initialised Nest application (not yet listening).
 *
 * oidc-provider parses its own request bodies, so Nest's body parser is off and the parsers
 * are mounted only on this service's Nest routes. The provider answers its own paths before
 * Express sees them; everything else is Nest's.
 */
export function createIdentityApp(context: SuiteContext): Promise<NestExpressApplication> {
  return createServiceApp({
    name: 'identity',
    context,
    module: IdentityModule,
    bodyParser: false,
    openApi: {
      title: '统一身份认证 Unified identity',
      description: 'OIDC provider, sign-in, accounts, organisations, agents, roles',
    },
    beforeInit: async (app) => {
      const host = app.get(ProviderHost);
      await host.start();
      await app.get(BootstrapService).run();
      const forms = express.urlencoded({ extended: false, limit: '32kb' });
      app.use('/identity/interaction', forms, formBody());
      // The agent authorisation form has one `matter` checkbox per matter.
      app.use('/identity/account', forms, formBody(['matter']));
      app.use('/identity/admin', express.json({ limit: '256kb' }));
      // The provider's paths are served ahead of Express (see ProviderHost.serveAhead).
      host.serveAhead(app.getHttpAdapter().getInstance());
    },
  });
}
