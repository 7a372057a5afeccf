import { Injectable } from '@nestjs/common';
import type { InteractionDetails } from 'oidc-provider';
import { OrganisationRepository } from '../accounts/organisation.repository.js';
import { PersonRepository } from '../accounts/person.repository.js';
import { ClientRegistryService } from '../clients/client-registry.service.js';
import { ProviderEvents } from '../oidc/provider-events.js';
import { ProviderHost } from '../oidc/provider-host.service.js';

/** What the consent page asks about; `ask` false means there is nothing to ask or choose. */
export interface ConsentQuestion {
  ask: boolean;
  askConsent: boolean;
  clientName: string;
  personName: string;
  scopes: string[];
  organisations: { id: string; name: string; uscc: string }[];
}

interface MissingGrants {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

/**
 * The consent step of an interaction: what to ask (the scopes not yet granted, and for an
 * agent whom they act for), and the grant that the answer writes.
 */
@Injectable()
export class ConsentStep {
  constructor(
    private readonly host: ProviderHost,
    private readonly people: PersonRepository,
    private readonly organisations: OrganisationRepository,
    private readonly clients: ClientRegistryService,
    private readonly events: ProviderEvents,
  ) {}

  /** A first-party client is granted at once, unless an agent has an organisation to choose. */
  async question(details: InteractionDetails): Promise<ConsentQuestion> {
    const accountId = details.session!.accountId;
    const clientId = details.params.client_id as string;
    const client = await this.clients.findClientMetadata(clientId);
    const agencies = await this.organisations.activeAgencies(accountId);
    const firstParty = client?.first_party === true;
    const organisations = agencies.map((a) => ({
      id: a.organisation_id,
      name: a.name,
      uscc: a.uscc,
    }));
    const ask = !firstParty || agencies.length > 0;
    const d = details.prompt.details as MissingGrants;
    return {
      ask,
      askConsent: !firstParty,
      clientName: String(client?.client_name ?? clientId),
      personName: ask ? ((await this.people.findById(accountId))?.name ?? '') : '',
      // A resource scope (seal:apply) is also in the OIDC list: ask for each once.
      scopes: [
        ...new Set([
          ...(d.missingOIDCScope ?? []),
          ...Object.values(d.missingResourceScopes ?? {}).flat(),
        ]),
      ],
      organisations,
    };
  }

  /** Writes the grant and whom the person acts for; answers the grant id. */
  async grant(details: InteractionDetails, chosenOrganisation: string): Promise<string> {
    const accountId = details.session!.accountId;
    const clientId = details.params.client_id as string;
    const agencies = await this.organisations.activeAgencies(accountId);
    const organisation = chosenOrganisation
      ? agencies.find((a) => a.organisation_id === chosenOrganisation)
      : undefined;
    const grantId = await this.saveGrant(details, accountId, clientId);

    // A grant is reused when the person consents again in the same session: choosing
    // "myself" must clear an earlier choice, or its tokens would still carry `org` and roles.
    // A new grant has no earlier choice to clear.
    if (organisation) {
      await this.organisations.setActing(grantId, accountId, organisation.organisation_id);
    } else if (details.grantId) {
      await this.organisations.clearActing(grantId);
    }

    // Queued for the provider events' batch, like the sign-in before it: no id is needed.
    const client = await this.clients.findClientMetadata(clientId);
    this.events.queue({
      action: 'consent.granted',
      actor: accountId,
      subject: `client:${clientId}`,
      details: {
        grantId,
        organisationId: organisation?.organisation_id,
        firstParty: client?.first_party === true,
      },
    });
    return grantId;
  }

  private async saveGrant(
    details: InteractionDetails,
    accountId: string,
    clientId: string,
  ): Promise<string> {
    const provider = this.host.provider;
    const grant =
      (details.grantId && (await provider.Grant.find(details.grantId))) ||
      new provider.Grant({ accountId, clientId });
    const d = details.prompt.details as MissingGrants;
    if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
    if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(d.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    return grant.save();
  }
}
