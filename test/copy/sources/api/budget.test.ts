import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  budgetRequests,
  DEFAULT_POLL_BUDGET,
  failureDelayMs,
  type PollBudget,
  pollIntervalMs,
  pollOffsetMs,
} from '../../../../src/copy/sources/api/budget.ts';

const budgetArb: fc.Arbitrary<PollBudget> = fc.record({
  maxRequests: fc.integer({ min: 1, max: 5_000 }),
  windowMs: fc.integer({ min: 100, max: 60_000 }),
  share: fc.double({ min: 0.01, max: 1, noNaN: true }),
  minIntervalMs: fc.integer({ min: 0, max: 5_000 }),
});

describe('poll budget', () => {
  it('with the documented limit: 50 requests/s for the poller, 4 polls/s per leader at most', () => {
    expect(budgetRequests(DEFAULT_POLL_BUDGET)).toBe(500);
    expect(pollIntervalMs(1, DEFAULT_POLL_BUDGET)).toBe(250);
    expect(pollIntervalMs(12, DEFAULT_POLL_BUDGET)).toBe(250);
    expect(pollIntervalMs(13, DEFAULT_POLL_BUDGET)).toBe(260);
    expect(pollIntervalMs(100, DEFAULT_POLL_BUDGET)).toBe(2_000);
    expect(pollIntervalMs(1_000, DEFAULT_POLL_BUDGET)).toBe(20_000);
    expect(pollIntervalMs(0, DEFAULT_POLL_BUDGET)).toBe(250);
  });

  it('never spends more than the share of the limit, and no leader polls under the floor', () => {
    fc.assert(
      fc.property(budgetArb, fc.integer({ min: 1, max: 10_000 }), (b, n) => {
        const interval = pollIntervalMs(n, b);
        expect(interval).toBeGreaterThanOrEqual(b.minIntervalMs);
        // n leaders, one request each per interval, over one window.
        expect((n * b.windowMs) / interval).toBeLessThanOrEqual(budgetRequests(b) + 1e-9);
        expect(budgetRequests(b)).toBeLessThanOrEqual(b.maxRequests);
      }),
    );
  });

  it('is as short as the budget allows: one ms less would overspend, unless the floor binds', () => {
    fc.assert(
      fc.property(budgetArb, fc.integer({ min: 1, max: 10_000 }), (b, n) => {
        const interval = pollIntervalMs(n, b);
        if (interval > b.minIntervalMs && interval > 1) {
          expect((n * b.windowMs) / (interval - 1)).toBeGreaterThan(budgetRequests(b));
        }
      }),
    );
  });

  it('grows with the number of leaders', () => {
    fc.assert(
      fc.property(
        budgetArb,
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        (b, n, more) => {
          expect(pollIntervalMs(n + more, b)).toBeGreaterThanOrEqual(pollIntervalMs(n, b));
        },
      ),
    );
  });

  it('spreads first polls evenly over one interval', () => {
    expect([0, 1, 2, 3].map((i) => pollOffsetMs(i, 4, 1_000))).toEqual([0, 250, 500, 750]);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.nat(),
        fc.integer({ min: 1, max: 100_000 }),
        (n, i, every) => {
          const offset = pollOffsetMs(i, n, every);
          expect(offset).toBeGreaterThanOrEqual(0);
          expect(offset).toBeLessThan(Math.max(1, every));
        },
      ),
    );
  });
});

describe('failure backoff', () => {
  const backoff = { baseMs: 1_000, maxMs: 60_000 };

  it('grows with failures up to the cap, never under the interval or Retry-After', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 30_000 }),
        fc.option(fc.integer({ min: 0, max: 120_000 }), { nil: undefined }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (failures, interval, retryAfter, r) => {
          const delay = failureDelayMs(failures, interval, retryAfter, backoff, () => r);
          expect(delay).toBeGreaterThanOrEqual(interval);
          expect(delay).toBeGreaterThanOrEqual(retryAfter ?? 0);
          expect(delay).toBeLessThanOrEqual(Math.max(interval, retryAfter ?? 0, backoff.maxMs));
        },
      ),
    );
    const at = (f: number) => failureDelayMs(f, 0, undefined, backoff, () => 0);
    expect([1, 2, 3, 4, 10].map(at)).toEqual([500, 1_000, 2_000, 4_000, 30_000]);
  });
});
