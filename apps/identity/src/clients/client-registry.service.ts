import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '#audit';
import { FieldCrypto } from '../crypto/field-crypto.js';
import type { ClientSource } from '../oidc/postgres-adapter.js';
import { ClientError, ClientErrorCode } from './client.errors.js';
import { ClientRepository, type ClientRow } from './client.repository.js';

/** Validates client metadata exactly as the provider will read it; set by the provider host. */
export type MetadataValidator = (metadata: Record<string, unknown>) => Promise<void>;

export interface ClientInput {
  clientId: string;
  name: string;
  firstParty: boolean;
  /** OIDC dynamic-registration metadata names (RFC 7591), e.g. redirect_uris, grant_types. */
  metadata: Record<string, unknown>;
}

export interface RegisteredClient {
  clientId: string;
  name: string;
  firstParty: boolean;
  enabled: boolean;
  metadata: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

const CACHE_MS = 5000;

/**
 * The suite's client registry: business systems and service clients. The provider reads its
 * clients from here; a secret is 256 random bits, shown once, and stored only as a keyed hash.
 */
@Injectable()
export class ClientRegistryService implements ClientSource {
  private readonly cache = new Map<string, { at: number; value?: Record<string, unknown> }>();
  private validator: MetadataValidator = () => Promise.resolve();

  constructor(
    private readonly repository: ClientRepository,
    private readonly crypto: FieldCrypto,
    private readonly audit: AuditLog,
  ) {}

  useValidator(validator: MetadataValidator): void {
    this.validator = validator;
  }

  /**
   * Metadata as oidc-provider expects it. A short cache keeps the token endpoint off the
   * database under load; a change made on another process is seen within CACHE_MS.
   */
  async findClientMetadata(clientId: string): Promise<Record<string, unknown> | undefined> {
    const hit = this.cache.get(clientId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const row = await this.repository.find(clientId);
    const value = row?.enabled ? toProviderMetadata(row) : undefined;
    this.cache.set(clientId, { at: Date.now(), value });
    return value;
  }

  /** Constant-time check of a presented secret against the stored keyed hash. */
  secretHash(secret: string): string {
    return this.crypto.clientSecretHash(secret);
  }

  async register(input: ClientInput, actor: string) {
    const secret = needsSecret(input.metadata) ? newSecret() : undefined;
    const row = {
      client_id: input.clientId,
      name: input.name,
      metadata: input.metadata,
      first_party: input.firstParty,
      secret_hash: secret ? this.crypto.clientSecretHash(secret) : null,
    };
    await this.validate({ ...toProviderMetadata(row) });
    await this.repository.db.transaction(async (m) => {
      if (!(await this.repository.insert(m, row))) {
        throw new ClientError(ClientErrorCode.ClientExists, 409, 'The client id is taken');
      }
      await this.audit.append(
        { action: 'client.registered', actor, subject: `client:${input.clientId}` },
        m,
      );
    });
    return { client: await this.get(input.clientId), clientSecret: secret };
  }

  /**
   * Registers or refreshes a client the suite itself owns (service clients, the demo system):
   * its metadata and secret follow the code and the configuration on every start.
   */
  async ensureClient(input: ClientInput, secret: string | undefined, m: EntityManager) {
    const row = {
      client_id: input.clientId,
      name: input.name,
      metadata: input.metadata,
      first_party: input.firstParty,
      secret_hash: secret ? this.crypto.clientSecretHash(secret) : null,
    };
    await this.validate(toProviderMetadata(row));
    const created = await this.repository.insert(m, row);
    if (!created) {
      const existing = (await this.repository.find(input.clientId, m))!;
      await this.repository.update(m, input.clientId, { ...row, enabled: existing.enabled });
      if (row.secret_hash) await this.repository.setSecretHash(m, input.clientId, row.secret_hash);
    }
    this.cache.delete(input.clientId);
    return created;
  }

  async update(
    clientId: string,
    patch: Partial<Omit<ClientInput, 'clientId'>> & { enabled?: boolean },
    actor: string,
  ) {
    await this.repository.db.transaction(async (m) => {
      const row = await this.mustFind(clientId, m);
      const next = {
        name: patch.name ?? row.name,
        metadata: patch.metadata ?? row.metadata,
        first_party: patch.firstParty ?? row.first_party,
        enabled: patch.enabled ?? row.enabled,
      };
      await this.validate(toProviderMetadata({ ...row, ...next }));
      await this.repository.update(m, clientId, next);
      await this.audit.append(
        {
          action: 'client.updated',
          actor,
          subject: `client:${clientId}`,
          details: { fields: Object.keys(patch) },
        },
        m,
      );
    });
    this.cache.delete(clientId);
    return this.get(clientId);
  }

  async rotateSecret(clientId: string, actor: string): Promise<string> {
    const secret = newSecret();
    await this.repository.db.transaction(async (m) => {
      await this.mustFind(clientId, m);
      await this.repository.setSecretHash(m, clientId, this.crypto.clientSecretHash(secret));
      await this.audit.append(
        { action: 'client.secret_rotated', actor, subject: `client:${clientId}` },
        m,
      );
    });
    this.cache.delete(clientId);
    return secret;
  }

  async remove(clientId: string, actor: string): Promise<void> {
    if (clientId.startsWith('svc-')) {
      throw new ClientError(
        ClientErrorCode.ServiceClientProtected,
        409,
        'Service clients of the suite cannot be deleted',
      );
    }
    await this.repository.db.transaction(async (m) => {
      await this.mustFind(clientId, m);
      await this.repository.delete(m, clientId);
      await this.audit.append(
        { action: 'client.deleted', actor, subject: `client:${clientId}` },
        m,
      );
    });
    this.cache.delete(clientId);
  }

  async get(clientId: string): Promise<RegisteredClient> {
    return toView(await this.mustFind(clientId));
  }

  async list(): Promise<RegisteredClient[]> {
    return (await this.repository.list()).map(toView);
  }

  private async mustFind(clientId: string, m?: EntityManager): Promise<ClientRow> {
    const row = await this.repository.find(clientId, m);
    if (!row) throw new ClientError(ClientErrorCode.ClientNotFound, 404, 'No such client');
    return row;
  }

  private async validate(metadata: Record<string, unknown>): Promise<void> {
    try {
      await this.validator(metadata);
    } catch (err) {
      const e = err as { error_description?: string; message?: string };
      throw new ClientError(
        ClientErrorCode.InvalidClientMetadata,
        400,
        e.error_description ?? e.message ?? 'Invalid client metadata',
      );
    }
  }
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function needsSecret(metadata: Record<string, unknown>): boolean {
  const method = metadata.token_endpoint_auth_method ?? 'client_secret_basic';
  return method === 'client_secret_basic' || method === 'client_secret_post';
}

function toProviderMetadata(
  row: Pick<ClientRow, 'client_id' | 'name' | 'metadata' | 'secret_hash' | 'first_party'>,
) {
  return {
    ...row.metadata,
    client_id: row.client_id,
    client_name: row.name,
    first_party: row.first_party,
    // The provider compares a presented secret through compareClientSecret, which hashes it.
    ...(row.secret_hash ? { client_secret: row.secret_hash } : {}),
  };
}

function toView(row: ClientRow): RegisteredClient {
  return {
    clientId: row.client_id,
    name: row.name,
    firstParty: row.first_party,
    enabled: row.enabled,
    metadata: row.metadata,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
