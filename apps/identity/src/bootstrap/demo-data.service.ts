import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { getLogger } from '#common';
import { AccountService } from '../accounts/account.service.js';
import { OrganisationService } from '../accounts/organisation.service.js';
import { ClientRegistryService } from '../clients/client-registry.service.js';
import { DEMO } from './demo-data.js';

const log = getLogger('identity.bootstrap');

export const DEMO_BUSINESS_SCOPES = [
  'openid',
  'profile',
  'email',
  'phone',
  'idcard',
  'org',
  'offline_access',
  'seal:read',
  'seal:apply',
  'seal:manage',
  'license:holder',
  'license:issue',
  'license:read',
  'archive:read',
  'archive:ingest',
];

/** Roles of the demo business system itself (client credentials). */
export const DEMO_BUSINESS_CLIENT_ROLES = ['license:read', 'archive:ingest'];

/** The demo business system, people, organisation, agent, officer, clerk and archivist. */
@Injectable()
export class DemoDataService {
  constructor(
    private readonly accounts: AccountService,
    private readonly orgs: OrganisationService,
    private readonly clients: ClientRegistryService,
  ) {}

  /**
   * The demo business system, refreshed on every start (its scopes follow the code). It may
   * ask for the OIDC scopes, for the resource scopes of the journeys a person makes through
   * it (an agent sealing, a clerk issuing, a holder granting, an archivist reading), and with
   * client credentials for reading granted licenses and submitting records.
   */
  async ensureBusinessClient(m: EntityManager): Promise<void> {
    const b = DEMO.business;
    const created = await this.clients.ensureClient(
      {
        clientId: b.clientId,
        name: '示例业务系统 Demo business system',
        firstParty: false,
        metadata: {
          redirect_uris: b.redirectUris,
          post_logout_redirect_uris: b.postLogoutRedirectUris,
          backchannel_logout_uri: b.backchannelLogoutUri,
          backchannel_logout_session_required: true,
          grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
          subject_type: 'public',
          scope: DEMO_BUSINESS_SCOPES.join(' '),
        },
      },
      b.secret,
      m,
    );
    if (created) {
      for (const role of DEMO_BUSINESS_CLIENT_ROLES) {
        await this.accounts.assignRole(
          { principalType: 'client', principalId: b.clientId, role, unit: '*' },
          'system',
          m,
        );
      }
    }
  }

  /** The demo people, organisations and roles, once (the business client is ensured first). */
  async create(m: EntityManager): Promise<void> {
    const a = (role: string, unit: string, principalId: string, organisationId?: string) =>
      this.accounts.assignRole(
        { principalType: 'person', principalId, role, unit, organisationId },
        'system',
        m,
      );

    const citizen = await this.accounts.createPerson(
      { ...DEMO.citizen, idType: '111' },
      'system',
      m,
    );
    await a('license:holder', '*', citizen.id);
    const agent = await this.accounts.createPerson({ ...DEMO.agent, idType: '111' }, 'system', m);
    await a('license:holder', '*', agent.id);

    const org = await this.orgs.createOrganisation(
      {
        uscc: DEMO.organisation.uscc,
        name: DEMO.organisation.name,
        legalRepresentativeName: DEMO.citizen.name,
        legalRepresentativeId: citizen.id,
      },
      'system',
      m,
    );
    await this.orgs.addAgent({ organisationId: org.id, personId: agent.id }, 'system', m);
    for (const role of ['seal:read', 'seal:manage', 'seal:apply', 'license:holder']) {
      await a(role, org.uscc, agent.id, org.id);
    }
    await this.orgs.createOrganisation(
      { uscc: DEMO.authority.uscc, name: DEMO.authority.name, legalRepresentativeName: '示例局长' },
      'system',
      m,
    );

    const officer = await this.accounts.createPerson(DEMO.officer, 'system', m);
    await a('seal:approve', '*', officer.id);
    await a('seal:read', '*', officer.id);
    const clerk = await this.accounts.createPerson(DEMO.clerk, 'system', m);
    await a('license:issue', DEMO.authority.uscc, clerk.id);
    // The authority whose licenses e-license's demo catalogue issues, with its own seal.
    await this.orgs.createOrganisation(
      {
        uscc: DEMO.licenseAuthority.uscc,
        name: DEMO.licenseAuthority.name,
        legalRepresentativeName: '示例主任',
      },
      'system',
      m,
    );
    await a('license:issue', DEMO.licenseAuthority.uscc, clerk.id);
    const archivist = await this.accounts.createPerson(DEMO.archivist, 'system', m);
    for (const role of ['archive:read', 'archive:dispose'])
      await a(role, DEMO.archivist.fonds, archivist.id);
    log.info('demo data created');
  }
}
