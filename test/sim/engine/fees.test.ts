import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Micro, Price, Shares, Usdc } from '../../../src/core/index.ts';
import { maxFeeForBudget, maxFeeForShares, takerFee } from '../../../src/sim/engine/fees.ts';
import { m } from './helpers.ts';

/**
 * The 21 real V2 taker fills of samples/chain_order_filled_v2_taker_fees.json (NautilusTrader
 * fixture): side, shares (BUY takerAmountFilled, SELL makerAmountFilled), price, rate, fee.
 */
const REAL_FILLS: [string, number, string, string, number][] = [
  ['BUY', 7575758, '0.66', '0.05', 85000],
  ['BUY', 7042251, '0.71', '0.05', 72490],
  ['BUY', 21126758, '0.71', '0.05', 217490],
  ['BUY', 1219511, '0.82', '0.07', 12590],
  ['BUY', 2083334, '0.48', '0.07', 36400],
  ['BUY', 5952381, '0.84', '0', 0],
  ['SELL', 7570000, '0.65', '0.05', 86100],
  ['SELL', 7590000, '0.66', '0.05', 85150],
  ['SELL', 5000000, '0.31', '0.05', 53470],
  ['SELL', 5000000, '0.67', '0.05', 55270],
  ['SELL', 5000000, '0.27', '0.05', 49270],
  ['SELL', 7040000, '0.70', '0.05', 73920],
  ['SELL', 21130000, '0.70', '0.05', 221860],
  ['SELL', 5950000, '0.83', '0', 0],
  ['BUY', 8928572, '0.56', '0.05', 110000],
  ['SELL', 8920000, '0.55', '0.05', 110380],
  ['BUY', 5149310, '0.971', '0.07', 10140],
  ['SELL', 5140000, '0.965', '0.07', 12150],
  ['BUY', 9321429, '0.56', '0.05', 114840],
  ['SELL', 9330000, '0.55', '0.05', 115450],
  ['SELL', 8930000, '0.55', '0.05', 110500],
];

describe('takerFee', () => {
  it.each(REAL_FILLS)(
    'reproduces the real %s fill of %i shares at %s (rate %s): fee %i',
    (_s, size, p, rate, fee) => {
      expect(takerFee(size as Shares, m(p) as Price, m(rate) as Micro)).toBe(fee);
    },
  );

  it('truncates to 5 decimals (never rounds up)', () => {
    // 5 x 0.05 x 0.57 x 0.43 = 0.061275 -> 0.06127
    expect(takerFee(m('5') as Shares, m('0.57') as Price, m('0.05') as Micro)).toBe(61_270);
    // 1 x 0.05 x 0.5 x 0.5 = 0.0125 exactly
    expect(takerFee(m('1') as Shares, m('0.5') as Price, m('0.05') as Micro)).toBe(12_500);
    // 0.0001 share: 0.00000125 -> 0
    expect(takerFee(100 as Shares, m('0.5') as Price, m('0.05') as Micro)).toBe(0);
  });

  it('is symmetric in p and 1 - p, and zero for a zero rate or size', () => {
    expect(takerFee(m('10') as Shares, m('0.3') as Price, 70_000 as Micro)).toBe(
      takerFee(m('10') as Shares, m('0.7') as Price, 70_000 as Micro),
    );
    expect(takerFee(m('10') as Shares, m('0.3') as Price, 0 as Micro)).toBe(0);
    expect(takerFee(0 as Shares, m('0.3') as Price, 70_000 as Micro)).toBe(0);
  });

  it('stays exact for sizes whose products exceed 2^53', () => {
    // 9e9 shares x 0.1 x 0.25: 225,000,000 pUSD
    expect(takerFee(m('9000000000') as Shares, m('0.5') as Price, m('0.1') as Micro)).toBe(m('225000000'));
  });

  it('is always a multiple of 10 micro-units', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 1, max: 999_999 }), (size, p) => {
        expect(takerFee(size as Shares, p as Price, 70_000 as Micro) % 10).toBe(0);
      }),
    );
  });
});

describe('fee reservations bound the fees actually paid', () => {
  it('maxFeeForShares covers any split of the size over prices up to the limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99 }).map((c) => c * 10_000),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 100_000_000 }), fc.integer({ min: 1, max: 99 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (limit, parts, rate) => {
          let size = 0;
          let paid = 0;
          for (const [s, cents] of parts) {
            const p = Math.min(cents * 10_000, limit);
            size += s;
            paid += takerFee(s as Shares, p as Price, rate as Micro);
          }
          expect(paid).toBeLessThanOrEqual(maxFeeForShares(size as Shares, limit as Price, rate as Micro));
        },
      ),
    );
  });

  it('maxFeeForBudget covers fees on any spend of the budget', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 99 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (parts, rate) => {
          let spent = 0;
          let paid = 0;
          for (const [hundredths, cents] of parts) {
            const shares = hundredths * 10_000;
            spent += (shares * cents) / 100;
            paid += takerFee(shares as Shares, (cents * 10_000) as Price, rate as Micro);
          }
          expect(paid).toBeLessThanOrEqual(maxFeeForBudget(spent as Usdc, rate as Micro));
        },
      ),
    );
  });
});
