import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { serviceClientSecret } from '#auth';
import { getLogger, SUITE_CONTEXT, type SuiteContext } from '#common';
import { AccountService } from '../accounts/account.service.js';
import { ClientRegistryService } from '../clients/client-registry.service.js';
import { DemoDataService } from './demo-data.service.js';
import { SERVICE_CLIENT_SCOPES, serviceClientInput } from './service-clients.js';

const log = getLogger('identity.bootstrap');

/**
 * First start: the service clients (their secrets derive from MASTER_KEY, so they are
 * refreshed on every start), an administrator, and on the embedded database demo data.
 */
@Injectable()
export class BootstrapService {
  constructor(
    @Inject(SUITE_CONTEXT) private readonly ctx: SuiteContext,
    private readonly clients: ClientRegistryService,
    private readonly accounts: AccountService,
    private readonly demo: DemoDataService,
  ) {}

  async run(): Promise<void> {
    const db = this.accounts.people.db;
    await db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('identity.bootstrap'))`);
      for (const service of Object.keys(
        SERVICE_CLIENT_SCOPES,
      ) as (keyof typeof SERVICE_CLIENT_SCOPES)[]) {
        const input = serviceClientInput(service);
        const created = await this.clients.ensureClient(
          input,
          serviceClientSecret(this.ctx, service),
          m,
        );
        if (created) {
          for (const scope of SERVICE_CLIENT_SCOPES[service]) {
            await this.accounts.assignRole(
              { principalType: 'client', principalId: input.clientId, role: scope, unit: '*' },
              'system',
              m,
            );
          }
        }
      }

      if (this.demoWanted()) await this.demo.ensureBusinessClient(m);

      const [{ count }] = (await m.query(
        `SELECT count(*)::int AS count FROM identity.person WHERE is_admin`,
      )) as [{ count: number }];
      if (count > 0) return;
      const configured = this.ctx.config.ADMIN_PASSWORD;
      const password = configured ?? randomBytes(12).toString('base64url');
      const admin = await this.accounts.createPerson(
        { name: '平台管理员', username: 'admin', password, isAdmin: true },
        'system',
        m,
      );
      await this.accounts.assignRole(
        { principalType: 'person', principalId: admin.id, role: 'identity:admin', unit: '*' },
        'system',
        m,
      );
      if (!configured && this.ctx.config.NODE_ENV !== 'test') {
        // Printed once, on the console only, never into the log stream.
        process.stdout.write(`identity: administrator "admin" created with password ${password}\n`);
      }
      if (this.demoWanted()) await this.demo.create(m);
    });
    log.info('bootstrap complete');
  }

  private demoWanted(): boolean {
    const flag = this.ctx.config.DEMO_DATA;
    if (flag) return flag === 'true';
    return !this.ctx.config.DATABASE_URL && !this.ctx.databaseUrl;
  }
}
