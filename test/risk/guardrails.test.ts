/**
 * One row per guardrail: the value exactly at the limit passes, one micro-unit (or ms) past it is
 * refused with that code alone, and with the limit unset the same value passes.
 */
import { describe, expect, it } from 'vitest';
import { price, usdc } from '../../src/core/money.ts';
import type { RiskCode, RiskLimits } from '../../src/risk/index.ts';
import { type Case, CONDITION, codes, evaluate, NOW, OTHER_CONDITION } from './support.ts';

interface Row {
  name: string;
  code: RiskCode;
  limits: RiskLimits;
  at: Case;
  past: Case;
  /** Limits under which the guardrail is off; `{}` unless the default switches it on. */
  off?: RiskLimits;
}

const M = 1_000_000;

const rows: Row[] = [
  {
    name: 'allowed sides',
    code: 'SIDE_NOT_ALLOWED',
    limits: { sides: ['BUY'] },
    at: { intent: { side: 'BUY' } },
    past: { intent: { side: 'SELL' } },
  },
  {
    name: 'minimum leader trade',
    code: 'LEADER_TRADE_TOO_SMALL',
    limits: { minLeaderTradeUsdc: usdc(10 * M) },
    at: { intent: { leaderTradeUsdc: usdc(10 * M) } },
    past: { intent: { leaderTradeUsdc: usdc(10 * M - 1) } },
  },
  {
    name: 'maximum leader trade',
    code: 'LEADER_TRADE_TOO_LARGE',
    limits: { maxLeaderTradeUsdc: usdc(1000 * M) },
    at: { intent: { leaderTradeUsdc: usdc(1000 * M) } },
    past: { intent: { leaderTradeUsdc: usdc(1000 * M + 1) } },
  },
  {
    name: 'price band floor',
    code: 'PRICE_OUT_OF_BAND',
    limits: { minPrice: price(50_000) },
    at: { intent: { limitPrice: price(50_000) } },
    past: { intent: { limitPrice: price(49_999) } },
  },
  {
    name: 'price band ceiling',
    code: 'PRICE_OUT_OF_BAND',
    limits: { maxPrice: price(950_000) },
    at: { intent: { limitPrice: price(950_000) } },
    past: { intent: { limitPrice: price(950_001) } },
  },
  {
    name: 'book depth',
    code: 'BOOK_TOO_THIN',
    limits: { minBookDepthUsdc: usdc(500 * M) },
    at: { quote: { depthUsdc: usdc(500 * M) } },
    past: { quote: { depthUsdc: usdc(500 * M - 1) } },
  },
  {
    // bid 0.495, ask 0.505: 0.01 over a mid of 0.5 is exactly 200 bps.
    name: 'spread',
    code: 'SPREAD_TOO_WIDE',
    limits: { maxSpreadBps: 200 },
    at: { quote: { bestBid: price(495_000), bestAsk: price(505_000), expectedAvgPrice: price(505_000) } },
    past: { quote: { bestBid: price(495_000), bestAsk: price(505_001), expectedAvgPrice: price(505_001) } },
  },
  {
    name: 'time to resolution',
    code: 'TOO_CLOSE_TO_RESOLUTION',
    limits: { minTimeToResolutionSec: 3600 },
    at: { market: { endAt: NOW + 3_600_000 } },
    past: { market: { endAt: NOW + 3_599_999 } },
  },
  {
    name: 'allow list',
    code: 'MARKET_NOT_ALLOWED',
    limits: { marketAllow: [CONDITION] },
    at: { market: { conditionId: CONDITION } },
    past: { market: { conditionId: OTHER_CONDITION, slug: null } },
  },
  {
    name: 'deny list',
    code: 'MARKET_DENIED',
    limits: { marketDeny: [OTHER_CONDITION] },
    at: { market: { conditionId: CONDITION } },
    past: { market: { conditionId: OTHER_CONDITION } },
  },
  {
    name: 'per-trade cap',
    code: 'TRADE_CAP',
    limits: { maxPerTradeUsdc: usdc(50 * M) },
    at: { intent: { notional: usdc(50 * M) } },
    past: { intent: { notional: usdc(50 * M + 1) } },
  },
  {
    name: 'per-market cap',
    code: 'MARKET_CAP',
    limits: { maxPerMarketUsdc: usdc(500 * M) },
    at: { snapshot: { exposure: { marketUsdc: usdc(450 * M), leaderUsdc: usdc(0), totalUsdc: usdc(0) } } },
    past: {
      snapshot: { exposure: { marketUsdc: usdc(450 * M + 1), leaderUsdc: usdc(0), totalUsdc: usdc(0) } },
    },
  },
  {
    name: 'per-leader cap',
    code: 'LEADER_CAP',
    limits: { maxPerLeaderUsdc: usdc(500 * M) },
    at: { snapshot: { exposure: { marketUsdc: usdc(0), leaderUsdc: usdc(450 * M), totalUsdc: usdc(0) } } },
    past: {
      snapshot: { exposure: { marketUsdc: usdc(0), leaderUsdc: usdc(450 * M + 1), totalUsdc: usdc(0) } },
    },
  },
  {
    name: 'total cap',
    code: 'TOTAL_CAP',
    limits: { maxTotalUsdc: usdc(500 * M) },
    at: { snapshot: { exposure: { marketUsdc: usdc(0), leaderUsdc: usdc(0), totalUsdc: usdc(450 * M) } } },
    past: {
      snapshot: { exposure: { marketUsdc: usdc(0), leaderUsdc: usdc(0), totalUsdc: usdc(450 * M + 1) } },
    },
  },
  {
    // The one limit where reaching it refuses: "once today's PnL <= -limit".
    name: 'daily loss limit',
    code: 'DAILY_LOSS_LIMIT',
    limits: { dailyLossLimitUsdc: usdc(100 * M) },
    at: { snapshot: { todayPnlUsdc: usdc(-100 * M + 1) } },
    past: { snapshot: { todayPnlUsdc: usdc(-100 * M) } },
  },
  {
    name: 'circuit breaker cooldown',
    code: 'BREAKER_OPEN',
    limits: { breakerFailures: 3, breakerCooldownMs: 60_000 },
    at: { snapshot: { breaker: { consecutiveFailures: 3, openedAt: NOW - 60_000 } } },
    past: { snapshot: { breaker: { consecutiveFailures: 3, openedAt: NOW - 59_999 } } },
  },
  {
    name: 'quote age (default 5 s)',
    code: 'QUOTE_STALE',
    limits: {},
    at: { quote: { receivedAt: NOW - 5000 } },
    past: { quote: { receivedAt: NOW - 5001 } },
    off: { maxQuoteAgeMs: null },
  },
  {
    name: 'quote age (explicit)',
    code: 'QUOTE_STALE',
    limits: { maxQuoteAgeMs: 1000 },
    at: { quote: { receivedAt: NOW - 1000 } },
    past: { quote: { receivedAt: NOW - 1001 } },
    off: { maxQuoteAgeMs: null },
  },
  {
    name: 'a book where one is needed',
    code: 'NO_BOOK',
    limits: { maxSlippageBps: 100 },
    at: {},
    past: { quote: null },
  },
  {
    // 0.505 against the leader's 0.50 is exactly 100 bps worse.
    name: 'deviation from the leader, BUY',
    code: 'PRICE_DEVIATION',
    limits: { maxDeviationBps: 100 },
    at: { quote: { expectedAvgPrice: price(505_000) } },
    past: { quote: { expectedAvgPrice: price(505_001) } },
  },
  {
    name: 'deviation from the leader, SELL',
    code: 'PRICE_DEVIATION',
    limits: { maxDeviationBps: 100 },
    at: { intent: { side: 'SELL' }, quote: { expectedAvgPrice: price(495_000) } },
    past: { intent: { side: 'SELL' }, quote: { expectedAvgPrice: price(494_999) } },
  },
  {
    name: 'slippage, BUY',
    code: 'SLIPPAGE',
    limits: { maxSlippageBps: 100 },
    at: { quote: { bestAsk: price(500_000), expectedAvgPrice: price(505_000) } },
    past: { quote: { bestAsk: price(500_000), expectedAvgPrice: price(505_001) } },
  },
  {
    name: 'slippage, SELL',
    code: 'SLIPPAGE',
    limits: { maxSlippageBps: 100 },
    at: { intent: { side: 'SELL' }, quote: { bestBid: price(500_000), expectedAvgPrice: price(495_000) } },
    past: { intent: { side: 'SELL' }, quote: { bestBid: price(500_000), expectedAvgPrice: price(494_999) } },
  },
];

