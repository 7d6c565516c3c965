/** Invariants of the gate over arbitrary intents, snapshots and limits. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MICRO, type Price, type Usdc } from '../../src/core/money.ts';
import {
  BPS,
  breakerStatus,
  evaluateRisk,
  ORDER_SIDES,
  quoteAgeLimit,
  RISK_CODES,
  type RiskCode,
  type RiskIntent,
  type RiskLimits,
  type RiskSnapshot,
} from '../../src/risk/index.ts';
import { CONDITION, codes, LEADER, NOW, OTHER_CONDITION } from './support.ts';

const RUNS = { numRuns: 1_000 };
const BIG_USDC = 10_000 * MICRO;
const MARKET_NAMES = [CONDITION, OTHER_CONDITION, 'will-it-rain', 'other-slug'];

const priceArb = fc.integer({ min: 0, max: MICRO }).map((n) => n as Price);
const usdcArb = fc.integer({ min: 0, max: BIG_USDC }).map((n) => n as Usdc);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const intentArb: fc.Arbitrary<RiskIntent> = fc.record({
  accountId: fc.constant(1),
  leaderAddress: maybe(fc.constant(LEADER)),
  conditionId: fc.constantFrom(CONDITION, OTHER_CONDITION),
  tokenId: fc.constant('123'),
  side: fc.constantFrom(...ORDER_SIDES),
  size: fc.integer({ min: 0, max: BIG_USDC }).map((n) => n as RiskIntent['size']),
  limitPrice: priceArb,
  notional: usdcArb,
  leaderPrice: maybe(priceArb),
  leaderTradeUsdc: maybe(usdcArb),
});

function snapshotArb(conditionId: string): fc.Arbitrary<RiskSnapshot> {
  return fc.record({
    now: fc.constant(NOW),
    market: fc.record({
      conditionId: fc.constant(conditionId),
      slug: maybe(fc.constantFrom('will-it-rain', 'other-slug')),
      endAt: maybe(fc.integer({ min: NOW - 10_000_000, max: NOW + 100_000_000 })),
    }),
    quote: maybe(
      fc.record({
        bestBid: maybe(priceArb),
        bestAsk: maybe(priceArb),
        receivedAt: fc.integer({ min: NOW - 20_000, max: NOW + 1_000 }),
        depthUsdc: usdcArb,
        expectedAvgPrice: maybe(priceArb),
      }),
    ),
    exposure: fc.record({ marketUsdc: usdcArb, leaderUsdc: usdcArb, totalUsdc: usdcArb }),
    todayPnlUsdc: fc.integer({ min: -BIG_USDC, max: BIG_USDC }).map((n) => n as Usdc),
    breaker: fc.record({
      consecutiveFailures: fc.integer({ min: 0, max: 8 }),
      openedAt: maybe(fc.integer({ min: NOW - 200_000, max: NOW })),
    }),
  });
}

const limitsArb: fc.Arbitrary<RiskLimits> = fc.record(
  {
    sides: fc.subarray([...ORDER_SIDES]),
    minLeaderTradeUsdc: usdcArb,
    maxLeaderTradeUsdc: usdcArb,
    minPrice: priceArb,
    maxPrice: priceArb,
    minBookDepthUsdc: usdcArb,
    maxSpreadBps: fc.integer({ min: 0, max: 20_000 }),
    minTimeToResolutionSec: fc.integer({ min: 0, max: 100_000 }),
    marketAllow: fc.subarray(MARKET_NAMES),
    marketDeny: fc.subarray(MARKET_NAMES),
    maxPerTradeUsdc: usdcArb,
    maxPerMarketUsdc: usdcArb,
    maxPerLeaderUsdc: usdcArb,
    maxTotalUsdc: usdcArb,
    dailyLossLimitUsdc: fc.integer({ min: 1, max: BIG_USDC }).map((n) => n as Usdc),
    breakerFailures: fc.integer({ min: 1, max: 5 }),
    breakerCooldownMs: fc.integer({ min: 1, max: 200_000 }),
    maxQuoteAgeMs: maybe(fc.integer({ min: 0, max: 20_000 })),
    maxDeviationBps: fc.integer({ min: 0, max: 20_000 }),
    maxSlippageBps: fc.integer({ min: 0, max: 20_000 }),
  },
  { requiredKeys: [] },
);

const caseArb = intentArb.chain((intent) =>
  fc.record({ intent: fc.constant(intent), snapshot: snapshotArb(intent.conditionId), limits: limitsArb }),
);

/** Per limit: leave it, switch it off, or move it by `by` in the looser direction. */
const loosenArb = fc.record({
  how: fc.array(fc.constantFrom('keep', 'drop', 'shift'), { minLength: 20, maxLength: 20 }),
  by: fc.integer({ min: 0, max: BIG_USDC }),
});

