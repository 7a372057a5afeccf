import type { OidcPayload, OidcPayloadRepository } from './oidc-payload.repository.js';

/** Where the provider finds its clients: the suite's client registry, not its own store. */
export interface ClientSource {
  findClientMetadata(clientId: string): Promise<OidcPayload | undefined>;
}

/**
 * The oidc-provider adapter interface over PostgreSQL, one instance per model name. Every model
 * the provider stores (Session, Grant, Interaction, AuthorizationCode, RefreshToken,
 * ReplayDetection, PushedAuthorizationRequest, ...) lands in one table, so any number of
 * identity processes on one database serve the same sessions and tokens.
 */
/**
 * Ids arrive from requests (token=, refresh_token=, code=, client_id=, cookies). PostgreSQL
 * text cannot hold U+0000, so such an id would fail its query (500 server_error); it names
 * nothing, so it is simply not found.
 */
const unstorable = (id: unknown): boolean => typeof id !== 'string' || id.includes('\u0000');

export function createPostgresAdapter(repository: OidcPayloadRepository, clients: ClientSource) {
  return class PostgresAdapter {
    constructor(readonly model: string) {}

    async upsert(id: string, payload: OidcPayload, expiresIn?: number): Promise<void> {
      if (this.model === 'Client') throw new Error('clients are managed by the admin API');
      await repository.upsert(this.model, id, payload, expiresIn);
    }

    async find(id: string): Promise<OidcPayload | undefined> {
      if (unstorable(id)) return undefined;
      if (this.model === 'Client') return clients.findClientMetadata(id);
      return repository.find(this.model, 'id', id);
    }

    async findByUid(uid: string): Promise<OidcPayload | undefined> {
      if (unstorable(uid)) return undefined;
      return repository.find(this.model, 'uid', uid);
    }

    async findByUserCode(userCode: string): Promise<OidcPayload | undefined> {
      if (unstorable(userCode)) return undefined;
      return repository.find(this.model, 'user_code', userCode);
    }

    async consume(id: string): Promise<void> {
      if (unstorable(id)) return;
      await repository.consume(this.model, id);
    }

    async destroy(id: string): Promise<void> {
      if (unstorable(id)) return;
      await repository.destroy(this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await repository.revokeByGrantId(grantId);
    }
  };
}
