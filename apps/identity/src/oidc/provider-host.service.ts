import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import Provider, { type ClientInstance } from 'oidc-provider';
import {
  getLogger,
  requestContext,
  requestIdMiddleware,
  securityHeaders,
  SUITE_CONTEXT,
  type SuiteContext,
} from '#common';
import { ClientRegistryService } from '../clients/client-registry.service.js';
import { deriveKey } from '../crypto/field-crypto.js';
import { KeyStoreService } from '../keys/key-store.service.js';
import { BackchannelQueueService } from '../logout/backchannel-queue.service.js';
import { AssuranceLadder, loadLadder } from './assurance-levels.js';
import { OidcPayloadRepository } from './oidc-payload.repository.js';
import { createPostgresAdapter } from './postgres-adapter.js';
import { providerConfiguration } from './provider-configuration.js';
import {
  forwardAsExpressSees,
  providerPath,
  staticHeaders,
  type ExpressInternals,
  type Middleware,
} from './ahead-of-express.js';
import { RetentionService } from '../retention/retention.service.js';
import { ProviderEvents } from './provider-events.js';
import { TokenClaimsService } from './token-claims.service.js';

const log = getLogger('identity.provider');

const KEY_POLL_MS = 30_000;
const PURGE_MS = 10 * 60_000;

/**
 * Owns the running oidc-provider instance. The provider reads its keys once, at
 * construction; when the key set changes (a rotation here or on another process, seen by
 * polling) a new instance replaces the old between two requests, so rotation needs no restart.
 */
@Injectable()
export class ProviderHost implements OnApplicationShutdown {
  readonly ladder = new AssuranceLadder(loadLadder());
  private current?: {
    provider: Provider;
    handle: (req: IncomingMessage, res: ServerResponse) => void;
    version: string;
  };
  private timers: NodeJS.Timeout[] = [];

  constructor(
    @Inject(SUITE_CONTEXT) private readonly ctx: SuiteContext,
    private readonly keys: KeyStoreService,
    private readonly payloads: OidcPayloadRepository,
    private readonly clients: ClientRegistryService,
    private readonly claims: TokenClaimsService,
    private readonly backchannel: BackchannelQueueService,
    private readonly events: ProviderEvents,
    private readonly retention: RetentionService,
  ) {}

  get provider(): Provider {
    if (!this.current) throw new Error('the OIDC provider is not started');
    return this.current.provider;
  }

  async start(): Promise<void> {
    await this.keys.ensureKeys();
    await this.reload();
    this.clients.useValidator(async (metadata) => {
      await this.provider.Client.validate(metadata);
    });
    this.backchannel.start(() => this.provider);
    this.timers.push(
      setInterval(
        () => void this.reload().catch((err: unknown) => log.error({ err }, 'key reload failed')),
        KEY_POLL_MS,
      ),
      setInterval(() => void this.purge(), PURGE_MS),
    );
    for (const t of this.timers) t.unref();
  }

  /**
   * Serves the provider's own paths ahead of Express's middleware chain (`expressApp`: the
   * Express application). They need none of its routing or body parsing (the provider parses
   * its own bodies), only what every response of the suite has: the request id with its
   * access-log line, and the security headers. Express's chain in front of each token request
   * cost about a sixth of the token endpoint's CPU (bench/identity.bench.mjs). Other paths,
   * and every path before the provider is ready, go to Express unchanged.
   *
   * The provider (Koa, `proxy = true`) would believe any X-Forwarded-* header; it is handed
   * instead what Express derives under the one TRUST_PROXY setting, so both see the same
   * client.
   */
  serveAhead(expressApp: object, prefix = '/identity'): void {
    // `handle`, `request` and `response` are Express's own (app(req, res) calls handle),
    // typed by no declaration.
    const app = expressApp as ExpressInternals;
    const express = app.handle.bind(app);
    const requestId = requestIdMiddleware('identity') as unknown as Middleware;
    const headers = staticHeaders(securityHeaders() as unknown as Middleware);
    app.handle = (req, res, next) => {
      const rest = providerPath(req.url ?? '', prefix);
      const current = this.current;
      if (rest === undefined || !current) return express(req, res, next);
      requestId(req, res, () =>
        headers(req, res, () => {
          forwardAsExpressSees(app, req, res);
          // As Express's mount did: the provider sees its own path and finds its mount point
          // from originalUrl (it builds its endpoint URLs from both).
          (req as IncomingMessage & { originalUrl?: string }).originalUrl = req.url;
          req.url = rest;
          current.handle(req, res);
        }),
      );
    };
  }

