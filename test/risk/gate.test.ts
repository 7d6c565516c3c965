import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.ts';
import { price, usdc } from '../../src/core/money.ts';
import { CHECKS } from '../../src/risk/gate.ts';
import {
  DEFAULT_RISK_LIMITS,
  evaluateRisk,
  type Refusal,
  RISK_CODES,
  type RiskDecision,
  type RiskLimits,
} from '../../src/risk/index.ts';
import { build, CONDITION, codes, evaluate, NOW, OTHER_CONDITION } from './support.ts';

const M = 1_000_000;

function refusals(decision: RiskDecision): readonly Refusal[] {
  if (decision.allowed) throw new Error('expected a refusal');
  return decision.refusals;
}

function only(decision: RiskDecision): Refusal {
  const list = refusals(decision);
  expect(list).toHaveLength(1);
  return list[0]!;
}

describe('evaluateRisk', () => {
  it('runs its checks in RISK_CODES order, one check per code', () => {
    expect(CHECKS.map((c) => c.code)).toEqual([...RISK_CODES]);
  });

  it('allows a healthy order under the defaults, with the quote age as the one check', () => {
    const { intent, snapshot } = build();
    expect(evaluateRisk(intent, snapshot)).toEqual({ allowed: true, checks: 1 });
    expect(evaluateRisk(intent, snapshot, DEFAULT_RISK_LIMITS)).toEqual({ allowed: true, checks: 1 });
  });

  it('reports every refusal, in the fixed order', () => {
    const limits: RiskLimits = {
      sides: ['SELL'],
      maxPrice: price(400_000),
      maxPerTradeUsdc: usdc(10 * M),
      dailyLossLimitUsdc: usdc(5 * M),
      maxSlippageBps: 10,
    };
    const decision = evaluate(
      {
        snapshot: { todayPnlUsdc: usdc(-6 * M) },
        quote: { receivedAt: NOW - 60_000, expectedAvgPrice: price(520_000) },
      },
      limits,
    );
    expect(codes(decision)).toEqual([
      'SIDE_NOT_ALLOWED',
      'PRICE_OUT_OF_BAND',
      'TRADE_CAP',
      'DAILY_LOSS_LIMIT',
      'QUOTE_STALE',
      'SLIPPAGE',
    ]);
  });

  it('says why with the exact numbers and the limit', () => {
    const decision = evaluate(
      {
        intent: { notional: usdc(50 * M) },
        snapshot: {
          exposure: { marketUsdc: usdc(450 * M + 1), leaderUsdc: usdc(0), totalUsdc: usdc(450 * M + 1) },
        },
      },
      { maxPerMarketUsdc: usdc(500 * M) },
    );
    expect(only(decision)).toEqual({
      code: 'MARKET_CAP',
      message:
        "Exposure in this market of $450.000001 plus this order's $50.00 makes $500.000001, above the $500.00 per-market cap.",
      numbers: {
        exposureUsdc: 450_000_001,
        notionalUsdc: 50_000_000,
        afterUsdc: 500_000_001,
        maxPerMarketUsdc: 500_000_000,
      },
    });
  });

  it('states spreads, deviations and staleness in the units people read', () => {
    const spread = only(
      evaluate({ quote: { bestBid: price(450_000), bestAsk: price(550_000) } }, { maxSpreadBps: 500 }),
    );
    expect(spread.message).toBe(
      'The spread of 0.10 (bid 0.45, ask 0.55) is 2000 bps of the mid, above the 500 bps limit.',
    );
    expect(spread.numbers).toEqual({
      bestBid: 450_000,
      bestAsk: 550_000,
      spreadBps: 2000,
      maxSpreadBps: 500,
    });

    const deviation = only(
      evaluate({ quote: { expectedAvgPrice: price(520_000) } }, { maxDeviationBps: 100 }),
    );
    expect(deviation.message).toBe(
      "Our expected average price 0.52 is 400 bps worse than the leader's 0.50, above the 100 bps limit.",
    );

    const stale = only(evaluate({ quote: { receivedAt: NOW - 6_200 } }));
    expect(stale.message).toBe('The quote is 6.2 s old, older than the 5 s limit.');
    expect(stale.numbers).toEqual({ receivedAt: NOW - 6_200, now: NOW, ageMs: 6_200, maxQuoteAgeMs: 5_000 });

    const loss = only(
      evaluate({ snapshot: { todayPnlUsdc: usdc(-120 * M) } }, { dailyLossLimitUsdc: usdc(100 * M) }),
    );
    expect(loss.message).toBe(
      "Today's PnL of -$120.00 has reached the $100.00 daily loss limit; only sells are allowed.",
    );
  });

  it('rounds basis points up, so a hair over the limit shows as over it', () => {
    // 0.505001 vs 0.50 is 100.002 bps: shown as 101.
    const r = only(evaluate({ quote: { expectedAvgPrice: price(505_001) } }, { maxDeviationBps: 100 }));
    expect(r.numbers.deviationBps).toBe(101);
  });

  it('throws when the snapshot is for another market', () => {
    const { intent, snapshot } = build();
    const other = { ...snapshot, market: { ...snapshot.market, conditionId: OTHER_CONDITION } };
    expect(() => evaluateRisk(intent, other)).toThrow(ValidationError);
  });

  it('does not touch its inputs', () => {
    const { intent, snapshot } = build({ quote: { receivedAt: NOW - 10_000 } });
    const frozen = structuredClone({ intent, snapshot });
    const limits: RiskLimits = Object.freeze({
      maxPerTradeUsdc: usdc(1),
      marketAllow: Object.freeze([CONDITION]),
    });
    evaluateRisk(Object.freeze(intent), Object.freeze(snapshot), limits);
    expect({ intent, snapshot }).toEqual(frozen);
  });
});

