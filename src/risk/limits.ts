/**
 * Risk limits. Every limit is off when unset, except the quote age, which defaults to 5 s: acting
 * on an old book is never what anyone meant. Amounts are micro-units; bps limits are whole basis
 * points (the exactness argument in bps.ts needs integers).
 */
import { ConfigError } from '../core/errors.ts';
import { MICRO, type Price, type Usdc } from '../core/money.ts';
import { ORDER_SIDES, type OrderSide } from './intent.ts';

export const DEFAULT_MAX_QUOTE_AGE_MS = 5_000;

export interface RiskLimits {
  /** Sides allowed at all; an empty list allows none. */
  readonly sides?: readonly OrderSide[];
  /** Bounds on the leader's trade size (ignored for intents without a leader trade). */
  readonly minLeaderTradeUsdc?: Usdc;
  readonly maxLeaderTradeUsdc?: Usdc;
  /** Band for the order's limit price, inclusive. */
  readonly minPrice?: Price;
  readonly maxPrice?: Price;
  /** Liquidity on the side we take within our limit price. Needs a book. */
  readonly minBookDepthUsdc?: Usdc;
  /** Spread relative to the mid. Needs a book. */
  readonly maxSpreadBps?: number;
  /** Refuse when the market ends sooner than this (ignored when the end is unknown). */
  readonly minTimeToResolutionSec?: number;
  /** Condition ids or market slugs. An empty allow list allows none; deny wins over allow. */
  readonly marketAllow?: readonly string[];
  readonly marketDeny?: readonly string[];
  /** Exposure caps, BUYs only: current exposure + this order's notional must stay within. */
  readonly maxPerTradeUsdc?: Usdc;
  readonly maxPerMarketUsdc?: Usdc;
  readonly maxPerLeaderUsdc?: Usdc;
  readonly maxTotalUsdc?: Usdc;
  /** BUYs stop once today's PnL <= -limit; sells go on so positions can still be closed. */
  readonly dailyLossLimitUsdc?: Usdc;
  /** Open after this many consecutive failures... */
  readonly breakerFailures?: number;
  /** ...for this long, then half-open. Unset with breakerFailures set: open until reset. */
  readonly breakerCooldownMs?: number;
  /** Oldest usable quote. Unset means DEFAULT_MAX_QUOTE_AGE_MS; null switches the check off. */
  readonly maxQuoteAgeMs?: number | null;
  /** Our expected average price vs the leader's, in the worse direction only. */
  readonly maxDeviationBps?: number;
  /** Our expected average price vs the best price on our side, in the worse direction. Needs a book. */
  readonly maxSlippageBps?: number;
}

export const DEFAULT_RISK_LIMITS: RiskLimits = Object.freeze({ maxQuoteAgeMs: DEFAULT_MAX_QUOTE_AGE_MS });

/** The quote age limit in force, or null when switched off. */
export function quoteAgeLimit(limits: RiskLimits): number | null {
  return limits.maxQuoteAgeMs === undefined ? DEFAULT_MAX_QUOTE_AGE_MS : limits.maxQuoteAgeMs;
}

/** Every problem with `limits`, one sentence each; empty when they are usable. */
export function riskLimitIssues(limits: RiskLimits): string[] {
  const issues: string[] = [];
  const count = (name: keyof RiskLimits, value: number | null | undefined, min: number, max?: number) => {
    if (value === undefined || value === null) return;
    if (!Number.isSafeInteger(value) || value < min || (max !== undefined && value > max)) {
      const range = max === undefined ? `>= ${min}` : `in ${min}..${max}`;
      issues.push(`${name} must be an integer ${range}, got ${value}`);
    }
  };
  for (const name of [
    'minLeaderTradeUsdc',
    'maxLeaderTradeUsdc',
    'minBookDepthUsdc',
    'maxPerTradeUsdc',
    'maxPerMarketUsdc',
    'maxPerLeaderUsdc',
    'maxTotalUsdc',
    'maxSpreadBps',
    'maxDeviationBps',
    'maxSlippageBps',
    'maxQuoteAgeMs',
  ] as const) {
    count(name, limits[name], 0);
  }
  count('minPrice', limits.minPrice, 0, MICRO);
  count('maxPrice', limits.maxPrice, 0, MICRO);
  // A zero loss limit would refuse every buy from the first moment of the day.
  count('dailyLossLimitUsdc', limits.dailyLossLimitUsdc, 1);
  count('breakerFailures', limits.breakerFailures, 1);
  // With no cooldown the breaker would be half-open the moment it opens and never hold anything.
  count('breakerCooldownMs', limits.breakerCooldownMs, 1);
  // Seconds become ms in the check; keep that product a safe integer.
  count(
    'minTimeToResolutionSec',
    limits.minTimeToResolutionSec,
    0,
    Math.floor(Number.MAX_SAFE_INTEGER / 1000),
  );
  ordered(issues, 'minPrice', limits.minPrice, 'maxPrice', limits.maxPrice);
  ordered(
    issues,
    'minLeaderTradeUsdc',
    limits.minLeaderTradeUsdc,
    'maxLeaderTradeUsdc',
    limits.maxLeaderTradeUsdc,
  );
  if (limits.breakerCooldownMs !== undefined && limits.breakerFailures === undefined) {
    issues.push('breakerCooldownMs has no effect without breakerFailures');
  }
  for (const side of limits.sides ?? []) {
    if (!ORDER_SIDES.includes(side)) issues.push(`sides may hold only BUY and SELL, got ${String(side)}`);
  }
  for (const name of ['marketAllow', 'marketDeny'] as const) {
    for (const id of limits[name] ?? []) {
      if (typeof id !== 'string' || id === '') issues.push(`${name} entries must be non-empty strings`);
    }
  }
  return issues;
}

/** Throws ConfigError listing every issue; call once where limits are loaded, not per order. */
export function assertRiskLimits(limits: RiskLimits): RiskLimits {
  const issues = riskLimitIssues(limits);
  if (issues.length > 0) {
    throw new ConfigError(`invalid risk limits: ${issues.join('; ')}`, { context: { issues } });
  }
  return limits;
}

function ordered(
  issues: string[],
  minName: string,
  min: number | undefined,
  maxName: string,
  max: number | undefined,
) {
  if (min !== undefined && max !== undefined && min > max) {
    issues.push(`${minName} (${min}) is above ${maxName} (${max}): nothing could pass`);
  }
}
