/** A plain BUY of 100 shares at 0.50 into a healthy book, and helpers to bend one thing at a time. */
import { price, shares, usdc } from '../../src/core/money.ts';
import {
  CLOSED_BREAKER,
  evaluateRisk,
  type RiskCode,
  type RiskDecision,
  type RiskIntent,
  type RiskLimits,
  type RiskMarket,
  type RiskQuote,
  type RiskSnapshot,
} from '../../src/risk/index.ts';

export const NOW = 1_700_000_000_000;
export const CONDITION = '0xc0ffee';
export const OTHER_CONDITION = '0xdecade';
export const LEADER = '0x1111111111111111111111111111111111111111';

export const baseIntent: RiskIntent = {
  accountId: 1,
  leaderAddress: LEADER,
  conditionId: CONDITION,
  tokenId: '123',
  side: 'BUY',
  size: shares(100_000_000),
  limitPrice: price(500_000),
  notional: usdc(50_000_000),
  leaderPrice: price(500_000),
  leaderTradeUsdc: usdc(200_000_000),
};

export const baseQuote: RiskQuote = {
  bestBid: price(490_000),
  bestAsk: price(500_000),
  receivedAt: NOW - 100,
  depthUsdc: usdc(1_000_000_000),
  expectedAvgPrice: price(500_000),
};

export const baseSnapshot: RiskSnapshot = {
  now: NOW,
  market: { conditionId: CONDITION, slug: 'will-it-rain', endAt: NOW + 10 * 86_400_000 },
  quote: baseQuote,
  exposure: { marketUsdc: usdc(0), leaderUsdc: usdc(0), totalUsdc: usdc(0) },
  todayPnlUsdc: usdc(0),
  breaker: CLOSED_BREAKER,
};

/** One variation of the base case; `market.conditionId` moves the intent along with the snapshot. */
export interface Case {
  intent?: Partial<RiskIntent>;
  market?: Partial<RiskMarket>;
  quote?: Partial<RiskQuote> | null;
  snapshot?: Partial<Omit<RiskSnapshot, 'market' | 'quote'>>;
}

export function build(c: Case = {}): { intent: RiskIntent; snapshot: RiskSnapshot } {
  const market = { ...baseSnapshot.market, ...c.market };
  const intent = { ...baseIntent, conditionId: market.conditionId, ...c.intent };
  const quote = c.quote === null ? null : { ...baseQuote, ...c.quote };
  return { intent, snapshot: { ...baseSnapshot, ...c.snapshot, market, quote } };
}

export function evaluate(c: Case, limits: RiskLimits = {}): RiskDecision {
  const { intent, snapshot } = build(c);
  return evaluateRisk(intent, snapshot, limits);
}

export function codes(decision: RiskDecision): RiskCode[] {
  return decision.allowed ? [] : decision.refusals.map((r) => r.code);
}