describe('sides and leaders', () => {
  it('an empty side list allows nothing', () => {
    expect(codes(evaluate({ intent: { side: 'SELL' } }, { sides: [] }))).toEqual(['SIDE_NOT_ALLOWED']);
    expect(codes(evaluate({}, { sides: [] }))).toEqual(['SIDE_NOT_ALLOWED']);
  });

  it('leader trade bounds and the leader cap are off for orders that copy no one', () => {
    const limits: RiskLimits = {
      minLeaderTradeUsdc: usdc(1000 * M),
      maxPerLeaderUsdc: usdc(1),
      maxDeviationBps: 0,
    };
    const decision = evaluate(
      {
        intent: { leaderAddress: null, leaderTradeUsdc: null, leaderPrice: null },
        snapshot: { exposure: { marketUsdc: usdc(0), leaderUsdc: usdc(1000 * M), totalUsdc: usdc(0) } },
      },
      limits,
    );
    expect(decision).toEqual({ allowed: true, checks: 1 });
  });
});

describe('sells', () => {
  const limits: RiskLimits = {
    maxPerTradeUsdc: usdc(1),
    maxPerMarketUsdc: usdc(1),
    maxPerLeaderUsdc: usdc(1),
    maxTotalUsdc: usdc(1),
    dailyLossLimitUsdc: usdc(1),
  };
  const heavy = {
    exposure: { marketUsdc: usdc(900 * M), leaderUsdc: usdc(900 * M), totalUsdc: usdc(900 * M) },
    todayPnlUsdc: usdc(-500 * M),
  };

  it('are never refused by exposure caps or the daily loss limit', () => {
    expect(evaluate({ intent: { side: 'SELL' }, snapshot: heavy }, limits).allowed).toBe(true);
  });

  it('while the same buy trips all five', () => {
    expect(codes(evaluate({ snapshot: heavy }, limits))).toEqual([
      'TRADE_CAP',
      'MARKET_CAP',
      'LEADER_CAP',
      'TOTAL_CAP',
      'DAILY_LOSS_LIMIT',
    ]);
  });
});

describe('markets', () => {
  it('matches lists by slug as well as condition id, ignoring case', () => {
    expect(evaluate({}, { marketAllow: ['Will-It-Rain'] }).allowed).toBe(true);
    expect(evaluate({}, { marketAllow: [CONDITION.toUpperCase().replace('0X', '0x')] }).allowed).toBe(true);
    expect(codes(evaluate({}, { marketDeny: ['will-it-rain'] }))).toEqual(['MARKET_DENIED']);
  });

  it('an empty allow list allows nothing, and deny wins over allow', () => {
    expect(codes(evaluate({}, { marketAllow: [] }))).toEqual(['MARKET_NOT_ALLOWED']);
    expect(codes(evaluate({}, { marketAllow: [CONDITION], marketDeny: [CONDITION] }))).toEqual([
      'MARKET_DENIED',
    ]);
  });

  it('names the market by id and slug', () => {
    expect(only(evaluate({}, { marketDeny: [CONDITION] })).message).toBe(
      `Market ${CONDITION} (will-it-rain) is on the deny list.`,
    );
  });

  it('time to resolution is off when the end is unknown, and says when a market already ended', () => {
    expect(evaluate({ market: { endAt: null } }, { minTimeToResolutionSec: 3600 }).allowed).toBe(true);
    const ended = only(evaluate({ market: { endAt: NOW - 12_000 } }, { minTimeToResolutionSec: 0 }));
    expect(ended.message).toBe('The market ended 12 s ago, less than the 0 s minimum time to resolution.');
    expect(ended.numbers.remainingMs).toBe(-12_000);
  });
});

