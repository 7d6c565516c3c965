/**
 * The one risk gate every order source passes through. Pure: the same intent, snapshot and limits
 * always give the same decision, so replays and tests drive it unchanged. Every check runs, and
 * every refusal is reported in the fixed order of RISK_CODES, so a human sees all the reasons at once.
 */
import { ValidationError } from '../core/errors.ts';
import { bookDepth, bookExists, leaderDeviation, quoteFresh, slippage, spread } from './checks/book.ts';
import type { Check } from './checks/check.ts';
import { breakerClosed, dailyLoss, leaderCap, marketCap, totalCap, tradeCap } from './checks/exposure.ts';
import {
  leaderTradeMax,
  leaderTradeMin,
  marketAllowed,
  marketNotDenied,
  priceBand,
  sideAllowed,
  timeToResolution,
} from './checks/order.ts';
import type { Refusal, RiskDecision } from './decision.ts';
import type { RiskIntent, RiskSnapshot } from './intent.ts';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from './limits.ts';

/** In RISK_CODES order (a test holds the two together). */
export const CHECKS: readonly Check[] = [
  sideAllowed,
  leaderTradeMin,
  leaderTradeMax,
  priceBand,
  bookDepth,
  spread,
  timeToResolution,
  marketAllowed,
  marketNotDenied,
  tradeCap,
  marketCap,
  leaderCap,
  totalCap,
  dailyLoss,
  breakerClosed,
  quoteFresh,
  bookExists,
  leaderDeviation,
  slippage,
];

/**
 * Judges `intent` against `limits` given the world in `snapshot`. Throws ValidationError when the
 * snapshot describes another market than the intent: that is a caller bug, not a risk decision.
 */
export function evaluateRisk(
  intent: RiskIntent,
  snapshot: RiskSnapshot,
  limits: RiskLimits = DEFAULT_RISK_LIMITS,
): RiskDecision {
  if (intent.conditionId.toLowerCase() !== snapshot.market.conditionId.toLowerCase()) {
    throw new ValidationError('risk snapshot is for another market than the intent', {
      context: { intent: intent.conditionId, snapshot: snapshot.market.conditionId },
    });
  }
  const ctx = { intent, snapshot, limits };
  const refusals: Refusal[] = [];
  let checks = 0;
  for (const check of CHECKS) {
    const outcome = check.run(ctx);
    if (outcome === 'off') continue;
    checks++;
    if (outcome !== 'pass') refusals.push(outcome);
  }
  return refusals.length === 0 ? { allowed: true, checks } : { allowed: false, refusals };
}
