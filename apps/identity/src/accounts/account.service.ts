import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { parseResidentId, parseUscc } from '#common';
import { AuditLog } from '#audit';
import { FieldCrypto, maskIdNumber, maskPhone } from '../crypto/field-crypto.js';
import { AccountError, AccountErrorCode } from './account.errors.js';
import { OrganisationRepository, type OrganisationRow } from './organisation.repository.js';
import { hashPassword } from './password-hasher.js';
import { PersonRepository, type PersonRow } from './person.repository.js';
import { RoleRepository } from './role.repository.js';

/** Identity document types (GA/T 517 codes as used by government platforms). */
export const ID_TYPES = {
  '111': 'resident identity card',
  '414': 'passport',
  '516': 'mainland travel permit for Hong Kong and Macao residents',
  '511': 'mainland travel permit for Taiwan residents',
  '553': 'foreign permanent resident ID card',
} as const;
export type IdType = keyof typeof ID_TYPES;

export interface NewPersonInput {
  name: string;
  username?: string;
  idType?: IdType;
  idNumber?: string;
  phone?: string;
  email?: string;
  password?: string;
  isAdmin?: boolean;
}

export interface PersonView {
  id: string;
  name: string;
  username: string | null;
  idType: string | null;
  idNumber: string | null;
  phone: string | null;
  email: string | null;
  isAdmin: boolean;
  disabled: boolean;
  totpEnabled: boolean;
}

export const ID_PURPOSE = 'person.id_number';
export const PHONE_PURPOSE = 'person.phone';
const MOBILE = /^1[3-9][0-9]{9}$/;

/** People, organisations and agents: validation, sealing of identifiers, roles. */
@Injectable()
export class AccountService {
  constructor(
    readonly people: PersonRepository,
    readonly organisations: OrganisationRepository,
    readonly roles: RoleRepository,
    readonly crypto: FieldCrypto,
    private readonly audit: AuditLog,
  ) {}

  /** Normalised document number, or a problem naming what is wrong with it. */
  normaliseIdNumber(idType: IdType, idNumber: string): string {
    if (idType === '111') {
      const parsed = parseResidentId(idNumber);
      if (!parsed.valid) {
        throw new AccountError(
          AccountErrorCode.InvalidIdNumber,
          400,
          'The resident ID number is not valid',
          {
            reason: parsed.problem,
          },
        );
      }
      return parsed.normalized;
    }
    const n = idNumber.trim().toUpperCase();
    if (!/^[A-Z0-9]{5,20}$/.test(n)) {
      throw new AccountError(
        AccountErrorCode.InvalidIdNumber,
        400,
        'The document number is not valid',
      );
    }
    return n;
  }

  async createPerson(input: NewPersonInput, actor: string, m?: EntityManager): Promise<PersonView> {
    const idType = input.idType ?? (input.idNumber ? '111' : undefined);
    const idNumber =
      idType && input.idNumber ? this.normaliseIdNumber(idType, input.idNumber) : undefined;
    if (input.phone && !MOBILE.test(input.phone)) {
      throw new AccountError(AccountErrorCode.InvalidPhone, 400, 'The mobile number is not valid');
    }
    const id = randomUUID();
    const row = {
      id,
      username: input.username ?? null,
      name: input.name,
      id_type: idType ?? null,
      id_number_sealed: idNumber ? this.crypto.seal(idNumber, ID_PURPOSE) : null,
      id_number_hash: idNumber ? this.crypto.lookupHash(idNumber, ID_PURPOSE) : null,
      id_number_masked: idNumber ? maskIdNumber(idNumber) : null,
      phone_sealed: input.phone ? this.crypto.seal(input.phone, PHONE_PURPOSE) : null,
      phone_hash: input.phone ? this.crypto.lookupHash(input.phone, PHONE_PURPOSE) : null,
      phone_masked: input.phone ? maskPhone(input.phone) : null,
      email: input.email ?? null,
      password_hash: input.password ? await hashPassword(input.password) : null,
      totp_secret_sealed: null,
      totp_enabled: false,
      recovery_codes: [],
      is_admin: input.isAdmin ?? false,
      disabled: false,
    };
    const write = async (tx: EntityManager) => {
      try {
        await this.people.insert(tx, row);
      } catch (err) {
        if ((err as { code?: string }).code === '23505') {
          throw new AccountError(
            AccountErrorCode.AccountExists,
            409,
            'An account with this identifier exists',
          );
        }
        throw err;
      }
      await this.audit.append({ action: 'person.created', actor, subject: `person:${id}` }, tx);
    };
    if (m) await write(m);
    else await this.people.db.transaction(write);
    return toPersonView({
      ...row,
      totp_last_step: null,
      created_at: new Date(),
      updated_at: new Date(),
    });
  }

