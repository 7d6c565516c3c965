import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BuySizingConfig,
  type BuySizingContext,
  type Sizing,
  type SizingTier,
  sizeBuy,
  tierMultiplier,
} from '../../../src/copy/planner/index.ts';
import type { Usdc } from '../../../src/core/money.ts';
import { $ } from './helpers.ts';

const config = (sizing: Sizing, min: string | null = null, max: string | null = null): BuySizingConfig => ({
  sizing,
  minTradeUsdc: min === null ? null : $(min),
  maxTradeUsdc: max === null ? null : $(max),
});
const ctx = (leader: string, balance: string, portfolio: string | null = null): BuySizingContext => ({
  leaderTradeUsdc: $(leader),
  ownBalanceUsdc: $(balance),
  leaderPortfolioUsdc: portfolio === null ? null : $(portfolio),
});
const tiers: SizingTier[] = [
  { minLeaderUsdc: $('0'), multiplierBps: 10_000 },
  { minLeaderUsdc: $('100'), multiplierBps: 20_000 },
  { minLeaderUsdc: $('1000'), multiplierBps: 5_000 },
];

describe('sizeBuy: each mode', () => {
  it.each<[string, Sizing, BuySizingContext, string]>([
    ['fixed_usd', { mode: 'fixed_usd', amountUsdc: $('25') }, ctx('100', '1000'), '25'],
    ['leader_pct 10%', { mode: 'leader_pct', pctBps: 1_000 }, ctx('52', '1000'), '5.2'],
    ['leader_pct 150%', { mode: 'leader_pct', pctBps: 15_000 }, ctx('10', '1000'), '15'],
    ['leader_pct floors', { mode: 'leader_pct', pctBps: 3_333 }, ctx('1', '1000'), '0.3333'],
    ['leader_pct floors micro', { mode: 'leader_pct', pctBps: 1 }, ctx('1.23', '1000'), '0.000123'],
    ['balance_pct 5%', { mode: 'balance_pct', pctBps: 500 }, ctx('1', '200'), '10'],
    ['balance_ratio', { mode: 'balance_ratio' }, ctx('500', '1000', '10000'), '50'],
    ['balance_ratio floors', { mode: 'balance_ratio' }, ctx('1', '1', '3'), '0.333333'],
  ])('%s', (_name, sizing, context, usdc) => {
    expect(sizeBuy(config(sizing), context)).toMatchObject({ kind: 'size', usdc: $(usdc) });
  });

  it('balance_ratio needs the leader portfolio value', () => {
    const r = sizeBuy(config({ mode: 'balance_ratio' }), ctx('500', '1000'));
    expect(r).toMatchObject({ kind: 'skip', reason: 'NO_LEADER_VALUE' });
    expect(sizeBuy(config({ mode: 'balance_ratio' }), ctx('500', '1000', '0'))).toMatchObject({
      reason: 'NO_LEADER_VALUE',
    });
  });

  it('balance_ratio against a tiny reported portfolio value is cut to our balance, not an overflow', () => {
    const r = sizeBuy(config({ mode: 'balance_ratio' }), {
      leaderTradeUsdc: $('9000000000'),
      ownBalanceUsdc: $('9000000000'),
      leaderPortfolioUsdc: 1 as Usdc,
    });
    expect(r).toMatchObject({ kind: 'size', usdc: $('9000000000') });
  });

  it('a size that floors to nothing is ZERO_SIZE', () => {
    const r = sizeBuy(config({ mode: 'leader_pct', pctBps: 1_250 }), ctx('0.000007', '10'));
    expect(r).toMatchObject({ kind: 'skip', reason: 'ZERO_SIZE' });
  });
});

describe('tiers', () => {
  it.each([
    ['50', 10_000],
    ['100', 20_000],
    ['999.999999', 20_000],
    ['1000', 5_000],
    ['1000000', 5_000],
  ])('a leader trade of $%s gets multiplier %i bps', (leader, bps) => {
    expect(tierMultiplier(tiers, $(leader))).toBe(bps);
    // The same answer from tiers in any order (hand-built configs skip the schema's ordering).
    expect(tierMultiplier([...tiers].reverse(), $(leader))).toBe(bps);
  });

  it('is 1x below every tier and without tiers', () => {
    expect(tierMultiplier([{ minLeaderUsdc: $('100'), multiplierBps: 30_000 }], $('99'))).toBe(10_000);
    expect(tierMultiplier(undefined, $('99'))).toBe(10_000);
  });

  it('multiplies the base amount, flooring once', () => {
    const sizing: Sizing = { mode: 'fixed_usd', amountUsdc: $('10'), tiers };
    expect(sizeBuy(config(sizing), ctx('150', '1000'))).toMatchObject({
      usdc: $('20'),
      multiplierBps: 20_000,
    });
    expect(sizeBuy(config(sizing), ctx('5000', '1000'))).toMatchObject({ usdc: $('5') });
    const odd: Sizing = {
      mode: 'leader_pct',
      pctBps: 3_333,
      tiers: [{ minLeaderUsdc: $('0'), multiplierBps: 3 }],
    };
    // 1 x 33.33% x 0.03% = 0.00009999 -> 0.000099 (one floor; two would also give 0.000099 here).
    expect(sizeBuy(config(odd), ctx('1', '1000'))).toMatchObject({ usdc: 99 });
  });

  it('a 0x tier skips the trades in its band', () => {
    const sizing: Sizing = {
      mode: 'fixed_usd',
      amountUsdc: $('10'),
      tiers: [
        { minLeaderUsdc: $('0'), multiplierBps: 0 },
        { minLeaderUsdc: $('100'), multiplierBps: 10_000 },
      ],
    };
    expect(sizeBuy(config(sizing), ctx('99', '1000'))).toMatchObject({ kind: 'skip', reason: 'ZERO_SIZE' });
    expect(sizeBuy(config(sizing), ctx('100', '1000'))).toMatchObject({ kind: 'size', usdc: $('10') });
  });
});

