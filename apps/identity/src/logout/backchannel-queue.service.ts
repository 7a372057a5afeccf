import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type Provider from 'oidc-provider';
import type { ClientInstance } from 'oidc-provider';
import { getLogger, SUITE_CONTEXT, type SuiteContext } from '#common';
import { AuditLog } from '#audit';
import { BackchannelDeliveryRepository } from './backchannel-delivery.repository.js';

const log = getLogger('identity.backchannel');
const LEASE_SECONDS = 30;
const TIMEOUT_MS = 5000;

/**
 * Sends back-channel logout tokens from the durable queue: each delivery is retried with
 * backoff (IDENTITY_BACKCHANNEL_RETRY_SECONDS, by default 1 s, 5 s, 30 s, 2 min, 10 min, 1 h)
 * until the RP answers 200 or 204 (Back-Channel Logout 1.0 section 2.8) or the retries run
 * out. Every attempt is kept in the delivery's history; the final outcome is audited. A
 * logout is never lost to a restart.
 */
@Injectable()
export class BackchannelQueueService {
  private timer?: NodeJS.Timeout;
  private running = false;
  private provider?: () => Provider;
  private readonly backoffSeconds: number[];

  constructor(
    @Inject(SUITE_CONTEXT) ctx: SuiteContext,
    private readonly repository: BackchannelDeliveryRepository,
    private readonly audit: AuditLog,
  ) {
    this.backoffSeconds = ctx.config.IDENTITY_BACKCHANNEL_RETRY_SECONDS;
  }

  async enqueue(
    clientId: string,
    logoutUri: string,
    accountId: string,
    sid: string,
  ): Promise<void> {
    await this.repository.insert({
      id: randomUUID(),
      client_id: clientId,
      logout_uri: logoutUri,
      account_id: accountId,
      sid,
    });
    setImmediate(() => void this.tick());
  }

  start(provider: () => Provider, intervalMs = 1000): void {
    this.provider = provider;
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass over due deliveries; overlapping passes in one process are skipped. */
  async tick(): Promise<void> {
    if (this.running || !this.provider) return;
    this.running = true;
    try {
      const due = await this.repository.claimDue(20, LEASE_SECONDS);
      await Promise.all(due.map((d) => this.deliver(d)));
    } catch (err) {
      log.error({ err }, 'back-channel queue pass failed');
    } finally {
      this.running = false;
    }
  }

  private async deliver(d: Awaited<ReturnType<BackchannelDeliveryRepository['claimDue']>>[number]) {
    const provider = this.provider!();
    let httpStatus: number | undefined;
    let error: string | undefined;
    try {
      const client = await provider.Client.find(d.client_id);
      if (!client) throw new Error('client no longer registered');
      const token = await this.logoutToken(provider, client, d.account_id, d.sid);
      const response = await fetch(d.logout_uri, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logout_token: token }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      httpStatus = response.status;
      await response.body?.cancel();
      if (httpStatus !== 200 && httpStatus !== 204) error = `HTTP ${httpStatus}`;
    } catch (err) {
      error = (err as Error).message;
    }

    const attempt = d.attempts + 1;
    const delivered = !error;
    const exhausted = attempt > this.backoffSeconds.length;
    const status = delivered ? 'delivered' : exhausted ? 'failed' : 'pending';
    await this.repository.recordOutcome(d.id, {
      status,
      httpStatus,
      error,
      retryInSeconds: this.backoffSeconds[attempt - 1] ?? 0,
    });
    log.info(
      { deliveryId: d.id, clientId: d.client_id, attempt, status, httpStatus },
      'back-channel logout attempt',
    );
    if (status !== 'pending') {
      await this.audit.append({
        action: 'logout.backchannel',
        actor: 'system',
        subject: `client:${d.client_id}`,
        outcome: delivered ? 'success' : 'failure',
        details: { deliveryId: d.id, attempts: attempt, httpStatus, error },
      });
    }
  }

  /** A fresh logout token per attempt (new jti and iat), signed like the client's ID tokens. */
  private async logoutToken(
    provider: Provider,
    client: ClientInstance,
    accountId: string,
    sid: string | null,
  ): Promise<string> {
    // The IdToken model turns the account id into the client's pairwise subject itself.
    const token = new provider.IdToken({ sub: accountId }, { client, ctx: undefined });
    token.mask = { sub: null };
    token.set('events', { 'http://schemas.openid.net/event/backchannel-logout': {} });
    token.set('jti', randomUUID());
    if (sid) token.set('sid', sid);
    return token.issue({ use: 'logout' });
  }
}
