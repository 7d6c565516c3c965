import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, DEFAULT_BACKOFF } from '../../src/core/backoff.ts';

describe('backoffDelayMs', () => {
  const opts = { initialMs: 100, maxMs: 1_000 };

  it('doubles the ceiling per attempt up to the cap, with equal jitter in [ceiling/2, ceiling]', () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelayMs(a, opts, () => 0))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelayMs(a, opts, () => 0.999_999))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
    expect(backoffDelayMs(1_000, opts, () => 0.5)).toBe(750);
  });

  it('takes another factor and jitter', () => {
    expect(backoffDelayMs(2, { ...opts, factor: 3, jitter: 0 }, () => 0.9)).toBe(900);
    expect(backoffDelayMs(0, { ...opts, jitter: 1 }, () => 0)).toBe(0);
  });

  it('refuses a cap below the first step', () => {
    expect(() => backoffDelayMs(1, { initialMs: 10, maxMs: 5 }, Math.random)).toThrow(RangeError);
    expect(() => backoffDelayMs(1, { initialMs: 0, maxMs: 5 }, Math.random)).toThrow(RangeError);
  });

  it('stays within [ceiling x (1 - jitter), ceiling] and finite for any attempt and draw', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const d = backoffDelayMs(attempt, DEFAULT_BACKOFF, () => r);
          const ceiling = Math.min(
            DEFAULT_BACKOFF.maxMs,
            DEFAULT_BACKOFF.initialMs * 2 ** Math.min(attempt, 52),
          );
          expect(Number.isFinite(d)).toBe(true);
          expect(d).toBeLessThanOrEqual(ceiling);
          expect(d).toBeGreaterThanOrEqual(Math.floor(ceiling * (1 - DEFAULT_BACKOFF.jitter)));
        },
      ),
    );
  });
});