describe('min, max and balance', () => {
  const pct10: Sizing = { mode: 'leader_pct', pctBps: 1_000 };

  it('below the minimum is skipped, with the numbers in the sentence', () => {
    const r = sizeBuy(config(pct10, '1'), ctx('4', '1000'));
    expect(r).toMatchObject({ kind: 'skip', reason: 'BELOW_MIN_TRADE' });
    if (r.kind === 'skip') {
      expect(r.detail).toBe("10% of the leader's $4.00 = $0.40, below the minimum trade of $1.00");
      expect(r.numbers).toMatchObject({ desiredUsdc: $('0.4'), minTradeUsdc: $('1') });
    }
  });

  it('exactly the minimum goes ahead', () => {
    expect(sizeBuy(config(pct10, '1'), ctx('10', '1000'))).toMatchObject({ kind: 'size', usdc: $('1') });
  });

  it('above the maximum is cut to it', () => {
    const r = sizeBuy(config(pct10, null, '20'), ctx('500', '1000'));
    expect(r).toMatchObject({ kind: 'size', usdc: $('20') });
    if (r.kind === 'size') expect(r.note).toContain('capped at the maximum $20.00');
  });

  it('never more than our cash', () => {
    expect(sizeBuy(config(pct10), ctx('500', '30'))).toMatchObject({ kind: 'size', usdc: $('30') });
    expect(sizeBuy(config(pct10), ctx('500', '0'))).toMatchObject({ reason: 'INSUFFICIENT_BALANCE' });
    expect(sizeBuy(config(pct10), ctx('500', '-5'))).toMatchObject({ reason: 'INSUFFICIENT_BALANCE' });
  });

  it('cash left below the minimum trade is INSUFFICIENT_BALANCE, not a dust order', () => {
    const r = sizeBuy(config(pct10, '1'), ctx('500', '0.5'));
    expect(r).toMatchObject({ kind: 'skip', reason: 'INSUFFICIENT_BALANCE' });
    if (r.kind === 'skip') expect(r.detail).toContain('we have only $0.50 (minimum trade $1.00)');
  });

  it('balance_pct with no cash says so rather than ZERO_SIZE', () => {
    const r = sizeBuy(config({ mode: 'balance_pct', pctBps: 500 }), ctx('10', '0'));
    expect(r).toMatchObject({ kind: 'skip', reason: 'INSUFFICIENT_BALANCE' });
  });
});

describe('sizeBuy properties', () => {
  const usdcArb = fc.integer({ min: 0, max: 10 ** 13 }).map((n) => n as Usdc);
  const tiersArb = fc.option(
    fc.array(
      fc.record({
        minLeaderUsdc: usdcArb,
        multiplierBps: fc.integer({ min: 0, max: 1_000_000 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    { nil: undefined },
  );
  const sizingArb: fc.Arbitrary<Sizing> = fc.oneof(
    fc.record({
      mode: fc.constant('fixed_usd' as const),
      amountUsdc: usdcArb.filter((n) => n > 0),
      tiers: tiersArb,
    }),
    fc.record({
      mode: fc.constant('leader_pct' as const),
      pctBps: fc.integer({ min: 1, max: 1_000_000 }),
      tiers: tiersArb,
    }),
    fc.record({
      mode: fc.constant('balance_pct' as const),
      pctBps: fc.integer({ min: 1, max: 10_000 }),
      tiers: tiersArb,
    }),
    fc.record({ mode: fc.constant('balance_ratio' as const), tiers: tiersArb }),
  );

  it('a buy is a safe positive integer, never above the balance or the maximum, never below the minimum', () => {
    let sized = 0;
    fc.assert(
      fc.property(
        sizingArb,
        fc.option(usdcArb, { nil: null }),
        fc.option(
          usdcArb.filter((n) => n > 0),
          { nil: null },
        ),
        usdcArb,
        usdcArb,
        fc.option(usdcArb, { nil: null }),
        (sizing, min, max, leader, balance, portfolio) => {
          const r = sizeBuy(
            { sizing, minTradeUsdc: min, maxTradeUsdc: max },
            { leaderTradeUsdc: leader, ownBalanceUsdc: balance, leaderPortfolioUsdc: portfolio },
          );
          if (r.kind === 'skip') return;
          sized++;
          expect(Number.isSafeInteger(r.usdc)).toBe(true);
          expect(r.usdc).toBeGreaterThan(0);
          expect(r.usdc).toBeLessThanOrEqual(balance);
          if (max !== null) expect(r.usdc).toBeLessThanOrEqual(max);
          if (min !== null) expect(r.usdc).toBeGreaterThanOrEqual(min);
        },
      ),
      { numRuns: 500 },
    );
    expect(sized).toBeGreaterThan(50);
  });
});
