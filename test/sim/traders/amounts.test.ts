import { describe, expect, it } from 'vitest';
import { type Micro, type Price, type Shares, tickSize } from '../../../src/core/index.ts';
import type { BookLevels } from '../../../src/sim/engine/index.ts';
import { limitAmounts, marketAmounts, marketPrice, sweepSize } from '../../../src/sim/traders/index.ts';

const m = (n: number) => n as Micro;

describe('order amounts', () => {
  it('limit orders match the official client test vectors (reference 4.4)', () => {
    expect(limitAmounts('BUY', 500_000 as Price, 21_040_000 as Shares)).toEqual({
      makerAmount: 10_520_000,
      takerAmount: 21_040_000,
    });
    expect(limitAmounts('BUY', 560_000 as Price, 21_040_000 as Shares)).toEqual({
      makerAmount: 11_782_400,
      takerAmount: 21_040_000,
    });
    expect(limitAmounts('BUY', 56_000 as Price, 21_040_000 as Shares)).toEqual({
      makerAmount: 1_178_240,
      takerAmount: 21_040_000,
    });
    expect(limitAmounts('SELL', 560_000 as Price, 21_040_000 as Shares)).toEqual({
      makerAmount: 21_040_000,
      takerAmount: 11_782_400,
    });
    expect(() => limitAmounts('BUY', 500_000 as Price, 21_045_000 as Shares)).toThrow(/0.01 shares/);
  });

  it('market orders give 2 decimals and cut the other amount to the tick’s amount decimals', () => {
    // $10.567 -> $10.56 at 0.37 on a 0.01 tick: 28.5405405... shares -> 28.5405 (4 decimals).
    expect(marketAmounts('BUY', m(10_567_000), 370_000 as Price, tickSize(10_000))).toEqual({
      makerAmount: 10_560_000,
      takerAmount: 28_540_500,
    });
    // On a 0.001 tick, 5 decimals.
    expect(marketAmounts('BUY', m(10_560_000), 371_000 as Price, tickSize(1_000))).toEqual({
      makerAmount: 10_560_000,
      takerAmount: 28_463_610,
    });
    expect(marketAmounts('SELL', m(12_345_678), 333_000 as Price, tickSize(1_000))).toEqual({
      makerAmount: 12_340_000,
      takerAmount: 4_109_220,
    });
    expect(() => marketAmounts('BUY', m(9_999), 500_000 as Price, tickSize(10_000))).toThrow(/below 0.01/);
  });
});

describe('book walking', () => {
  // The token's view, best last: asks 0.53 (100), 0.52 (50), 0.51 (20); bids 0.47 (100), 0.48 (50), 0.49 (20).
  const book: BookLevels = {
    asks: [
      { price: 530_000 as Price, size: 100_000_000 as Shares },
      { price: 520_000 as Price, size: 50_000_000 as Shares },
      { price: 510_000 as Price, size: 20_000_000 as Shares },
    ],
    bids: [
      { price: 470_000 as Price, size: 100_000_000 as Shares },
      { price: 480_000 as Price, size: 50_000_000 as Shares },
      { price: 490_000 as Price, size: 20_000_000 as Shares },
    ],
  };

  it('prices a market order at the level that covers it, or the worst level if none does', () => {
    expect(marketPrice(book, 'BUY', m(10_200_000))).toEqual({ price: 510_000, covered: true });
    expect(marketPrice(book, 'BUY', m(10_300_000))).toEqual({ price: 520_000, covered: true });
    expect(marketPrice(book, 'SELL', m(70_000_000))).toEqual({ price: 480_000, covered: true });
    expect(marketPrice(book, 'SELL', m(500_000_000))).toEqual({ price: 470_000, covered: false });
    expect(marketPrice({ bids: [], asks: [] }, 'BUY', m(1))).toBeNull();
  });

  it('sizes a sweep of the best N levels', () => {
    // 20 x 0.51 + 50 x 0.52 = 36.20.
    expect(sweepSize(book, 'BUY', 2)).toEqual({ amount: 36_200_000, price: 520_000 });
    expect(sweepSize(book, 'SELL', 3)).toEqual({ amount: 170_000_000, price: 470_000 });
    expect(sweepSize(book, 'SELL', 9)).toEqual({ amount: 170_000_000, price: 470_000 });
  });
});
