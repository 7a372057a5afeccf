import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { parseUscc } from '#common';
import { AuditLog } from '#audit';
import { AccountError, AccountErrorCode } from './account.errors.js';
import { maskIdNumber } from '../crypto/field-crypto.js';
import { AccountService, ID_PURPOSE, type IdType } from './account.service.js';
import { OrganisationRepository, type OrganisationRow } from './organisation.repository.js';
import { PersonRepository } from './person.repository.js';

/** Legal persons (GB 32100 USCC) and their agents (经办人) with 精准授权. */
@Injectable()
export class OrganisationService {
  constructor(
    readonly organisations: OrganisationRepository,
    private readonly people: PersonRepository,
    private readonly accounts: AccountService,
    private readonly audit: AuditLog,
  ) {}

  async getOrganisation(id: string): Promise<OrganisationRow> {
    const row = await this.organisations.findById(id);
    if (!row) {
      throw new AccountError(AccountErrorCode.OrganisationNotFound, 404, 'No such organisation');
    }
    return row;
  }

  async createOrganisation(
    input: {
      uscc: string;
      name: string;
      legalRepresentativeName: string;
      legalRepresentativeId?: string;
      /** The representative's ID number as registered (营业执照): who may manage agents. */
      legalRepresentativeIdNumber?: string;
      legalRepresentativeIdType?: IdType;
    },
    actor: string,
    m?: EntityManager,
  ): Promise<OrganisationRow> {
    const parsed = parseUscc(input.uscc);
    if (!parsed.valid) {
      throw new AccountError(
        AccountErrorCode.InvalidUscc,
        400,
        'The unified social credit code is not valid',
      );
    }
    const idNumber = input.legalRepresentativeIdNumber
      ? this.accounts.normaliseIdNumber(
          input.legalRepresentativeIdType ?? '111',
          input.legalRepresentativeIdNumber,
        )
      : undefined;
    const row = {
      id: randomUUID(),
      uscc: parsed.normalized,
      name: input.name,
      legal_representative_name: input.legalRepresentativeName,
      legal_representative_id: input.legalRepresentativeId ?? null,
      legal_representative_id_hash: idNumber
        ? this.accounts.crypto.lookupHash(idNumber, ID_PURPOSE)
        : null,
      legal_representative_id_masked: idNumber ? maskIdNumber(idNumber) : null,
    };
    const write = async (tx: EntityManager) => {
      if (row.legal_representative_id) {
        const person = await this.people.findById(row.legal_representative_id, tx);
        if (!person) throw new AccountError(AccountErrorCode.PersonNotFound, 404, 'No such person');
        // The person named is the representative only if their verified numbers agree.
        if (idNumber && person.id_number_hash !== row.legal_representative_id_hash) {
          throw new AccountError(
            AccountErrorCode.InvalidIdNumber,
            400,
            "The ID number is not the named person's",
          );
        }
        row.legal_representative_id_hash ??= person.id_number_hash;
        row.legal_representative_id_masked ??= person.id_number_masked;
      }
      if (!(await this.organisations.insert(tx, row))) {
        throw new AccountError(
          AccountErrorCode.OrganisationExists,
          409,
          'The organisation is registered',
        );
      }
      await this.audit.append(
        { action: 'organisation.created', actor, subject: `organisation:${row.id}` },
        tx,
      );
    };
    if (m) await write(m);
    else await this.organisations.db.transaction(write);
    return { ...row, created_at: new Date() };
  }

  /**
   * Authorises a person as an agent (经办人) of an organisation, for every matter or for named
   * matters (精准授权: role names such as `seal:apply`) until a date. `roles`: the roles the
   * authorisation brings, held for the organisation's USCC and removed with it.
   */
  async addAgent(
    input: {
      organisationId: string;
      personId: string;
      matters?: string[];
      validUntil?: Date;
      roles?: readonly string[];
    },
    actor: string,
    m?: EntityManager,
  ) {
    for (const matter of input.matters ?? []) this.accounts.checkRole(matter, '*');
    const id = randomUUID();
    const write = async (tx: EntityManager) => {
      const organisation = await this.organisations.findById(input.organisationId, tx);
      if (!organisation) {
        throw new AccountError(AccountErrorCode.OrganisationNotFound, 404, 'No such organisation');
      }
      if (!(await this.people.findById(input.personId, tx))) {
        throw new AccountError(AccountErrorCode.PersonNotFound, 404, 'No such person');
      }
      // One authorisation in force per person and organisation: the token reads exactly one.
      if (await this.organisations.hasAgentInForce(tx, input.organisationId, input.personId)) {
        throw new AccountError(
          AccountErrorCode.AgentExists,
          409,
          'The person is already an agent of the organisation',
        );
      }
      await this.organisations.insertAgent(tx, {
        id,
        organisation_id: input.organisationId,
        person_id: input.personId,
        matters: input.matters?.length ? input.matters : null,
        valid_until: input.validUntil ?? null,
        granted_by: actor,
      });
      for (const role of input.roles ?? []) {
        await this.accounts.roles.insert(tx, {
          id: randomUUID(),
          principal_type: 'person',
          principal_id: input.personId,
          role,
          unit: organisation.uscc,
          organisation_id: organisation.id,
          agent_authorisation_id: id,
          granted_by: actor,
        });
      }
      await this.audit.append(
        {
          action: 'agent.authorised',
          actor,
          subject: `organisation:${input.organisationId}`,
          details: {
            agentId: id,
            personId: input.personId,
            matters: input.matters?.length ? input.matters : 'all',
            validUntil: input.validUntil?.toISOString() ?? null,
            roles: input.roles ?? [],
          },
        },
        tx,
      );
    };
    if (m) await write(m);
    else await this.organisations.db.transaction(write);
    return { id };
  }

  /** `organisationId`: when given, an agent of another organisation is answered as unknown. */
  async revokeAgent(id: string, actor: string, organisationId?: string): Promise<void> {
    await this.organisations.db.transaction(async (tx) => {
      const agent = await this.organisations.findAgent(id, tx);
      if (!agent || (organisationId && agent.organisation_id !== organisationId)) {
        throw new AccountError(AccountErrorCode.AgentNotFound, 404, 'No such agent');
      }
      await this.organisations.revokeAgent(tx, id);
      await this.audit.append(
        {
          action: 'agent.revoked',
          actor,
          subject: `organisation:${agent.organisation_id}`,
          details: { agentId: id, personId: agent.person_id },
        },
        tx,
      );
    });
  }
}