type Loosen = { how: string[]; by: number };

function loosen(limits: RiskLimits, { how, by }: Loosen): RiskLimits {
  const out: Record<string, unknown> = { ...limits };
  let i = 0;
  const step = (name: keyof RiskLimits, shift: (v: number) => number) => {
    const action = how[i++];
    const value = limits[name];
    if (action === 'drop') delete out[name];
    else if (action === 'shift' && typeof value === 'number') out[name] = shift(value);
  };
  const up = (v: number) => v + by;
  const down = (v: number) => Math.max(0, v - by);
  step('maxLeaderTradeUsdc', up);
  step('minLeaderTradeUsdc', down);
  step('maxPrice', (v) => Math.min(MICRO, v + by));
  step('minPrice', down);
  step('minBookDepthUsdc', down);
  step('maxSpreadBps', up);
  step('minTimeToResolutionSec', down);
  step('maxPerTradeUsdc', up);
  step('maxPerMarketUsdc', up);
  step('maxPerLeaderUsdc', up);
  step('maxTotalUsdc', up);
  step('dailyLossLimitUsdc', up);
  step('maxDeviationBps', up);
  step('maxSlippageBps', up);
  step('breakerFailures', (v) => v); // its value only switches the breaker on; dropping switches it off
  // Sets: allow more sides and markets, deny fewer markets.
  if (how[i++] !== 'keep' && limits.sides !== undefined) out.sides = [...ORDER_SIDES];
  if (how[i++] !== 'keep' && limits.marketAllow !== undefined) out.marketAllow = MARKET_NAMES;
  if (how[i++] !== 'keep' && limits.marketDeny !== undefined) out.marketDeny = limits.marketDeny.slice(1);
  // No cooldown latches the breaker, the strictest setting: looser is any shorter cooldown.
  if (how[i++] !== 'keep') {
    const c = limits.breakerCooldownMs;
    out.breakerCooldownMs = c === undefined ? 1 + (by % 200_000) : Math.max(1, c - by);
  }
  // The quote age is on by default: looser is longer, or off (null).
  if (how[i++] !== 'keep') {
    const age = quoteAgeLimit(limits);
    out.maxQuoteAgeMs = age === null || how[i - 1] === 'drop' ? null : age + by;
  }
  return out as RiskLimits;
}

const BUY_ONLY: readonly RiskCode[] = [
  'TRADE_CAP',
  'MARKET_CAP',
  'LEADER_CAP',
  'TOTAL_CAP',
  'DAILY_LOSS_LIMIT',
];

