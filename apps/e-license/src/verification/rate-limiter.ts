import { LicenseError, LicenseErrorCode } from '../license.error.js';

/**
 * A token bucket per client address for the public verification endpoints: enough for a
 * counter clerk scanning all day, not enough to enumerate verification codes.
 *
 * TODO(e-license): the buckets live in one process; behind several replicas each replica
 * counts on its own (the limit multiplies by the replica count). A shared counter in
 * PostgreSQL or at the gateway would make it exact.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
  ) {}

  take(key: string, now = Date.now()): void {
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 60_000) * this.perMinute);
    b.at = now;
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      const seconds = Math.ceil(((1 - b.tokens) * 60) / this.perMinute);
      const err = new LicenseError(
        LicenseErrorCode.TooManyRequests,
        429,
        'Too many verification requests',
        { retryAfterSeconds: seconds },
      );
      // RFC 6585 4 / RFC 9110 10.2.3: tell the client when the bucket has a token again.
      err.headers = { 'Retry-After': String(seconds) };
      throw err;
    }
    b.tokens -= 1;
    this.buckets.set(key, b);
    if (this.buckets.size > 100_000) this.prune(now);
  }

  private prune(now: number): void {
    for (const [k, b] of this.buckets) if (now - b.at > 10 * 60_000) this.buckets.delete(k);
  }
}
