import { DomainError } from '#common';

export enum AccountErrorCode {
  InvalidIdNumber = 'InvalidIdNumber',
  InvalidUscc = 'InvalidUscc',
  InvalidPhone = 'InvalidPhone',
  AccountExists = 'AccountExists',
  PersonNotFound = 'PersonNotFound',
  OrganisationNotFound = 'OrganisationNotFound',
  OrganisationExists = 'OrganisationExists',
  AgentNotFound = 'AgentNotFound',
  AgentExists = 'AgentExists',
  InvalidDate = 'InvalidDate',
  IdNumberImmutable = 'IdNumberImmutable',
  RoleNotFound = 'RoleNotFound',
  RoleExists = 'RoleExists',
  WeakPassword = 'WeakPassword',
  InvalidRole = 'InvalidRole',
  InvalidUnit = 'InvalidUnit',
  ClientNotFound = 'ClientNotFound',
}

export class AccountError extends DomainError<AccountErrorCode> {}
