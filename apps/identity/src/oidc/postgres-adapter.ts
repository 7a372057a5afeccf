import type {
  AccountForToken,
  OidcPayload,
  OidcPayloadRepository,
} from './oidc-payload.repository.js';
import type { RequestMemo } from './request-memo.js';

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

/** Which prefetched account findAccount may take: the person and the grant of the token. */
export function accountKey(accountId: string, grantId: string): string {
  return `${accountId}\0${grantId}`;
}

/**
 * Models one request reads several times (an interaction page reads its Interaction, then
 * finishes it; a resumed authorization reads Interaction and Session more than once).
 */
const READ_ONCE_PER_REQUEST = new Set(['Interaction', 'Session']);

/**
 * The oidc-provider adapter interface over PostgreSQL, one instance per model name. Every model
 * the provider stores (Session, Grant, Interaction, AuthorizationCode, RefreshToken,
 * ReplayDetection, PushedAuthorizationRequest, ...) lands in one table, so any number of
 * identity processes on one database serve the same sessions and tokens.
 *
 * Two savings of round trips, each bound to one HTTP request (`currentRequest`: the request's
 * context object) so nothing is served from memory across requests, where another process
 * may have changed it:
 * - a token read by id brings its Grant and its person's token facts along (one query instead
 *   of three); the Grant is taken by the first Grant lookup of that request and dropped by
 *   any write to that grant, the person's facts by the request's findAccount;
 * - an Interaction or Session is read from the database once per request (by id, or a
 *   Session by the uid of its cookie); later reads in the same request get a copy of what was
 *   read or last written by it (write-through).
 */
/**
 * Ids arrive from requests (token=, refresh_token=, code=, client_id=, cookies). PostgreSQL
 * text cannot hold U+0000, so such an id would fail its query (500 server_error); it names
 * nothing, so it is simply not found.
 */
const unstorable = (id: unknown): boolean => typeof id !== 'string' || id.includes('\u0000');

