import type { OidcPayload, OidcPayloadRepository } from './oidc-payload.repository.js';

/** Where the provider finds its clients: the suite's client registry, not its own store. */
export interface ClientSource {
  findClientMetadata(clientId: string): Promise<OidcPayload | undefined>;
}

/**
 * Models the provider looks up by id and then, in the same request, reads the Grant of
 * (refresh_token and authorization_code grants, device and CIBA polling).
 */
const READ_WITH_GRANT = new Set([
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

/**
 * The oidc-provider adapter interface over PostgreSQL, one instance per model name. Every model
 * the provider stores (Session, Grant, Interaction, AuthorizationCode, RefreshToken,
 * ReplayDetection, PushedAuthorizationRequest, ...) lands in one table, so any number of
 * identity processes on one database serve the same sessions and tokens.
 *
 * A token read by id brings its Grant along (one query instead of two); the Grant is kept for
 * the rest of that request only (`currentRequest`: the provider's request context), taken by
 * the first Grant lookup and dropped by any write to that grant, so nothing is served from
 * memory that another process could have changed in between two requests.
 */
export function createPostgresAdapter(
  repository: OidcPayloadRepository,
  clients: ClientSource,
  currentRequest: () => object | undefined,
) {
  const prefetched = new WeakMap<object, Map<string, OidcPayload | null>>();

  const takePrefetched = (grantId: string): OidcPayload | null | undefined => {
    const request = currentRequest();
    const memo = request && prefetched.get(request);
    const grant = memo?.get(grantId);
    memo?.delete(grantId);
    return grant;
  };
  const forget = (grantId: string) => {
    const request = currentRequest();
    if (request) prefetched.get(request)?.delete(grantId);
  };
  const remember = (grantId: string, grant: OidcPayload | null) => {
    const request = currentRequest();
    if (!request) return;
    let memo = prefetched.get(request);
    if (!memo) prefetched.set(request, (memo = new Map()));
    memo.set(grantId, grant);
  };

  return class PostgresAdapter {
    constructor(readonly model: string) {}

    async upsert(id: string, payload: OidcPayload, expiresIn?: number): Promise<void> {
      if (this.model === 'Client') throw new Error('clients are managed by the admin API');
      if (this.model === 'Grant') forget(id);
      await repository.upsert(this.model, id, payload, expiresIn);
    }

    async find(id: string): Promise<OidcPayload | undefined> {
      if (this.model === 'Client') return clients.findClientMetadata(id);
      if (this.model === 'Grant') {
        const grant = takePrefetched(id);
        if (grant !== undefined) return grant ?? undefined;
      }
      if (!READ_WITH_GRANT.has(this.model)) return repository.find(this.model, 'id', id);
      const found = await repository.findWithGrant(this.model, id);
      if (found?.grantId && found.grant !== undefined) remember(found.grantId, found.grant);
      return found?.payload;
    }

    async findByUid(uid: string): Promise<OidcPayload | undefined> {
      return repository.find(this.model, 'uid', uid);
    }

    async findByUserCode(userCode: string): Promise<OidcPayload | undefined> {
      return repository.find(this.model, 'user_code', userCode);
    }

    async consume(id: string): Promise<void> {
      await repository.consume(this.model, id);
    }

    async destroy(id: string): Promise<void> {
      if (this.model === 'Grant') forget(id);
      await repository.destroy(this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      forget(grantId);
      await repository.revokeByGrantId(grantId);
    }
  };
}