  /** Builds a provider on the current key set, if it changed. */
  async reload(): Promise<void> {
    const published = await this.keys.published();
    if (this.current?.version === published.version) return;
    const adapter = createPostgresAdapter(
      this.payloads,
      this.clients,
      () => requestContext.getStore(),
      this.claims.prefetched,
    );
    const provider = new Provider(
      this.ctx.publicUrls.identity,
      providerConfiguration({
        ctx: this.ctx,
        adapter,
        keys: published.keys,
        cookieKeys: await this.keys.cookieKeys(),
        claims: this.claims,
        ladder: this.ladder,
        pairwiseKey: deriveKey(this.ctx.masterKey, 'pairwise-subject'),
      }),
    );
    // The X-Forwarded-* headers it sees are rewritten by serveAhead() from Express's view.
    provider.proxy = true;
    // Koa answers once the middleware chain has returned: what the adapter deferred is
    // written before any response leaves, and a failure to write it is the request's failure.
    provider.use(async (_ctx, next) => {
      try {
        await next();
      } finally {
        await adapter.flushDeferred();
      }
    });
    this.customise(provider);
    this.events.attach(provider);
    this.current = { provider, handle: provider.callback(), version: published.version };
    log.info({ keys: published.keys.length }, 'provider ready on the current key set');
  }

  private customise(provider: Provider): void {
    // The provider rebuilds nothing for a client it has seen, but finds out by hashing the
    // JSON of its metadata on every request (about 13 µs a token request). The registry hands
    // out one metadata object per client until it re-reads it (5 s), so the object itself
    // tells the same: a new object, a new client instance.
    const find = provider.Client.find.bind(provider.Client);
    const built = new WeakMap<object, ClientInstance>();
    provider.Client.find = async (id: string) => {
      const metadata =
        typeof id === 'string' ? await this.clients.findClientMetadata(id) : undefined;
      if (!metadata) return find(id);
      let client = built.get(metadata);
      if (!client) {
        client = await find(id);
        if (client) built.set(metadata, client);
      }
      return client;
    };
    const hashSecret = (s: string) => this.clients.secretHash(s);
    // The registry stores a keyed hash of each secret; compare hashes in constant time.
    provider.Client.prototype.compareClientSecret = function (
      this: ClientInstance,
      actual: string,
    ) {
      const expected = Buffer.from(this.clientSecret ?? '');
      const presented = Buffer.from(hashSecret(actual));
      return expected.length === presented.length && timingSafeEqual(expected, presented);
    };
    const queue = this.backchannel;
    // Back-channel logout goes through a durable queue with retries, not one attempt.
    provider.Client.prototype.backchannelLogout = async function (
      this: ClientInstance,
      accountId: string,
      sid: string,
    ) {
      await queue.enqueue(this.clientId, this.backchannelLogoutUri!, accountId, sid);
    };
  }

  private async purge(): Promise<void> {
    try {
      const removed = await this.payloads.purgeExpired();
      if (removed) log.info({ removed }, 'expired provider records purged');
    } catch (err) {
      log.error({ err }, 'purge of expired provider records failed');
    }
    try {
      await this.retention.purge();
    } catch (err) {
      log.error({ err }, 'purge of expired identity records failed');
    }
  }

  onApplicationShutdown(): void {
    for (const t of this.timers) clearInterval(t);
    this.backchannel.stop();
  }
}
