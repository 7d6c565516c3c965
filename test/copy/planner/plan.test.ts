import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CopyPlan,
  type FollowConfig,
  type PlanInput,
  type PlannedOrder,
  planCopy,
  SKIP_REASONS,
} from '../../../src/copy/planner/index.ts';
import { type Price, SHARE_LOT, type Shares, type Usdc } from '../../../src/core/money.ts';
import { tickSize } from '../../../src/core/tick.ts';
import { $, px, sh } from './helpers.ts';

const NOW = 1_800_000_000_000;
const LEADER = '0x00000000000000000000000000000000000000aa';
const YES = '1001';
const NO = '1002';

const follow: FollowConfig = {
  id: 7,
  accountId: 1,
  leaderAddress: LEADER,
  enabled: true,
  paused: false,
  direction: 'copy',
  sizing: { mode: 'leader_pct', pctBps: 1_000 },
  minTradeUsdc: null,
  maxTradeUsdc: null,
  fullCloseOnLeaderExit: true,
  slippageBps: 200,
};

function input(over: {
  trade?: Partial<PlanInput['trade']>;
  config?: Partial<FollowConfig>;
  market?: Partial<PlanInput['market']>;
  rest?: Partial<Omit<PlanInput, 'trade' | 'config' | 'market'>>;
}): PlanInput {
  return {
    trade: {
      key: 'trade-1',
      leaderAddress: LEADER,
      conditionId: '0xc0',
      tokenId: YES,
      side: 'BUY',
      price: px('0.5'),
      size: sh('100'),
      usdcSize: $('50'),
      tradeAt: NOW - 2_000,
      isBackfill: false,
      preTradeShares: sh('0'),
      ...over.trade,
    },
    config: { ...follow, ...over.config },
    market: {
      conditionId: '0xc0',
      tokens: [
        { tokenId: YES, outcome: 'Yes' },
        { tokenId: NO, outcome: 'No' },
      ],
      tickSize: tickSize(10_000),
      minOrderSize: sh('5'),
      closed: false,
      acceptingOrders: true,
      ...over.market,
    },
    ownShares: sh('0'),
    ownBalanceUsdc: $('1000'),
    leaderPortfolioUsdc: $('10000'),
    quote: null,
    catchUpSettings: {
      maxLiveLagSec: 30,
      catchUpBuyMaxAgeSec: 120,
      catchUpBuyRequireBetterPrice: true,
      catchUpBuyMaxWorseBps: 50,
    },
    now: NOW,
    ...over.rest,
  };
}

function order(plan: CopyPlan): PlannedOrder {
  if (plan.kind !== 'order') throw new Error(`expected an order, got ${plan.reason}: ${plan.detail}`);
  return plan;
}

describe('planCopy: live copies', () => {
  it('a BUY: 10% of $50 at the leader price + 2%, shares floored to the lot', () => {
    const o = order(planCopy(input({})));
    // $5 / 0.51 = 9.8039 -> 9.80 shares; 9.80 x 0.51 = $4.998.
    expect(o).toMatchObject({
      tokenId: YES,
      side: 'BUY',
      size: sh('9.8'),
      limitPrice: px('0.51'),
      notionalUsdc: $('4.998'),
      catchUp: false,
    });
    expect(o.reason).toBe(
      "copy of the leader's BUY at 0.5: 10% of the leader's $50.00 = $5.00; 9.8 shares at limit 0.51 (slippage allowance)",
    );
  });

  it('a SELL: the 100/30/50 case, limit the leader price - 2% ceiled to the tick', () => {
    const o = order(
      planCopy(
        input({
          trade: {
            side: 'SELL',
            price: px('0.6'),
            size: sh('50'),
            usdcSize: $('30'),
            preTradeShares: sh('100'),
          },
          rest: { ownShares: sh('30') },
        }),
      ),
    );
    // 0.6 x 0.98 = 0.588 -> 0.59.
    expect(o).toMatchObject({
      tokenId: YES,
      side: 'SELL',
      size: sh('15'),
      limitPrice: px('0.59'),
      notionalUsdc: $('8.85'),
    });
  });

  it('a buy near 1 is held to 1 - tick', () => {
    const o = order(planCopy(input({ trade: { price: px('0.99') } })));
    expect(o.limitPrice).toBe(px('0.99'));
  });
});

