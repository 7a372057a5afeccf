import { DomainError } from '#common';

export enum ClientErrorCode {
  ClientNotFound = 'ClientNotFound',
  ClientExists = 'ClientExists',
  InvalidClientMetadata = 'InvalidClientMetadata',
  ServiceClientProtected = 'ServiceClientProtected',
}

export class ClientError extends DomainError<ClientErrorCode> {}
