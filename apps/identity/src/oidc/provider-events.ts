import {
  Inject,
  Injectable,
  Optional,
  type BeforeApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { currentRequestId, getLogger } from '#common';
import { AuditLog, type AuditEvent } from '#audit';

const log = getLogger('identity.provider');
const MACHINE_GRANT_MS = 10_000;
const EVENT_FLUSH_MS = 250;

/** How many audit events may wait for the audit log (e.g. while the database is away). */
export const PROVIDER_EVENTS_BACKLOG = Symbol('PROVIDER_EVENTS_BACKLOG');
const DEFAULT_BACKLOG = 10_000;

/** What one flush did: appended this many, this many still wait, this many were dropped. */
export interface FlushOutcome {
  appended: number;
  pending: number;
  lost: number;
}

/**
 * Turns provider events into audit entries (never a token value, only its kind, client and
 * subject). Client-credentials grants are machine traffic at hundreds a second: they are
 * audited as one entry per client per ten seconds with a count, so the hash chain does not
 * become the token endpoint's bottleneck. Other provider events are one entry each, written
 * in batches every quarter second, one transaction a batch: the chain head is a single lock
 * and each commit a disk flush, so one commit per request would cap refresh grants near 100/s.
 *
 * A batch the audit log refuses (database away, lock timeout) stays queued, in order, and is
 * tried again at the next flush; at most `backlog` events wait, later ones are dropped and
 * counted, and the count is logged as an error. Whatever waits is written at shutdown.
 */
@Injectable()
export class ProviderEvents implements OnModuleInit, BeforeApplicationShutdown, OnModuleDestroy {
  private readonly machineGrants = new Map<string, { count: number; scopes: Set<string> }>();
  private timers: NodeJS.Timeout[] = [];
  private pending: AuditEvent[] = [];
  private lost = 0;
  private failedAttempts = 0;
  private flushing?: Promise<FlushOutcome>;

  constructor(
    private readonly audit: AuditLog,
    @Optional() @Inject(PROVIDER_EVENTS_BACKLOG) private readonly backlog = DEFAULT_BACKLOG,
  ) {}

  /** Starts the flush timers (an instance made outside Nest flushes only when told). */
  onModuleInit(): void {
    this.timers = [
      setInterval(() => this.collectMachineGrants(), MACHINE_GRANT_MS),
      setInterval(() => void this.flushEvents(), EVENT_FLUSH_MS),
    ];
    for (const t of this.timers) t.unref();
  }

  /**
   * Writes the queued events, in order, in one transaction. One flush at a time: a call made
   * while one runs waits for it and then writes what came meanwhile.
   */
  async flushEvents(): Promise<FlushOutcome> {
    while (this.flushing) await this.flushing;
    this.flushing = this.writePending();
    try {
      return await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  private async writePending(): Promise<FlushOutcome> {
    const lost = this.lost;
    this.lost = 0;
    if (lost > 0) {
      // Reported once per count: the entries are gone, the chain does not show them.
      log.error({ lost, backlog: this.backlog }, 'audit events lost: too many waiting');
    }
    const batch = this.pending;
    if (batch.length === 0) return { appended: 0, pending: 0, lost };
    this.pending = [];
    try {
      await this.audit.appendMany(batch);
    } catch (err) {
      // Kept ahead of what came meanwhile, so the chain keeps the order of events.
      this.pending = batch.concat(this.pending);
      if (this.failedAttempts++ === 0) {
        log.error({ err, pending: this.pending.length }, 'audit batch append failed; will retry');
      }
      return { appended: 0, pending: this.pending.length, lost };
    }
    if (this.failedAttempts > 0) {
      log.info({ attempts: this.failedAttempts + 1 }, 'audit batch appended after retries');
      this.failedAttempts = 0;
    }
    return { appended: batch.length, pending: this.pending.length, lost };
  }

  attach(provider: Provider): void {
    provider.on('grant.success', (ctx: KoaContextWithOIDC) => this.onGrant(ctx));
    provider.on('grant.error', (ctx: KoaContextWithOIDC, err: Error & { error?: string }) => {
      this.append('token.refused', ctx.oidc.client?.clientId ?? 'anonymous', 'failure', {
        grantType: ctx.oidc.params?.grant_type,
        error: err.error ?? err.name,
      });
    });
    provider.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
      this.append('grant.revoked', ctx.oidc.client?.clientId ?? 'anonymous', 'success', {
        grantId,
      });
    });
    provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
      this.append('session.logout', ctx.oidc.session?.accountId ?? 'anonymous', 'success', {
        clientId: ctx.oidc.client?.clientId,
      });
    });
    provider.on('server_error', (_ctx: unknown, err: Error) =>
      log.error({ err }, 'provider error'),
    );
  }

  private onGrant(ctx: KoaContextWithOIDC): void {
    const clientId = ctx.oidc.client?.clientId ?? 'unknown';
    const grantType = ctx.oidc.params?.grant_type as string | undefined;
    const token = ctx.oidc.entities.AccessToken ?? ctx.oidc.entities.ClientCredentials;
    if (grantType === 'client_credentials') {
      const entry = this.machineGrants.get(clientId) ?? { count: 0, scopes: new Set() };
      entry.count++;
      for (const s of (token?.scope ?? '').split(' ').filter(Boolean)) entry.scopes.add(s);
      this.machineGrants.set(clientId, entry);
      return;
    }
    this.append('token.issued', token?.accountId ?? clientId, 'success', {
      clientId,
      grantType,
      scope: token?.scope,
      audience: token?.aud,
    });
  }

  /** Queues one summary entry per client for the client-credentials grants counted so far. */
  collectMachineGrants(): void {
    const counted = [...this.machineGrants];
    this.machineGrants.clear();
    for (const [clientId, { count, scopes }] of counted) {
      this.append(
        'token.issued',
        clientId,
        'success',
        { clientId, grantType: 'client_credentials', count, scopes: [...scopes] },
        null,
      );
    }
  }

  /**
   * Queues an audit event of another part of identity (sign-in, consent) for the next batch,
   * for a caller that needs neither the entry's id nor to wait for its commit: on the sign-in
   * path a synchronous append is a transaction of its own with the chain-head lock, and its
   * latency is paid by the person waiting for the next page. Same backlog and retries.
   */
  queue(event: AuditEvent): void {
    if (this.pending.length >= this.backlog) {
      this.lost++;
      return;
    }
    const requestId =
      event.requestId === undefined ? (currentRequestId() ?? null) : event.requestId;
    this.pending.push({ ...event, requestId });
  }

  private append(
    action: string,
    actor: string,
    outcome: 'success' | 'failure',
    details: Record<string, unknown>,
    requestId: string | null = currentRequestId() ?? null,
  ): void {
    const subject = `client:${String(details.clientId ?? actor)}`;
    this.queue({ action, actor, subject, outcome, details, requestId });
  }

  /** Before the database closes (its module ends in onApplicationShutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.collectMachineGrants();
    const outcome = await this.flushEvents();
    if (outcome.pending > 0) {
      log.error({ lost: outcome.pending }, 'audit events lost at shutdown: audit log unavailable');
    }
  }

  onModuleDestroy(): void {
    for (const t of this.timers) clearInterval(t);
  }
}