describe('planCopy: counter direction', () => {
  const counter = { direction: 'counter' as const };

  it('a leader BUY of YES at 0.30 is our BUY of NO, limit from 0.70', () => {
    const o = order(planCopy(input({ config: counter, trade: { price: px('0.3'), usdcSize: $('50') } })));
    // 0.70 x 1.02 = 0.714 -> 0.71; $5 / 0.71 = 7.042 -> 7.04.
    expect(o).toMatchObject({ tokenId: NO, side: 'BUY', limitPrice: px('0.71'), size: sh('7.04') });
    expect(o.reason).toContain("counter of the leader's BUY at 0.3");
  });

  it('works whichever position the leader token has in the market', () => {
    const o = order(planCopy(input({ config: counter, trade: { tokenId: NO, price: px('0.3') } })));
    expect(o.tokenId).toBe(YES);
  });

  it('a leader SELL of YES is our proportional SELL of the NO we hold', () => {
    const o = order(
      planCopy(
        input({
          config: counter,
          trade: { side: 'SELL', price: px('0.4'), size: sh('50'), preTradeShares: sh('100') },
          rest: { ownShares: sh('30') },
        }),
      ),
    );
    // NO at 1 - 0.4 = 0.6; 0.6 x 0.98 = 0.588 -> 0.59.
    expect(o).toMatchObject({ tokenId: NO, side: 'SELL', size: sh('15'), limitPrice: px('0.59') });
  });

  it('a counter buy of a leader buying at 1 has no valid price', () => {
    const plan = planCopy(input({ config: counter, trade: { price: px('1') } }));
    expect(plan).toMatchObject({ kind: 'skip', reason: 'PRICE_OUT_OF_RANGE' });
  });
});

describe('planCopy: catch-up', () => {
  const late = (ageSec: number) => NOW - ageSec * 1000;

  it('a catch-up BUY within the price rule orders at the allowed worst price', () => {
    const o = order(
      planCopy(
        input({
          trade: { tradeAt: late(60), price: px('0.6') },
          rest: { quote: { bestBid: px('0.59'), bestAsk: px('0.6') } },
        }),
      ),
    );
    // 0.6 + 50 bps = 0.603 -> 0.60 (not the live 2% allowance).
    expect(o).toMatchObject({ catchUp: true, limitPrice: px('0.6'), size: sh('8.33') });
    expect(o.reason).toContain('(catch-up, worst price allowed)');
  });

  it('a catch-up BUY too old is skipped', () => {
    const plan = planCopy(
      input({ trade: { tradeAt: late(121) }, rest: { quote: { bestBid: null, bestAsk: px('0.5') } } }),
    );
    expect(plan).toMatchObject({ kind: 'skip', reason: 'CATCH_UP_TOO_OLD' });
  });

  it('a catch-up BUY at a worse price is skipped; without a quote too', () => {
    const worse = planCopy(
      input({ trade: { tradeAt: late(60) }, rest: { quote: { bestBid: null, bestAsk: px('0.51') } } }),
    );
    expect(worse).toMatchObject({ kind: 'skip', reason: 'CATCH_UP_PRICE_WORSE' });
    expect(planCopy(input({ trade: { tradeAt: late(60) } }))).toMatchObject({ reason: 'NO_QUOTE' });
  });

  it('a counter catch-up BUY compares the ask of the other token with 1 - p', () => {
    const config = { direction: 'counter' as const };
    const ok = planCopy(
      input({
        config,
        trade: { tradeAt: late(60), price: px('0.3') },
        rest: { quote: { bestBid: null, bestAsk: px('0.7') } },
      }),
    );
    expect(order(ok)).toMatchObject({ tokenId: NO, limitPrice: px('0.7'), catchUp: true });
    const worse = planCopy(
      input({
        config,
        trade: { tradeAt: late(60), price: px('0.3') },
        rest: { quote: { bestBid: null, bestAsk: px('0.71') } },
      }),
    );
    expect(worse).toMatchObject({ reason: 'CATCH_UP_PRICE_WORSE' });
  });

  it('without the price rule a catch-up BUY uses the live allowance', () => {
    const plan = planCopy(
      input({
        trade: { tradeAt: late(60) },
        rest: {
          catchUpSettings: {
            maxLiveLagSec: 30,
            catchUpBuyMaxAgeSec: 120,
            catchUpBuyRequireBetterPrice: false,
            catchUpBuyMaxWorseBps: 50,
          },
        },
      }),
    );
    expect(order(plan)).toMatchObject({ limitPrice: px('0.51'), catchUp: true });
  });

  it('a catch-up SELL always goes ahead, its limit from the lower of the leader price and the bid', () => {
    const sell = {
      side: 'SELL' as const,
      tradeAt: late(86_400),
      price: px('0.6'),
      size: sh('50'),
      preTradeShares: sh('100'),
    };
    const o = order(
      planCopy(
        input({
          trade: sell,
          rest: { ownShares: sh('30'), quote: { bestBid: px('0.4'), bestAsk: px('0.42') } },
        }),
      ),
    );
    // 0.4 x 0.98 = 0.392, but the allowance is at least one tick: 0.39.
    expect(o).toMatchObject({ side: 'SELL', size: sh('15'), limitPrice: px('0.39'), catchUp: true });
    const noQuote = order(planCopy(input({ trade: sell, rest: { ownShares: sh('30') } })));
    expect(noQuote).toMatchObject({ limitPrice: px('0.59'), catchUp: true });
  });

  it('a backfilled trade never orders, BUY or SELL', () => {
    for (const side of ['BUY', 'SELL'] as const) {
      const plan = planCopy(
        input({ trade: { side, isBackfill: true, tradeAt: NOW }, rest: { ownShares: sh('30') } }),
      );
      expect(plan).toMatchObject({ kind: 'skip', reason: 'BACKFILL' });
    }
  });
});

