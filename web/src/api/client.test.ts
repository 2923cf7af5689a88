import { describe, expect, it } from 'vitest';
import { ApiError, isRetryable } from './client.ts';

describe('isRetryable: the Retry button only where asking again can help', () => {
  it('offers it for a lost connection, a server error, a timeout or a rate limit', () => {
    for (const status of [0, 500, 502, 503, 408, 429])
      expect(isRetryable(new ApiError(status, 'x', 'm')), String(status)).toBe(true);
    expect(isRetryable(new TypeError('Failed to fetch'))).toBe(true);
  });
  it('not for an answer that will be the same: a bad link, an unknown id, a refused request', () => {
    for (const status of [400, 403, 404, 413, 422])
      expect(isRetryable(new ApiError(status, 'x', 'm')), String(status)).toBe(false);
  });
});