describe.each(rows)('$name', (row) => {
  it('passes at the limit', () => {
    expect(evaluate(row.at, row.limits)).toEqual({ allowed: true, checks: expect.any(Number) });
  });

  it(`refuses one past it with ${row.code} alone`, () => {
    const decision = evaluate(row.past, row.limits);
    expect(codes(decision)).toEqual([row.code]);
  });

  it('is off when unset', () => {
    expect(evaluate(row.past, row.off ?? {}).allowed).toBe(true);
  });

  it('counts itself as a check only when switched on', () => {
    const on = evaluate(row.at, row.limits);
    const off = evaluate(row.at, row.off ?? {});
    expect(on.allowed && off.allowed && on.checks - off.checks).toBeGreaterThanOrEqual(1);
  });
});

describe('limits on what we buy into never trap a sell', () => {
  it.each([
    [
      'a price band',
      { minPrice: price(100_000), maxPrice: price(200_000) },
      { intent: { limitPrice: price(50_000) } },
    ],
    ['the time to resolution', { minTimeToResolutionSec: 3600 }, { market: { endAt: NOW + 1000 } }],
  ] as const)('%s refuses a buy but lets the same sell through', (_name, limits, c) => {
    expect(
      codes(evaluate({ ...c, intent: { ...('intent' in c ? c.intent : {}), side: 'BUY' } }, limits)),
    ).toHaveLength(1);
    expect(
      codes(evaluate({ ...c, intent: { ...('intent' in c ? c.intent : {}), side: 'SELL' } }, limits)),
    ).toEqual([]);
  });
});