describe('planCopy: skips', () => {
  it.each<[string, Parameters<typeof input>[0], string]>([
    ['disabled', { config: { enabled: false } }, 'DISABLED'],
    ['paused', { config: { paused: true } }, 'PAUSED'],
    [
      'another leader',
      { trade: { leaderAddress: '0x00000000000000000000000000000000000000bb' } },
      'LEADER_MISMATCH',
    ],
    ['closed market', { market: { closed: true } }, 'MARKET_CLOSED'],
    ['not accepting orders', { market: { acceptingOrders: false } }, 'MARKET_CLOSED'],
    ['token of another market', { trade: { tokenId: '999' } }, 'TOKEN_NOT_IN_MARKET'],
    ['condition of another market', { trade: { conditionId: '0xc1' } }, 'TOKEN_NOT_IN_MARKET'],
    ['not binary', { market: { tokens: [{ tokenId: YES, outcome: 'Yes' }] } }, 'TOKEN_NOT_IN_MARKET'],
    ['below the minimum trade', { config: { minTradeUsdc: $('10') } }, 'BELOW_MIN_TRADE'],
    ['no cash', { rest: { ownBalanceUsdc: $('0') } }, 'INSUFFICIENT_BALANCE'],
    [
      'no leader value',
      { config: { sizing: { mode: 'balance_ratio' } }, rest: { leaderPortfolioUsdc: null } },
      'NO_LEADER_VALUE',
    ],
    ['a buy below the market minimum size', { market: { minOrderSize: sh('10') } }, 'BELOW_MIN_SIZE'],
    ['a sell with nothing held', { trade: { side: 'SELL', preTradeShares: sh('100') } }, 'NOTHING_HELD'],
    [
      'a sell below the market minimum size',
      { trade: { side: 'SELL', size: sh('10'), preTradeShares: sh('100') }, rest: { ownShares: sh('30') } },
      'BELOW_MIN_SIZE',
    ],
  ])('%s', (_name, over, reason) => {
    const plan = planCopy(input(over));
    expect(plan).toMatchObject({ kind: 'skip', reason });
    if (plan.kind === 'skip') {
      expect(SKIP_REASONS).toContain(plan.reason);
      expect(plan.detail.length).toBeGreaterThan(10);
    }
  });

  it('the detail is a sentence with the numbers', () => {
    const plan = planCopy(input({ market: { minOrderSize: sh('10') } }));
    if (plan.kind !== 'skip') throw new Error('expected a skip');
    expect(plan.detail).toBe("$5.00 at 0.51 buys 9.8 shares, below the market's minimum of 10");
    expect(plan.numbers).toMatchObject({ budgetUsdc: $('5'), limitPrice: px('0.51'), size: sh('9.8') });
  });
});

