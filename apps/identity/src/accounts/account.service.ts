import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { parseResidentId, parseUscc } from '#common';
import { AuditLog } from '#audit';
import { FieldCrypto, maskIdNumber, maskPhone } from '../crypto/field-crypto.js';
import { AccountError, AccountErrorCode } from './account.errors.js';
import { OrganisationRepository } from './organisation.repository.js';
import { hashPassword } from './password-hasher.js';
import { checkPasswordPolicy } from './password.service.js';
import { PersonRepository, type PersonRow } from './person.repository.js';
import { ClientRepository } from '../clients/client.repository.js';
import { RESOURCE_SCOPES } from '../oidc/resource-servers.js';
import { RoleRepository } from './role.repository.js';

/** Every role name: the resource scopes of the suite (docs/INTEGRATION.md "Scopes"). */
export const ROLE_NAMES: readonly string[] = Object.values(RESOURCE_SCOPES).flat();

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
/** A mainland mobile number (GB/T 13400 numbering: 1, then 3-9, then nine digits). */
export const MOBILE = /^1[3-9][0-9]{9}$/;

/** People, organisations and agents: validation, sealing of identifiers, roles. */
@Injectable()
export class AccountService {
  constructor(
    readonly people: PersonRepository,
    readonly organisations: OrganisationRepository,
    readonly roles: RoleRepository,
    readonly crypto: FieldCrypto,
    private readonly audit: AuditLog,
    private readonly clients: ClientRepository,
  ) {}

  /**
   * A role's unit must be of the kind its service uses: a USCC (GB 32100) for seal and license
   * roles, a fonds code for archive roles, `*` for all units (and for identity:admin).
   */
  checkRole(role: string, unit: string): string {
    if (!ROLE_NAMES.includes(role)) {
      throw new AccountError(AccountErrorCode.InvalidRole, 400, 'No such role', { role });
    }
    if (unit === '*') return unit;
    const bad = () =>
      new AccountError(AccountErrorCode.InvalidUnit, 400, 'The unit does not suit the role', {
        role,
        unit,
      });
    if (role.startsWith('seal:') || role.startsWith('license:')) {
      const parsed = parseUscc(unit);
      if (!parsed.valid) throw bad();
      return parsed.normalized;
    }
    if (role.startsWith('archive:') && /^[A-Z0-9][A-Z0-9.-]{0,19}$/.test(unit)) return unit;
    throw bad();
  }

  async setDisabled(id: string, disabled: boolean, actor: string): Promise<PersonView> {
    await this.people.db.transaction(async (m) => {
      if (!(await this.people.findById(id, m))) {
        throw new AccountError(AccountErrorCode.PersonNotFound, 404, 'No such person');
      }
      await this.people.update(m, id, { disabled });
      await this.audit.append(
        { action: disabled ? 'person.disabled' : 'person.enabled', actor, subject: `person:${id}` },
        m,
      );
    });
    return toPersonView(await this.getPerson(id));
  }

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
    if (input.password !== undefined) checkPasswordPolicy(input.password);
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
    const unit = this.checkRole(input.role, input.unit);
    const id = randomUUID();
    const write = async (tx: EntityManager) => {
      const exists =
        input.principalType === 'person'
          ? await this.people.findById(input.principalId, tx)
          : await this.clients.find(input.principalId, tx);
      if (!exists) {
        throw input.principalType === 'person'
          ? new AccountError(AccountErrorCode.PersonNotFound, 404, 'No such person')
          : new AccountError(AccountErrorCode.ClientNotFound, 404, 'No such client');
      }
      if (input.organisationId && !(await this.organisations.findById(input.organisationId, tx))) {
        throw new AccountError(AccountErrorCode.OrganisationNotFound, 404, 'No such organisation');
      }
      const ok = await this.roles.insert(tx, {
        id,
        principal_type: input.principalType,
        principal_id: input.principalId,
        role: input.role,
        unit,
        organisation_id: input.organisationId ?? null,
        granted_by: actor,
      });
      if (!ok) throw new AccountError(AccountErrorCode.RoleExists, 409, 'The role is assigned');
      await this.audit.append(
        {
          action: 'role.assigned',
          actor,
          subject: `${input.principalType}:${input.principalId}`,
          details: { role: input.role, unit, organisationId: input.organisationId },
        },
        tx,
      );
    };
    if (m) await write(m);
    else await this.roles.db.transaction(write);
    if (input.principalType === 'client') this.roles.clientRolesChanged(input.principalId);
    return { id };
  }

  async removeRole(id: string, actor: string): Promise<void> {
    const removed = await this.roles.db.transaction(async (tx) => {
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
      return row;
    });
    if (removed.principal_type === 'client') this.roles.clientRolesChanged(removed.principal_id);
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
