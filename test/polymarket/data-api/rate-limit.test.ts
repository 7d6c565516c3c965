import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import {
  DATA_API_GENERAL_LIMIT,
  type RateLimit,
  RequestLimiter,
  reserveSlot,
  shareOf,
} from '../../../src/polymarket/data-api/rate-limit.ts';

describe('reserveSlot', () => {
  it('lets requests through at once under the limit, then at the window edge', () => {
    const limit: RateLimit = { maxRequests: 2, windowMs: 1_000 };
    let reserved: number[] = [];
    const at = (now: number) => {
      const r = reserveSlot(reserved, now, limit);
      reserved = r.reserved;
      return r.at;
    };
    expect([at(0), at(10), at(20), at(30), at(2_500)]).toEqual([0, 10, 1_000, 1_010, 2_500]);
  });

  it('never lets more than maxRequests into any window, whatever the arrivals', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 60 }),
        (maxRequests, windowMs, gaps) => {
          const limit = { maxRequests, windowMs };
          let reserved: number[] = [];
          let now = 0;
          const grants: number[] = [];
          for (const gap of gaps) {
            now += gap;
            const r = reserveSlot(reserved, now, limit);
            expect(r.at).toBeGreaterThanOrEqual(now);
            reserved = r.reserved;
            grants.push(r.at);
          }
          // First come, first served, and at most maxRequests in every (t - windowMs, t].
          for (let i = 1; i < grants.length; i++) expect(grants[i]!).toBeGreaterThanOrEqual(grants[i - 1]!);
          for (const t of grants) {
            expect(grants.filter((g) => g > t - windowMs && g <= t).length).toBeLessThanOrEqual(maxRequests);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes a share of the documented limit', () => {
    expect(shareOf(DATA_API_GENERAL_LIMIT, 0.5)).toEqual({ maxRequests: 500, windowMs: 10_000 });
    expect(shareOf({ maxRequests: 3, windowMs: 10 }, 0.1)).toEqual({ maxRequests: 1, windowMs: 10 });
    expect(() => shareOf(DATA_API_GENERAL_LIMIT, 0)).toThrow(RangeError);
  });
});

describe('RequestLimiter', () => {
  it('holds a request back on the clock until its slot', async () => {
    const clock = new ManualClock(0);
    const limiter = new RequestLimiter(clock, { maxRequests: 2, windowMs: 1_000 });
    await limiter.acquire();
    await limiter.acquire();
    let third = false;
    const p = limiter.acquire().then(() => {
      third = true;
    });
    await clock.advance(999);
    expect(third).toBe(false);
    await clock.advance(1);
    await p;
    expect(third).toBe(true);
  });

  it('gives up waiting when aborted', async () => {
    const clock = new ManualClock(0);
    const limiter = new RequestLimiter(clock, { maxRequests: 1, windowMs: 1_000 });
    await limiter.acquire();
    const controller = new AbortController();
    const p = limiter.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
  });
});