describe('planCopy properties', () => {
  const tick = fc.constantFrom(...[1_000, 10_000].map(tickSize));
  const amount = fc.integer({ min: 0, max: 10 ** 12 });
  const arb = fc.record({
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    direction: fc.constantFrom('copy' as const, 'counter' as const),
    price: fc.integer({ min: 0, max: 1_000_000 }),
    size: amount,
    usdcSize: amount,
    pre: fc.option(amount, { nil: null }),
    ownShares: amount,
    balance: amount,
    max: fc.option(fc.integer({ min: 1, max: 10 ** 12 }), { nil: null }),
    pctBps: fc.integer({ min: 1, max: 1_000_000 }),
    slippageBps: fc.integer({ min: 0, max: 5_000 }),
    ageMs: fc.integer({ min: 0, max: 300_000 }),
    ask: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }),
    bid: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }),
    tick,
    minOrderSize: fc.integer({ min: 0, max: 20_000_000 }),
  });

  type Case = typeof arb extends fc.Arbitrary<infer T> ? T : never;
  const build = (r: Case): PlanInput =>
    input({
      trade: {
        side: r.side,
        price: r.price as Price,
        size: r.size as Shares,
        usdcSize: r.usdcSize as Usdc,
        preTradeShares: r.pre as Shares | null,
        tradeAt: NOW - r.ageMs,
      },
      config: {
        direction: r.direction,
        maxTradeUsdc: r.max as Usdc | null,
        slippageBps: r.slippageBps,
        sizing: { mode: 'leader_pct', pctBps: r.pctBps },
      },
      market: { tickSize: r.tick, minOrderSize: r.minOrderSize as Shares },
      rest: {
        ownShares: r.ownShares as Shares,
        ownBalanceUsdc: r.balance as Usdc,
        quote: { bestBid: r.bid as Price | null, bestAsk: r.ask as Price | null },
      },
    });

  it('every order is whole lots above the minimum, on tick, within cash, cap and holdings', () => {
    const seen = { BUY: 0, SELL: 0 };
    fc.assert(
      fc.property(arb, (r) => {
        const plan = planCopy(build(r));
        for (const v of Object.values(plan.numbers)) {
          if (typeof v === 'number') expect(Number.isSafeInteger(v)).toBe(true);
        }
        if (plan.kind === 'skip') return;
        seen[plan.side]++;
        expect(Number.isSafeInteger(plan.size)).toBe(true);
        expect(plan.size % SHARE_LOT).toBe(0);
        expect(plan.size).toBeGreaterThan(0);
        expect(plan.size).toBeGreaterThanOrEqual(r.minOrderSize);
        expect(plan.limitPrice % r.tick).toBe(0);
        expect(plan.limitPrice).toBeGreaterThanOrEqual(r.tick);
        expect(plan.limitPrice).toBeLessThanOrEqual(1_000_000 - r.tick);
        expect(Number.isSafeInteger(plan.notionalUsdc)).toBe(true);
        if (plan.side === 'BUY') {
          expect(plan.notionalUsdc).toBeLessThanOrEqual(r.balance);
          if (r.max !== null) expect(plan.notionalUsdc).toBeLessThanOrEqual(r.max);
        } else {
          expect(plan.size).toBeLessThanOrEqual(r.ownShares);
        }
      }),
      { numRuns: 1_000 },
    );
    // The generator must reach orders of both sides, or the checks above prove nothing.
    expect(seen.BUY).toBeGreaterThan(50);
    expect(seen.SELL).toBeGreaterThan(50);
  });

  it('is deterministic: the same input gives the same plan', () => {
    fc.assert(
      fc.property(arb, (r) => {
        expect(planCopy(build(r))).toEqual(planCopy(build(r)));
      }),
      { numRuns: 50 },
    );
  });
});
