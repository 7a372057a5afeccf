import { isPermanent } from './archive-refusal.js';

describe('which e-archive answers end an archiving job', () => {
  it('gives up on a refusal of the request itself', () => {
    for (const status of [400, 403, 404, 409, 413, 415, 422])
      expect(isPermanent(status)).toBe(true);
  });

  it('retries an expired token, a timeout, a rate limit, a server error and no answer', () => {
    for (const status of [401, 408, 429, 500, 502, 503, undefined]) {
      expect(isPermanent(status)).toBe(false);
    }
  });
});
