import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { pooledSql } from '#database';

/** Every password sign-in runs it: prepared once per connection (PooledSql). */
const CHECK = {
  name: 'sign_in_throttle_check',
  text: `SELECT max(locked_until) FILTER (WHERE locked_until > now()) AS locked_until,
      bool_or(key = $2) AS counting
    FROM identity.sign_in_throttle WHERE key = ANY($1)`,
};

/** Failed sign-in counters per account (or unknown identifier), second factor and address. */
@Injectable()
export class SignInThrottleRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The latest lock among `keys`, and whether `counted` has a counter row at all (locked or
   * not), in one statement: a successful sign-in resets the counter only when there is one.
   */
  async check(
    keys: string[],
    counted: string,
  ): Promise<{ lockedUntil: Date | undefined; counting: boolean }> {
    const { rows } = await pooledSql(this.db).query<{
      locked_until: Date | null;
      counting: boolean | null;
    }>(CHECK, [keys, counted]);
    return {
      lockedUntil: rows[0]?.locked_until ?? undefined,
      counting: rows[0]?.counting === true,
    };
  }

  async lockedUntil(keys: string[]): Promise<Date | undefined> {
    const rows: { locked_until: Date }[] = await this.db.query(
      `SELECT max(locked_until) AS locked_until FROM identity.sign_in_throttle
       WHERE key = ANY($1) AND locked_until > now()`,
      [keys],
    );
    return rows[0]?.locked_until ?? undefined;
  }

  /** Counts a failure in a sliding window; locks the key once it reaches `limit`. */
  async recordFailure(key: string, windowSeconds: number, limit: number, lockSeconds: number) {
    await this.db.query(
      `INSERT INTO identity.sign_in_throttle AS t (key, failures, window_started_at)
       VALUES ($1, 1, now())
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN t.window_started_at < now() - make_interval(secs => $2::int)
                         THEN 1 ELSE t.failures + 1 END,
         window_started_at = CASE WHEN t.window_started_at < now() - make_interval(secs => $2::int)
                         THEN now() ELSE t.window_started_at END`,
      [key, windowSeconds],
    );
    await this.db.query(
      `UPDATE identity.sign_in_throttle SET locked_until = now() + make_interval(secs => $3::int),
         failures = 0, window_started_at = now()
       WHERE key = $1 AND failures >= $2`,
      [key, limit, lockSeconds],
    );
  }

  /** Counters whose window has passed and whose lock, if any, has ended. */
  async purgeStale(windowSeconds: number): Promise<number> {
    const [, removed]: [unknown[], number] = await this.db.query(
      `DELETE FROM identity.sign_in_throttle
       WHERE (locked_until IS NULL OR locked_until < now())
         AND window_started_at < now() - make_interval(secs => $1::int)`,
      [windowSeconds],
    );
    return removed;
  }

  async clear(key: string): Promise<void> {
    await this.db.query(`DELETE FROM identity.sign_in_throttle WHERE key = $1`, [key]);
  }
}
