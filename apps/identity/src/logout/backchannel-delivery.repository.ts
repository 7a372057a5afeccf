import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface BackchannelDeliveryRow {
  id: string;
  client_id: string;
  logout_uri: string;
  account_id: string;
  sid: string | null;
  attempts: number;
  next_attempt_at: Date;
  status: 'pending' | 'delivered' | 'failed';
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export interface BackchannelAttemptRow {
  delivery_id: string;
  attempt: number;
  attempted_at: Date;
  outcome: 'delivered' | 'retry' | 'failed';
  http_status: number | null;
  error: string | null;
}

/** The durable queue of back-channel logout deliveries (OpenID Connect Back-Channel Logout 1.0). */
@Injectable()
export class BackchannelDeliveryRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(
    row: Pick<BackchannelDeliveryRow, 'id' | 'client_id' | 'logout_uri' | 'account_id' | 'sid'>,
  ) {
    await this.db.query(
      `INSERT INTO identity.backchannel_delivery (id, client_id, logout_uri, account_id, sid)
       VALUES ($1, $2, $3, $4, $5)`,
      [row.id, row.client_id, row.logout_uri, row.account_id, row.sid],
    );
  }

  /**
   * Claims due deliveries for this process: each is pushed a lease ahead first, so another
   * process polling at the same time does not send it too (SKIP LOCKED where supported).
   */
  async claimDue(limit: number, leaseSeconds: number): Promise<BackchannelDeliveryRow[]> {
    const [rows]: [BackchannelDeliveryRow[], number] = await this.db.query(
      `UPDATE identity.backchannel_delivery SET next_attempt_at = now() + make_interval(secs => $2::int)
       WHERE id IN (SELECT id FROM identity.backchannel_delivery
                    WHERE status = 'pending' AND next_attempt_at <= now()
                    ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [limit, leaseSeconds],
    );
    return rows;
  }

  /**
   * Records one attempt: the delivery's current state and, in the same statement, a row of
   * its attempt history.
   */
  async recordOutcome(
    id: string,
    outcome: {
      status: 'pending' | 'delivered' | 'failed';
      httpStatus?: number;
      error?: string;
      retryInSeconds?: number;
    },
  ): Promise<void> {
    await this.db.query(
      `WITH d AS (
         UPDATE identity.backchannel_delivery SET attempts = attempts + 1, status = $2,
           last_status = $3, last_error = $4,
           next_attempt_at = now() + make_interval(secs => $5::int),
           finished_at = CASE WHEN $2 = 'pending' THEN NULL ELSE now() END
         WHERE id = $1 RETURNING id, attempts)
       INSERT INTO identity.backchannel_attempt (delivery_id, attempt, outcome, http_status, error)
       SELECT id, attempts, CASE WHEN $2 = 'pending' THEN 'retry' ELSE $2 END, $3, $4 FROM d`,
      [
        id,
        outcome.status,
        outcome.httpStatus ?? null,
        outcome.error ?? null,
        outcome.retryInSeconds ?? 0,
      ],
    );
  }

  /** Finished deliveries (with their attempts) older than the retention. */
  async purgeFinished(retentionSeconds: number): Promise<number> {
    const [, removed]: [unknown[], number] = await this.db.query(
      `DELETE FROM identity.backchannel_delivery
       WHERE status IN ('delivered', 'failed')
         AND finished_at < now() - make_interval(secs => $1::int)`,
      [retentionSeconds],
    );
    return removed;
  }

  /** A delivery's attempts, first first. */
  async attempts(deliveryId: string): Promise<BackchannelAttemptRow[]> {
    return this.db.query(
      `SELECT * FROM identity.backchannel_attempt WHERE delivery_id = $1 ORDER BY attempt`,
      [deliveryId],
    );
  }

  async list(clientId?: string, limit = 100): Promise<BackchannelDeliveryRow[]> {
    return this.db.query(
      `SELECT * FROM identity.backchannel_delivery WHERE ($1::text IS NULL OR client_id = $1)
       ORDER BY created_at DESC LIMIT $2`,
      [clientId ?? null, limit],
    );
  }
}