describe('gate invariants', () => {
  it('allowed iff no refusals; refusals are unique, in RISK_CODES order, with usable numbers', () => {
    fc.assert(
      fc.property(caseArb, ({ intent, snapshot, limits }) => {
        const d = evaluateRisk(intent, snapshot, limits);
        if (d.allowed) {
          expect(Number.isSafeInteger(d.checks) && d.checks >= 0 && d.checks <= RISK_CODES.length).toBe(true);
          return;
        }
        expect(d.refusals.length).toBeGreaterThan(0);
        const order = d.refusals.map((r) => RISK_CODES.indexOf(r.code));
        expect(order).toEqual([...order].sort((a, b) => a - b));
        expect(new Set(order).size).toBe(order.length);
        for (const r of d.refusals) {
          expect(r.message).toMatch(/^[A-Z].*\.$/);
          for (const v of Object.values(r.numbers)) {
            expect(v === null || typeof v === 'string' || Number.isSafeInteger(v)).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(caseArb, ({ intent, snapshot, limits }) => {
        expect(evaluateRisk(intent, snapshot, limits)).toEqual(evaluateRisk(intent, snapshot, limits));
      }),
      { numRuns: 200 },
    );
  });

  it('a SELL is never refused by exposure caps or the daily loss limit', () => {
    fc.assert(
      fc.property(caseArb, ({ intent, snapshot, limits }) => {
        const found = codes(evaluateRisk({ ...intent, side: 'SELL' }, snapshot, limits));
        expect(found.filter((c) => BUY_ONLY.includes(c))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('loosening any limit never adds a refusal (so raising a cap never refuses an allowed intent)', () => {
    fc.assert(
      fc.property(caseArb, loosenArb, ({ intent, snapshot, limits }, change) => {
        const strict = codes(evaluateRisk(intent, snapshot, limits));
        const loose = codes(evaluateRisk(intent, snapshot, loosen(limits, change)));
        expect(loose.filter((c) => !strict.includes(c))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('with no book, only NO_BOOK speaks for the book limits, and only when one is set', () => {
    fc.assert(
      fc.property(caseArb, ({ intent, snapshot, limits }) => {
        const found = codes(evaluateRisk(intent, { ...snapshot, quote: null }, limits));
        for (const c of ['BOOK_TOO_THIN', 'SPREAD_TOO_WIDE', 'SLIPPAGE', 'QUOTE_STALE'] as const) {
          expect(found).not.toContain(c);
        }
        const needsBook =
          limits.minBookDepthUsdc !== undefined ||
          limits.maxSpreadBps !== undefined ||
          limits.maxSlippageBps !== undefined;
        expect(found.includes('NO_BOOK')).toBe(needsBook);
      }),
      RUNS,
    );
  });

  it('numeric guardrails agree with a bigint reference', () => {
    fc.assert(
      fc.property(caseArb, ({ intent, snapshot, limits }) => {
        const found = new Set(codes(evaluateRisk(intent, snapshot, limits)));
        const expected = new Set(reference(intent, snapshot, limits));
        for (const c of NUMERIC) expect([c, found.has(c)]).toEqual([c, expected.has(c)]);
      }),
      RUNS,
    );
  });
});

const NUMERIC: readonly RiskCode[] = [
  'SPREAD_TOO_WIDE',
  'TRADE_CAP',
  'MARKET_CAP',
  'LEADER_CAP',
  'TOTAL_CAP',
  'DAILY_LOSS_LIMIT',
  'BREAKER_OPEN',
  'QUOTE_STALE',
  'PRICE_DEVIATION',
  'SLIPPAGE',
];

/** An independent statement of the numeric rules: cross-multiplied, in bigint, no rounding at all. */
function reference(intent: RiskIntent, s: RiskSnapshot, l: RiskLimits): RiskCode[] {
  const out: RiskCode[] = [];
  const B = BigInt;
  const buy = intent.side === 'BUY';
  const q = s.quote;
  // "worse by more than L bps of base": excess / base > L / 10000.
  const over = (excess: number, base: number, limit: number) => B(excess) * B(BPS) > B(limit) * B(base);
  if (l.maxSpreadBps !== undefined && q !== null) {
    if (q.bestBid === null || q.bestAsk === null) out.push('SPREAD_TOO_WIDE');
    else if (over(2 * (q.bestAsk - q.bestBid), q.bestAsk + q.bestBid, l.maxSpreadBps))
      out.push('SPREAD_TOO_WIDE');
  }
  if (buy) {
    const n = intent.notional;
    if (l.maxPerTradeUsdc !== undefined && n > l.maxPerTradeUsdc) out.push('TRADE_CAP');
    if (l.maxPerMarketUsdc !== undefined && s.exposure.marketUsdc + n > l.maxPerMarketUsdc)
      out.push('MARKET_CAP');
    if (
      l.maxPerLeaderUsdc !== undefined &&
      intent.leaderAddress !== null &&
      s.exposure.leaderUsdc + n > l.maxPerLeaderUsdc
    )
      out.push('LEADER_CAP');
    if (l.maxTotalUsdc !== undefined && s.exposure.totalUsdc + n > l.maxTotalUsdc) out.push('TOTAL_CAP');
    if (l.dailyLossLimitUsdc !== undefined && s.todayPnlUsdc <= -l.dailyLossLimitUsdc)
      out.push('DAILY_LOSS_LIMIT');
  }
  if (l.breakerFailures !== undefined && breakerStatus(s.breaker, s.now, l) === 'open')
    out.push('BREAKER_OPEN');
  const age = quoteAgeLimit(l);
  if (age !== null && q !== null && s.now - q.receivedAt > age) out.push('QUOTE_STALE');
  const ours = q?.expectedAvgPrice ?? intent.limitPrice;
  const worse = (ref: number) => (buy ? ours - ref : ref - ours);
  if (l.maxDeviationBps !== undefined && intent.leaderPrice !== null) {
    if (over(worse(intent.leaderPrice), intent.leaderPrice, l.maxDeviationBps)) out.push('PRICE_DEVIATION');
  }
  if (l.maxSlippageBps !== undefined && q !== null) {
    const best = buy ? q.bestAsk : q.bestBid;
    if (best === null || over(worse(best), best, l.maxSlippageBps)) out.push('SLIPPAGE');
  }
  return out;
}
