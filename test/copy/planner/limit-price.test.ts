import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buyLimitPrice,
  lowerByBps,
  lowerBySlippage,
  raiseByBps,
  raiseBySlippage,
  sellLimitPrice,
} from '../../../src/copy/planner/index.ts';
import type { Price } from '../../../src/core/money.ts';
import { type TickSize, tickSize } from '../../../src/core/tick.ts';
import { px } from './helpers.ts';

const cent = tickSize(10_000);

describe('bps adjustments', () => {
  it('are basis points of the price, rounded toward caution', () => {
    expect(raiseByBps(px('0.5'), 200)).toBe(px('0.51'));
    expect(lowerByBps(px('0.5'), 200)).toBe(px('0.49'));
    expect(raiseByBps(px('0.333333'), 1)).toBe(333_366); // 333366.6333 floored
    expect(lowerByBps(px('0.333333'), 1)).toBe(333_300); // 333299.6667 ceiled
    expect(lowerByBps(px('0.5'), 20_000)).toBe(0);
  });
});

describe('buyLimitPrice', () => {
  // Worst prices in micro-units: a raised price may pass 1.
  it.each<[number, number | null]>([
    [519_000, 510_000],
    [510_000, 510_000],
    [1_020_000, 990_000],
    [19_900, 10_000],
    [9_900, null],
    [0, null],
  ])('%i -> %s', (worst, limit) => {
    expect(buyLimitPrice(worst, cent)).toBe(limit);
  });
});

describe('sellLimitPrice', () => {
  it.each([
    ['0.481', '0.49'],
    ['0.49', '0.49'],
    ['0', '0.01'],
    ['0.995', '0.99'],
  ])('%s -> %s', (worst, limit) => {
    expect(sellLimitPrice(px(worst), cent)).toBe(px(limit));
  });
});

it('limits are always on tick and within [tick, 1 - tick]', () => {
  const ticks = [100, 1_000, 5_000, 10_000, 100_000].map(tickSize);
  fc.assert(
    fc.property(
      fc.constantFrom(...ticks),
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.integer({ min: 0, max: 10_000 }),
      (tick, p, bps) => {
        const buy = buyLimitPrice(raiseByBps(p as Price, bps), tick);
        const sell = sellLimitPrice(lowerByBps(p as Price, bps), tick);
        for (const limit of buy === null ? [sell] : [buy, sell]) {
          expect(limit % tick).toBe(0);
          expect(limit).toBeGreaterThanOrEqual(tick);
          expect(limit).toBeLessThanOrEqual(1_000_000 - tick);
        }
        // A buy limit never exceeds the allowance; a sell's never undercuts it unless the venue's floor does.
        if (buy !== null) expect(buy).toBeLessThanOrEqual(raiseByBps(p as Price, bps));
        if (sell > tick)
          expect(sell).toBeGreaterThanOrEqual(Math.min(lowerByBps(p as Price, bps), 1_000_000 - tick));
      },
    ),
  );
});

describe('the slippage allowance is at least one tick', () => {
  const tick = 10_000 as TickSize;
  it('raises 0.26 by 200 bps (0.0052, under a tick) to 0.27, and 0.50 by 400 bps to 0.52', () => {
    expect(buyLimitPrice(raiseBySlippage(px('0.26'), 200, tick), tick)).toBe(px('0.27'));
    expect(buyLimitPrice(raiseBySlippage(px('0.5'), 400, tick), tick)).toBe(px('0.52'));
  });
  it('lowers a sell by at least a tick, and no allowance means none', () => {
    expect(sellLimitPrice(lowerBySlippage(px('0.26'), 200, tick), tick)).toBe(px('0.25'));
    expect(raiseBySlippage(px('0.26'), 0, tick)).toBe(px('0.26'));
    expect(lowerBySlippage(px('0.26'), 0, tick)).toBe(px('0.26'));
  });
});
