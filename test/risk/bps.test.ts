import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BPS, checkBps } from '../../src/risk/index.ts';

describe('checkBps', () => {
  it('passes exactly at the limit and fails a hair above it', () => {
    expect(checkBps(5_000, 500_000, 100)).toEqual({ bps: 100, exceeds: false });
    expect(checkBps(5_001, 500_000, 100)).toEqual({ bps: 101, exceeds: true });
    expect(checkBps(-5_000, 500_000, 0)).toEqual({ bps: -100, exceeds: false });
  });

  it('a zero base is unbounded for any positive excess', () => {
    expect(checkBps(1, 0, 1_000_000)).toEqual({ bps: null, exceeds: true });
    expect(checkBps(0, 0, 0)).toEqual({ bps: null, exceeds: false });
    expect(checkBps(-1, 0, 0)).toEqual({ bps: null, exceeds: false });
  });

  it('property: exceeds exactly when excess * 10000 > limit * base (bigint reference)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2_000_000, max: 2_000_000 }),
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        (excess, base, limit) => {
          const expected = BigInt(excess) * BigInt(BPS) > BigInt(limit) * BigInt(base);
          expect(checkBps(excess, base, limit).exceeds).toBe(expected);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