describe('the book', () => {
  it('with no book and no limit that needs one, the order may go (the paper broker uses the leader price)', () => {
    expect(evaluate({ quote: null }, { maxDeviationBps: 0, minPrice: price(1) })).toEqual({
      allowed: true,
      checks: 2,
    });
  });

  it('refuses NO_BOOK once, naming every limit that needs the book', () => {
    const decision = evaluate(
      { quote: null },
      { minBookDepthUsdc: usdc(1), maxSpreadBps: 1, maxSlippageBps: 1 },
    );
    expect(only(decision)).toEqual({
      code: 'NO_BOOK',
      message:
        'There is no order book for this token, and minBookDepthUsdc, maxSpreadBps, maxSlippageBps need one.',
      numbers: { limits: 'minBookDepthUsdc,maxSpreadBps,maxSlippageBps' },
    });
  });

  it('a stale quote is refused and still judged on depth, so every reason shows', () => {
    const decision = evaluate(
      { quote: { receivedAt: NOW - 10_000, depthUsdc: usdc(0) } },
      { minBookDepthUsdc: usdc(1) },
    );
    expect(codes(decision)).toEqual(['BOOK_TOO_THIN', 'QUOTE_STALE']);
  });

  it('a quote from the future (clock skew) is not stale', () => {
    expect(evaluate({ quote: { receivedAt: NOW + 1_000 } }).allowed).toBe(true);
  });

  it('a one-sided book has an unbounded spread', () => {
    const r = only(evaluate({ quote: { bestBid: null } }, { maxSpreadBps: 10_000 }));
    expect(r.code).toBe('SPREAD_TOO_WIDE');
    expect(r.numbers.spreadBps).toBeNull();
    expect(r.message).toBe(
      'The book is one-sided (bid none, ask 0.50), so its spread is unbounded, above the 10000 bps limit.',
    );
  });

  it('a locked or crossed book has no spread to refuse', () => {
    const limits = { maxSpreadBps: 0 };
    expect(evaluate({ quote: { bestBid: price(500_000), bestAsk: price(500_000) } }, limits).allowed).toBe(
      true,
    );
    expect(evaluate({ quote: { bestBid: price(510_000), bestAsk: price(500_000) } }, limits).allowed).toBe(
      true,
    );
  });

  it('slippage with nothing on our side of the book is unbounded', () => {
    const r = only(evaluate({ quote: { bestAsk: null, expectedAvgPrice: null } }, { maxSlippageBps: 500 }));
    expect(r.code).toBe('SLIPPAGE');
    expect(r.numbers.slippageBps).toBeNull();
    // A sell only needs bids.
    expect(
      evaluate(
        { intent: { side: 'SELL' }, quote: { bestAsk: null, bestBid: price(500_000) } },
        { maxSlippageBps: 0 },
      ).allowed,
    ).toBe(true);
  });

  it('a better price than the leader or the touch is never a deviation or slippage', () => {
    const limits = { maxDeviationBps: 0, maxSlippageBps: 0 };
    expect(
      evaluate({ quote: { expectedAvgPrice: price(450_000), bestAsk: price(450_000) } }, limits).allowed,
    ).toBe(true);
    expect(
      evaluate(
        { intent: { side: 'SELL' }, quote: { expectedAvgPrice: price(550_000), bestBid: price(550_000) } },
        limits,
      ).allowed,
    ).toBe(true);
  });
});

describe('when the book cannot fill our size', () => {
  it('the limit price bounds the average for deviation and slippage', () => {
    const limits = { maxDeviationBps: 100, maxSlippageBps: 100 };
    const c = { intent: { limitPrice: price(520_000) }, quote: { expectedAvgPrice: null } };
    const decision = evaluate(c, limits);
    expect(codes(decision)).toEqual(['PRICE_DEVIATION', 'SLIPPAGE']);
    expect(refusals(decision)[0]!.numbers).toMatchObject({
      expectedPrice: 520_000,
      basis: 'limit',
      deviationBps: 400,
    });
    expect(refusals(decision)[0]!.message).toBe(
      "Our limit price 0.52 is 400 bps worse than the leader's 0.50, above the 100 bps limit.",
    );
    // A limit within the deviation lets it through.
    expect(evaluate({ ...c, intent: { limitPrice: price(505_000) } }, limits).allowed).toBe(true);
  });

  it('and with no book at all, deviation is still judged on the limit price', () => {
    expect(
      codes(evaluate({ quote: null, intent: { limitPrice: price(510_000) } }, { maxDeviationBps: 100 })),
    ).toEqual(['PRICE_DEVIATION']);
  });

  it('a zero leader price: any buy above it is an unbounded deviation', () => {
    const r = only(evaluate({ intent: { leaderPrice: price(0) } }, { maxDeviationBps: 10_000 }));
    expect(r.numbers.deviationBps).toBeNull();
    expect(r.message).toBe(
      "Our expected average price 0.50 is worse than the leader's 0.00, unbounded in bps, above the 10000 bps limit.",
    );
  });
});
