import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MICRO, type Price, type Shares, tickSize, type Usdc } from '../../../src/core/index.ts';
import { fairBounds, fundingPlan, quoteLadder, quoteNeeds } from '../../../src/sim/traders/index.ts';

const params = {
  levels: 3,
  halfSpread: 10_000 as Price,
  levelGap: 10_000 as Price,
  size: 50_000_000 as Shares,
  sizeStep: 25_000_000 as Shares,
};
const market = { yesTokenId: 'Y', tick: tickSize(10_000), minSize: 5_000_000 as Shares };

describe('quoteLadder', () => {
  it('quotes bids below and asks above the fair value, level by level, deeper levels larger', () => {
    expect(quoteLadder(500_000 as Price, market, params)).toEqual([
      { tokenId: 'Y', side: 'BUY', price: 490_000, size: 50_000_000 },
      { tokenId: 'Y', side: 'SELL', price: 510_000, size: 50_000_000 },
      { tokenId: 'Y', side: 'BUY', price: 480_000, size: 75_000_000 },
      { tokenId: 'Y', side: 'SELL', price: 520_000, size: 75_000_000 },
      { tokenId: 'Y', side: 'BUY', price: 470_000, size: 100_000_000 },
      { tokenId: 'Y', side: 'SELL', price: 530_000, size: 100_000_000 },
    ]);
  });

  it('leaves out levels beyond [tick, 1 - tick] and never quotes below the minimum size', () => {
    const ladder = quoteLadder(20_000 as Price, market, { ...params, size: 1_000_000 as Shares });
    expect(ladder.filter((q) => q.side === 'BUY').map((q) => q.price)).toEqual([10_000]);
    expect(ladder.filter((q) => q.side === 'SELL')).toHaveLength(3);
    expect(ladder.every((q) => q.size >= market.minSize)).toBe(true);
  });

  it('is two-sided, uncrossed, on tick and in whole 0.01 shares anywhere inside the fair bounds', () => {
    const ticks = [tickSize(10_000), tickSize(1_000), tickSize(100)];
    fc.assert(
      fc.property(
        fc.constantFrom(...ticks),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 50_000 }),
        fc.integer({ min: 5_000_000, max: 90_000_000 }),
        (tick, where, levels, spread, size) => {
          const { min, max } = fairBounds(tick, spread as Price);
          const fair = (min + Math.floor(((max - min) / tick) * where) * tick) as Price;
          const ladder = quoteLadder(
            fair,
            { yesTokenId: 'Y', tick, minSize: 5_000_000 as Shares },
            { ...params, levels, halfSpread: spread as Price, size: size as Shares },
          );
          const bids = ladder.filter((q) => q.side === 'BUY').map((q) => q.price);
          const asks = ladder.filter((q) => q.side === 'SELL').map((q) => q.price);
          expect(bids.length).toBeGreaterThan(0);
          expect(asks.length).toBeGreaterThan(0);
          expect(Math.max(...bids)).toBeLessThan(fair);
          expect(Math.min(...asks)).toBeGreaterThan(fair);
          for (const q of ladder) {
            expect(q.price % tick).toBe(0);
            expect(q.price).toBeGreaterThanOrEqual(tick);
            expect(q.price).toBeLessThanOrEqual(MICRO - tick);
            expect(q.size % 10_000).toBe(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('funding', () => {
  const ladder = quoteLadder(500_000 as Price, market, params);
  const need = quoteNeeds(ladder);
  const policy = { lowWaterPct: 150, refillPct: 300 };

  it('adds up what the quotes tie up: cost of the bids, shares of the asks', () => {
    // 50 x 0.49 + 75 x 0.48 + 100 x 0.47 and 50 + 75 + 100.
    expect(need).toEqual({ cash: 107_500_000, shares: 225_000_000 });
  });

  it('does nothing while both holdings are above the low-water mark', () => {
    const held = { cash: 200_000_000 as Usdc, shares: 400_000_000 as Shares };
    expect(fundingPlan(held, need, policy)).toEqual({ deposit: 0, split: 0 });
  });

  it('splits back up to the refill level and deposits what the split and the bids need', () => {
    const held = { cash: 0 as Usdc, shares: 10_000_000 as Shares };
    const plan = fundingPlan(held, need, policy);
    expect(plan.split).toBe(3 * 225_000_000 - 10_000_000);
    expect(held.cash + plan.deposit - plan.split).toBeGreaterThanOrEqual(3 * need.cash);
    expect(plan.deposit % 10_000).toBe(0);
  });

  it('always leaves enough for the quotes, whatever is held', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000_000), fc.nat(1_000_000_000), (cash, shares) => {
        const plan = fundingPlan({ cash: cash as Usdc, shares: shares as Shares }, need, policy);
        expect(shares + plan.split).toBeGreaterThanOrEqual(1.5 * need.shares);
        expect(cash + plan.deposit - plan.split).toBeGreaterThanOrEqual(1.5 * need.cash);
      }),
    );
  });
});
