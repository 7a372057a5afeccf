import { Injectable } from '@nestjs/common';
import { SealError, SealErrorCode } from '../shared/seal-error.js';

const WINDOW_MS = 60_000;
const LIMIT = 120;
const MAX_KEYS = 10_000;

/**
 * A fixed-window limit per client address for the public endpoints (verification and the
 * time-stamping authority), so an anonymous caller cannot keep the verifier or the TSA's
 * key busy. Each endpoint family has its own budget (`scope`).
 * TODO(e-seal): per process only; behind several replicas a shared store (PostgreSQL or the
 * gateway) should count.
 */
@Injectable()
export class VerificationRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  check(key: string, now = Date.now(), scope = 'verification'): void {
    key = `${scope}:${key}`;
    let w = this.windows.get(key);
    if (!w || now - w.start >= WINDOW_MS) {
      if (this.windows.size >= MAX_KEYS) this.windows.clear();
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    if (w.count > LIMIT) {
      const retryAfterSeconds = Math.ceil((w.start + WINDOW_MS - now) / 1000);
      const err = new SealError(SealErrorCode.TooManyRequests, 429, `Too many ${scope} requests`, {
        retryAfterSeconds,
      });
      // RFC 9110 10.2.3: when to come back, for clients that read headers rather than bodies.
      err.headers = { 'Retry-After': String(retryAfterSeconds) };
      throw err;
    }
  }
}