export function createPostgresAdapter(
  repository: OidcPayloadRepository,
  clients: ClientSource,
  currentRequest: () => object | undefined,
  accounts: RequestMemo<AccountForToken>,
) {
  const prefetched = new WeakMap<object, Map<string, OidcPayload | null>>();
  // `${model}:${id}` -> the payload as JSON (a fresh object for every read), or null: absent.
  const readThisRequest = new WeakMap<object, Map<string, string | null>>();
  const requestReads = () => {
    const request = currentRequest();
    if (!request) return undefined;
    let reads = readThisRequest.get(request);
    if (!reads) readThisRequest.set(request, (reads = new Map()));
    return reads;
  };

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

  // Refresh token rotation (RFC 9700 4.14.2): the provider consumes the old token and, with no
  // I/O between, saves its successor. The consume waits for that save and goes into the same
  // statement (a round trip less per refresh, and atomic); one that no save follows is
  // written by flushDeferred, which a provider middleware runs before the response is sent.
  const deferredConsume = new WeakMap<object, string>();
  const flushConsume = async () => {
    const request = currentRequest();
    const id = request && deferredConsume.get(request);
    if (!id) return;
    deferredConsume.delete(request);
    await repository.consume('RefreshToken', id);
  };

  return class PostgresAdapter {
    constructor(readonly model: string) {}

    /** Writes what this request's adapter calls deferred; run before every response. */
    static flushDeferred(): Promise<void> {
      return flushConsume();
    }

    async upsert(id: string, payload: OidcPayload, expiresIn?: number): Promise<void> {
      if (this.model === 'Client') throw new Error('clients are managed by the admin API');
      if (this.model === 'Grant') forget(id);
      const reads = READ_ONCE_PER_REQUEST.has(this.model) ? requestReads() : undefined;
      reads?.delete(`${this.model}:${id}`);
      this.forgetUidReads(reads);
      const request = currentRequest();
      const consumed =
        this.model === 'RefreshToken' && request ? deferredConsume.get(request) : undefined;
      if (consumed) {
        deferredConsume.delete(request!);
        await repository.consumeAndUpsert(this.model, consumed, id, payload, expiresIn);
      } else {
        await repository.upsert(this.model, id, payload, expiresIn);
      }
      reads?.set(`${this.model}:${id}`, JSON.stringify(payload));
      if (typeof payload.uid === 'string') {
        reads?.set(`${this.model}:uid:${payload.uid}`, JSON.stringify(payload));
      }
    }

    /**
     * A write by id may change which uid answers what: every read by uid of this model in
     * the request is dropped (a Session is found by the uid in its cookie, several times in a
     * request that finishes an interaction).
     */
    private forgetUidReads(reads: Map<string, string | null> | undefined): void {
      const prefix = `${this.model}:uid:`;
      for (const key of reads?.keys() ?? []) if (key.startsWith(prefix)) reads!.delete(key);
      // Marks the write, so a read by uid still on its way is not kept (findOncePerRequest).
      reads?.set(
        `${this.model}#writes`,
        String(Number(reads.get(`${this.model}#writes`) ?? 0) + 1),
      );
    }

    async find(id: string): Promise<OidcPayload | undefined> {
      if (unstorable(id)) return undefined;
      if (this.model === 'RefreshToken') await flushConsume();
      if (this.model === 'Client') return clients.findClientMetadata(id);
      if (READ_ONCE_PER_REQUEST.has(this.model)) return this.findOncePerRequest('id', id);
      if (this.model === 'Grant') {
        const grant = takePrefetched(id);
        if (grant !== undefined) return grant ?? undefined;
      }
      if (!READ_WITH_GRANT.has(this.model)) return repository.find(this.model, 'id', id);
      const found = await repository.findWithGrant(this.model, id);
      if (found?.grantId && found.grant !== undefined) remember(found.grantId, found.grant);
      // For findAccount of the same request (TokenClaimsService.findAccount).
      if (found?.grantId && found.account) {
        accounts.set(accountKey(found.account.person.id, found.grantId), found.account);
      }
      return found?.payload;
    }

    private async findOncePerRequest(
      column: 'id' | 'uid',
      value: string,
    ): Promise<OidcPayload | undefined> {
      const reads = requestReads();
      const key = column === 'id' ? `${this.model}:${value}` : `${this.model}:uid:${value}`;
      const known = reads?.get(key);
      if (known !== undefined)
        return known === null ? undefined : (JSON.parse(known) as OidcPayload);
      const writes = reads?.get(`${this.model}#writes`);
      const found = await repository.find(this.model, column, value);
      // Kept only if nothing in this request wrote or removed it meanwhile.
      const unchanged = column === 'id' || reads?.get(`${this.model}#writes`) === writes;
      if (reads && !reads.has(key) && unchanged) {
        reads.set(key, found ? JSON.stringify(found) : null);
      }
      return found;
    }

    async findByUid(uid: string): Promise<OidcPayload | undefined> {
      if (unstorable(uid)) return undefined;
      if (READ_ONCE_PER_REQUEST.has(this.model)) return this.findOncePerRequest('uid', uid);
      return repository.find(this.model, 'uid', uid);
    }

    async findByUserCode(userCode: string): Promise<OidcPayload | undefined> {
      if (unstorable(userCode)) return undefined;
      return repository.find(this.model, 'user_code', userCode);
    }

    async consume(id: string): Promise<void> {
      if (unstorable(id)) return;
      const request = currentRequest();
      if (this.model === 'RefreshToken' && request) {
        await flushConsume();
        deferredConsume.set(request, id);
        return;
      }
      await repository.consume(this.model, id);
    }

    async destroy(id: string): Promise<void> {
      if (unstorable(id)) return;
      if (this.model === 'RefreshToken') await flushConsume();
      if (this.model === 'Grant') forget(id);
      const reads = READ_ONCE_PER_REQUEST.has(this.model) ? requestReads() : undefined;
      reads?.delete(`${this.model}:${id}`);
      this.forgetUidReads(reads);
      await repository.destroy(this.model, id);
      reads?.set(`${this.model}:${id}`, null);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await flushConsume();
      forget(grantId);
      await repository.revokeByGrantId(grantId);
    }
  };
}
