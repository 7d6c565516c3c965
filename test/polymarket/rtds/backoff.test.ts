import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, DEFAULT_BACKOFF } from '../../../src/polymarket/rtds/index.ts';

const opts = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.5 };

describe('backoffDelayMs', () => {
  it('doubles from the initial delay up to the cap when random() is 0', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 100].map((a) => backoffDelayMs(a, opts, () => 0))).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('jitter only shortens, by at most the jitter fraction', () => {
    expect(backoffDelayMs(0, opts, () => 0.999_999)).toBe(250);
    expect(backoffDelayMs(3, opts, () => 0.5)).toBe(3_000);
    expect(backoffDelayMs(3, { ...opts, jitter: 0 }, () => 0.9)).toBe(4_000);
  });

  it('stays within [base x (1 - jitter), min(base, cap)] for any attempt and draw', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const d = backoffDelayMs(attempt, DEFAULT_BACKOFF, () => r);
          const base = Math.min(
            DEFAULT_BACKOFF.maxMs,
            DEFAULT_BACKOFF.initialMs * 2 ** Math.min(attempt, 64),
          );
          expect(Number.isFinite(d)).toBe(true);
          expect(d).toBeLessThanOrEqual(base);
          expect(d).toBeGreaterThanOrEqual(Math.floor(base * (1 - DEFAULT_BACKOFF.jitter)));
        },
      ),
    );
  });
});
