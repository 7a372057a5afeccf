import { RateLimiter } from './rate-limiter.js';

describe('the verification rate limiter', () => {
  it('allows a burst, then refuses with TooManyRequests until tokens refill', () => {
    const limiter = new RateLimiter(60, 3);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) limiter.take('1.2.3.4', t0);
    expect(() => limiter.take('1.2.3.4', t0)).toThrow(
      expect.objectContaining({ code: 'TooManyRequests', status: 429 }),
    );
    // 60 per minute: one token a second.
    expect(() => limiter.take('1.2.3.4', t0 + 1000)).not.toThrow();
  });

  it('counts each client address on its own', () => {
    const limiter = new RateLimiter(60, 1);
    limiter.take('a', 0);
    expect(() => limiter.take('b', 0)).not.toThrow();
    expect(() => limiter.take('a', 0)).toThrow();
  });
});