  async getPerson(id: string): Promise<PersonRow> {
    const row = await this.people.findById(id);
    if (!row) throw new AccountError(AccountErrorCode.PersonNotFound, 404, 'No such person');
    return row;
  }

  async listPeople(limit: number, offset: number): Promise<PersonView[]> {
    return (await this.people.list(limit, offset)).map(toPersonView);
  }

  async createOrganisation(
    input: {
      uscc: string;
      name: string;
      legalRepresentativeName: string;
      legalRepresentativeId?: string;
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
    const row = {
      id: randomUUID(),
      uscc: parsed.normalized,
      name: input.name,
      legal_representative_name: input.legalRepresentativeName,
      legal_representative_id: input.legalRepresentativeId ?? null,
    };
    const write = async (tx: EntityManager) => {
      if (
        row.legal_representative_id &&
        !(await this.people.findById(row.legal_representative_id, tx))
      ) {
        throw new AccountError(AccountErrorCode.PersonNotFound, 404, 'No such person');
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
   * matters (精准授权: role names such as `seal:apply`) until a date.
   */
  async addAgent(
    input: { organisationId: string; personId: string; matters?: string[]; validUntil?: Date },
    actor: string,
    m?: EntityManager,
  ) {
    const id = randomUUID();
    const write = async (tx: EntityManager) => {
      if (!(await this.organisations.findById(input.organisationId, tx))) {
        throw new AccountError(AccountErrorCode.OrganisationNotFound, 404, 'No such organisation');
      }
      if (!(await this.people.findById(input.personId, tx))) {
        throw new AccountError(AccountErrorCode.PersonNotFound, 404, 'No such person');
      }
      await this.organisations.insertAgent(tx, {
        id,
        organisation_id: input.organisationId,
        person_id: input.personId,
        matters: input.matters?.length ? input.matters : null,
        valid_until: input.validUntil ?? null,
        granted_by: actor,
      });
      await this.audit.append(
        {
          action: 'agent.authorised',
          actor,
          subject: `organisation:${input.organisationId}`,
          details: { agentId: id, personId: input.personId, matters: input.matters ?? 'all' },
        },
        tx,
      );
    };
    if (m) await write(m);
    else await this.organisations.db.transaction(write);
    return { id };
  }

  async revokeAgent(id: string, actor: string): Promise<void> {
    await this.organisations.db.transaction(async (tx) => {
      const agent = await this.organisations.findAgent(id, tx);
      if (!agent) throw new AccountError(AccountErrorCode.AgentNotFound, 404, 'No such agent');
      await this.organisations.revokeAgent(tx, id);
      await this.audit.append(
        {
          action: 'agent.revoked',
          actor,
          subject: `organisation:${agent.organisation_id}`,
          details: { agentId: id },
        },
        tx,
      );
    });
  }

  async assignRole(
    input: {
      principalType: 'person' | 'client';
      principalId: string;
      role: string;
      unit: string;
      organisationId?: string;
    },
    actor: string,
    m?: EntityManager,
  ) {
    const id = randomUUID();
    const write = async (tx: EntityManager) => {
      const ok = await this.roles.insert(tx, {
        id,
        principal_type: input.principalType,
        principal_id: input.principalId,
        role: input.role,
        unit: input.unit,
        organisation_id: input.organisationId ?? null,
        granted_by: actor,
      });
      if (!ok) throw new AccountError(AccountErrorCode.RoleExists, 409, 'The role is assigned');
      await this.audit.append(
        {
          action: 'role.assigned',
          actor,
          subject: `${input.principalType}:${input.principalId}`,
          details: { role: input.role, unit: input.unit, organisationId: input.organisationId },
        },
        tx,
      );
    };
    if (m) await write(m);
    else await this.roles.db.transaction(write);
    return { id };
  }

  async removeRole(id: string, actor: string): Promise<void> {
    await this.roles.db.transaction(async (tx) => {
      const row = await this.roles.find(id, tx);
      if (!row)
        throw new AccountError(AccountErrorCode.RoleNotFound, 404, 'No such role assignment');
      await this.roles.delete(tx, id);
      await this.audit.append(
        {
          action: 'role.removed',
          actor,
          subject: `${row.principal_type}:${row.principal_id}`,
          details: { role: row.role, unit: row.unit },
        },
        tx,
      );
    });
  }
}

/** What an administrator sees: identifiers masked. */
export function toPersonView(row: PersonRow): PersonView {
  return {
    id: row.id,
    name: row.name,
    username: row.username,
    idType: row.id_type,
    idNumber: row.id_number_masked,
    phone: row.phone_masked,
    email: row.email,
    isAdmin: row.is_admin,
    disabled: row.disabled,
    totpEnabled: row.totp_enabled,
  };
}
