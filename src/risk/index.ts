/** The public face of risk: one pure gate for every order source, and its circuit breaker. */
export { BPS, type BpsCheck, checkBps } from './bps.ts';
export {
  type BreakerLimits,
  type BreakerOutcome,
  type BreakerState,
  type BreakerStatus,
  breakerReopensAt,
  breakerStatus,
  CLOSED_BREAKER,
  recordAttempt,
  recordOutcome,
} from './breaker.ts';
export { isRiskCode, RISK_CODES, type RiskCode } from './codes.ts';
export type { Refusal, RefusalNumbers, RiskDecision } from './decision.ts';
export { evaluateRisk } from './gate.ts';
export {
  ORDER_SIDES,
  type OrderSide,
  type RiskExposure,
  type RiskIntent,
  type RiskMarket,
  type RiskQuote,
  type RiskSnapshot,
} from './intent.ts';
export {
  assertRiskLimits,
  DEFAULT_MAX_QUOTE_AGE_MS,
  DEFAULT_RISK_LIMITS,
  quoteAgeLimit,
  type RiskLimits,
  riskLimitIssues,
} from './limits.ts';
