import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import {
  RATE_LIMIT_TIERS,
  SignerRateLimits,
  tierBuckets,
} from '../../../src/execution/live/signer-limits.ts';
import {
  fullBucket,
  refill,
  type TokenBucketSpec,
  type TokenBucketState,
  take,
} from '../../../src/execution/live/token-bucket.ts';

const spec: TokenBucketSpec = { capacity: 3, refillPerSec: 2 };

describe('token bucket', () => {
  it.each([
    // [description, starting tokens, ms since then, take, ok, waitMs, tokens after]
    ['a full bucket serves a burst', 3, 0, 3, true, undefined, 0],
    ['one over the burst waits one refill interval', 0, 0, 1, false, 500, 0],
    ['half a second refills one token at 2/s', 0, 500, 1, true, undefined, 0],
    ['a partial refill waits only for the rest', 0.5, 0, 1, false, 250, 0.5],
    ['refill stops at the capacity', 1, 60_000, 3, true, undefined, 0],
    ['all or nothing: 2 asked, 1 there, nothing taken', 1, 0, 2, false, 500, 1],
  ] as const)('%s', (_, tokens, elapsed, n, ok, waitMs, after) => {
    const r = take(spec, { tokens, at: 1_000 }, 1_000 + elapsed, n);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.waitMs).toBe(waitMs);
    expect(r.state.tokens).toBeCloseTo(after, 9);
  });

  it('a clock that steps back neither refills nor drains', () => {
    const state = { tokens: 1, at: 10_000 };
    expect(refill(spec, state, 5_000)).toBe(state);
    expect(take(spec, state, 5_000, 1)).toMatchObject({ ok: true, state: { tokens: 0, at: 10_000 } });
  });

  it('refuses impossible requests and bad specs', () => {
    expect(() => take(spec, fullBucket(spec, 0), 0, 4)).toThrow(/capacity 3/);
    expect(() => take(spec, fullBucket(spec, 0), 0, 0)).toThrow(RangeError);
    expect(() => fullBucket({ capacity: 0, refillPerSec: 1 }, 0)).toThrow(RangeError);
    expect(() => fullBucket({ capacity: 1, refillPerSec: 0 }, 0)).toThrow(RangeError);
  });

  const step = fc.record({ dt: fc.integer({ min: 0, max: 2_000 }), n: fc.integer({ min: 1, max: 5 }) });
  const specs = fc.record({
    capacity: fc.integer({ min: 5, max: 60 }),
    refillPerSec: fc.integer({ min: 1, max: 100 }),
  });

  it('property: never more taken in [0, T] than the burst plus T x rate', () => {
    fc.assert(
      fc.property(specs, fc.array(step, { maxLength: 200 }), (s, steps) => {
        let state: TokenBucketState = fullBucket(s, 0);
        let now = 0;
        let taken = 0;
        for (const { dt, n } of steps) {
          now += dt;
          const r = take(s, state, now, n);
          state = r.state;
          if (r.ok) taken += n;
          expect(taken).toBeLessThanOrEqual(s.capacity + (now * s.refillPerSec) / 1000 + 1e-6);
          expect(state.tokens).toBeGreaterThanOrEqual(0);
          expect(state.tokens).toBeLessThanOrEqual(s.capacity);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: waiting exactly waitMs is always enough', () => {
    fc.assert(
      fc.property(
        specs,
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.integer({ min: 1, max: 5 }),
        (s, tokens, n) => {
          const r = take(s, { tokens, at: 0 }, 0, n);
          if (r.ok) return;
          expect(take(s, r.state, r.waitMs, n).ok).toBe(true);
          // and a little earlier is not: the wait is not padded
          if (r.waitMs > 1) expect(take(s, r.state, r.waitMs - 1.5, n).ok).toBe(false);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

describe('per-signer limits', () => {
  it('standard tier at 90 %: 54 burst and 36/s for orders, 108 and 72/s for cancels', () => {
    expect(tierBuckets(RATE_LIMIT_TIERS.standard)).toEqual({
      order: { capacity: 54, refillPerSec: 36 },
      cancel: { capacity: 108, refillPerSec: 72 },
    });
  });

  it('waits on the clock once the burst is spent; other signers and kinds are not held up', async () => {
    const clock = new ManualClock(0);
    const limits = new SignerRateLimits({
      order: { capacity: 2, refillPerSec: 1 },
      cancel: { capacity: 2, refillPerSec: 1 },
    });
    const done: string[] = [];
    const acquire = (signer: string, kind: 'order' | 'cancel', label: string) =>
      limits.acquire(signer, kind, 1, clock).then((waited) => done.push(`${label}:${waited}`));
    const all = Promise.all([
      acquire('0xAA', 'order', 'a1'),
      acquire('0xaa', 'order', 'a2'),
      acquire('0xAA', 'order', 'a3'),
      acquire('0xAA', 'cancel', 'c1'),
      acquire('0xbb', 'order', 'b1'),
    ]);
    await clock.advance(0);
    expect(done.sort()).toEqual(['a1:0', 'a2:0', 'b1:0', 'c1:0']);
    await clock.advance(999);
    expect(done).toHaveLength(4);
    await clock.advance(1);
    await all;
    expect(done).toContain('a3:1000');
  });
});
