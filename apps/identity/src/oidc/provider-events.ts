import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { currentRequestId, getLogger } from '#common';
import { AuditLog } from '#audit';

const log = getLogger('identity.provider');
const FLUSH_MS = 10_000;
const EVENT_FLUSH_MS = 250;

/**
 * Turns provider events into audit entries (never a token value, only its kind, client and
 * subject). Client-credentials grants are machine traffic at hundreds a second: they are
 * audited as one entry per client per ten seconds with a count, so the hash chain does not
 * become the token endpoint's bottleneck. Other provider events are one entry each, written
 * in batches every quarter second, one transaction and three statements a batch: the chain head is a single lock and
 * each commit a disk flush, so one commit per request would cap refresh grants near 100/s.
 */
@Injectable()
export class ProviderEvents implements OnApplicationShutdown {
  private readonly machineGrants = new Map<string, { count: number; scopes: Set<string> }>();
  private readonly timer: NodeJS.Timeout;
  private readonly eventTimer: NodeJS.Timeout;
  private pending: {
    action: string;
    actor: string;
    outcome: 'success' | 'failure';
    details: Record<string, unknown>;
    requestId: string | null;
  }[] = [];

  constructor(private readonly audit: AuditLog) {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
    this.eventTimer = setInterval(() => void this.flushEvents(), EVENT_FLUSH_MS);
    this.eventTimer.unref();
  }

  /** Writes the queued events, in order, in one transaction. */
  async flushEvents(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      await this.audit.appendMany(
        batch.map((e) => ({
          action: e.action,
          actor: e.actor,
          subject: `client:${String(e.details.clientId ?? e.actor)}`,
          outcome: e.outcome,
          details: e.details,
          requestId: e.requestId,
        })),
      );
    } catch (err) {
      log.error({ err, count: batch.length }, 'audit batch append failed');
    }
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

  async flush(): Promise<void> {
    const batch = [...this.machineGrants];
    this.machineGrants.clear();
    for (const [clientId, { count, scopes }] of batch) {
      await this.appendNow('token.issued', clientId, 'success', {
        clientId,
        grantType: 'client_credentials',
        count,
        scopes: [...scopes],
      });
    }
  }

  private append(
    action: string,
    actor: string,
    outcome: 'success' | 'failure',
    details: Record<string, unknown>,
  ): void {
    this.pending.push({ action, actor, outcome, details, requestId: currentRequestId() ?? null });
  }

  private async appendNow(
    action: string,
    actor: string,
    outcome: 'success' | 'failure',
    details: Record<string, unknown>,
  ) {
    try {
      await this.audit.append({
        action,
        actor,
        subject: `client:${String(details.clientId ?? actor)}`,
        outcome,
        details,
      });
    } catch (err) {
      log.error({ err, action }, 'audit append failed');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.eventTimer);
    await this.flush();
    await this.flushEvents();
  }
}
