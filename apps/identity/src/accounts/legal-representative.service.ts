import { Injectable } from '@nestjs/common';
import { AccountError, AccountErrorCode } from './account.errors.js';
import { AccountService, ID_PURPOSE } from './account.service.js';
import type { AgentListing, OrganisationRow } from './organisation.repository.js';
import { OrganisationService } from './organisation.service.js';
import type { PersonRow } from './person.repository.js';

/**
 * The matters a legal representative may authorise an agent for, each a role held for the
 * organisation's own USCC: applying for and managing its seals, holding its licenses. Roles
 * of the platform or of an authority (`seal:approve`, `license:issue`, `license:admin`) stay
 * with an administrator.
 */
export const DELEGABLE_MATTERS = ['seal:apply', 'seal:read', 'seal:manage', 'license:holder'];

export interface RepresentedOrganisation {
  organisation: OrganisationRow;
  agents: AgentListing[];
}

/**
 * What a legal representative (法定代表人) does for their own organisations: authorise agents
 * (经办人) for every matter or for named matters until a date (精准授权), and revoke them. The
 * representative is recognised by the verified ID number registered with the organisation,
 * never by name. An organisation someone does not represent is answered as unknown, so that
 * no answer tells them it exists.
 *
 * TODO(identity): no organisation administrator appointed by the representative yet; the
 * model has no such role, so only the representative manages agents here.
 */
@Injectable()
export class LegalRepresentativeService {
  constructor(
    private readonly accounts: AccountService,
    private readonly orgs: OrganisationService,
  ) {}

  /** The organisations the person represents, with their agents. */
  async represented(person: PersonRow): Promise<RepresentedOrganisation[]> {
    if (!person.id_number_hash) return [];
    const organisations = await this.orgs.organisations.findByLegalRepresentative(
      person.id_number_hash,
    );
    return Promise.all(
      organisations.map(async (organisation) => ({
        organisation,
        agents: await this.orgs.organisations.listAgentsWithPeople(organisation.id),
      })),
    );
  }

  async authorise(
    representative: PersonRow,
    input: { organisationId: string; idNumber: string; matters: string[]; validUntil?: Date },
    now = new Date(),
  ): Promise<{ id: string; agentName: string }> {
    const organisation = await this.ownOrganisation(representative, input.organisationId);

    const matters = [...new Set(input.matters)];
    for (const matter of matters) {
      if (!DELEGABLE_MATTERS.includes(matter)) {
        throw new AccountError(AccountErrorCode.InvalidRole, 400, 'No such matter', { matter });
      }
    }
    if (input.validUntil && !(input.validUntil.getTime() > now.getTime())) {
      throw new AccountError(AccountErrorCode.InvalidDate, 400, 'The end date has passed');
    }
    // TODO(identity): resident ID cards (111) only on this page; other documents via admin.
    const idNumber = this.accounts.normaliseIdNumber('111', input.idNumber);
    const agent = await this.accounts.people.findByIdHash(
      this.accounts.crypto.lookupHash(idNumber, ID_PURPOSE),
    );
    if (!agent || agent.disabled) {
      throw new AccountError(AccountErrorCode.PersonNotFound, 404, 'No such person');
    }

    const { id } = await this.orgs.addAgent(
      {
        organisationId: organisation.id,
        personId: agent.id,
        matters,
        validUntil: input.validUntil,
        roles: matters.length ? matters : DELEGABLE_MATTERS,
      },
      representative.id,
    );
    return { id, agentName: agent.name };
  }

  async revoke(representative: PersonRow, organisationId: string, agentId: string) {
    const organisation = await this.ownOrganisation(representative, organisationId);
    await this.orgs.revokeAgent(agentId, representative.id, organisation.id);
  }

  /** The organisation if this person represents it; otherwise the same 404 as for none. */
  private async ownOrganisation(person: PersonRow, organisationId: string) {
    const organisation = await this.orgs.organisations.findById(organisationId);
    if (
      !organisation ||
      !person.id_number_hash ||
      organisation.legal_representative_id_hash !== person.id_number_hash
    ) {
      throw new AccountError(AccountErrorCode.OrganisationNotFound, 404, 'No such organisation');
    }
    return organisation;
  }
}
