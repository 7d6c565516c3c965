import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateLimitError, VenueError } from '../../../src/core/errors.ts';
import {
  backoffMs,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  retryDelayMs,
} from '../../../src/polymarket/data-api/retry.ts';

const unit = fc.double({ min: 0, max: 0.999999, noNaN: true });

describe('backoff', () => {
  it('doubles from the base, jittered in the upper half, capped', () => {
    const policy = { baseMs: 100, maxMs: 1_000 };
    expect([0, 1, 2, 3, 4, 60].map((a) => backoffMs(a, policy, () => 0))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect(backoffMs(2, policy, () => 0.999999)).toBe(400);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), unit, (attempt, r) => {
        const ms = backoffMs(attempt, policy, () => r);
        const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 52));
        expect(ms).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(ms).toBeLessThanOrEqual(ceiling);
      }),
    );
  });

  it('never waits less than a 429 asked (up to the cap)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 600_000 }),
        unit,
        (attempt, after, r) => {
          const delay = retryDelayMs(
            new RateLimitError('slow down', after),
            attempt,
            DEFAULT_RETRY_POLICY,
            () => r,
          );
          expect(delay).toBeGreaterThanOrEqual(Math.min(after, DEFAULT_RETRY_POLICY.maxRetryAfterMs));
          expect(delay).toBeLessThanOrEqual(
            Math.max(DEFAULT_RETRY_POLICY.maxRetryAfterMs, DEFAULT_RETRY_POLICY.maxMs),
          );
        },
      ),
    );
    expect(retryDelayMs(new VenueError('boom', 503), 0, DEFAULT_RETRY_POLICY, () => 0)).toBe(125);
    expect(retryDelayMs(new RateLimitError('slow down'), 0, DEFAULT_RETRY_POLICY, () => 0)).toBe(125);
  });
});

describe('Retry-After', () => {
  const now = Date.UTC(2026, 10, 21, 12);
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('1', now)).toBe(1_000);
    expect(parseRetryAfter(' 30 ', now)).toBe(30_000);
    expect(parseRetryAfter(new Date(now + 5_000).toUTCString(), now)).toBe(5_000);
    expect(parseRetryAfter(new Date(now - 5_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });
});
