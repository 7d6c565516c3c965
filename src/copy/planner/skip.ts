/**
 * Why the planner decided not to order: a closed set of codes (for counts, filters and alerts),
 * each with a sentence carrying the numbers that decided it (for the audit trail and the UI).
 */

export const SKIP_REASONS = [
  'DISABLED',
  'PAUSED',
  'LEADER_MISMATCH',
  'BACKFILL',
  'MARKET_CLOSED',
  'TOKEN_NOT_IN_MARKET',
  'CATCH_UP_TOO_OLD',
  'NO_QUOTE',
  'CATCH_UP_PRICE_WORSE',
  'NO_LEADER_VALUE',
  'ZERO_SIZE',
  'BELOW_MIN_TRADE',
  'INSUFFICIENT_BALANCE',
  'NOTHING_HELD',
  'BELOW_MIN_SIZE',
  'PRICE_OUT_OF_RANGE',
] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];

/** Machine-readable facts behind a decision; money values are micro-unit integers. */
export type PlanNumbers = Record<string, number | string | null>;

export interface Skip {
  kind: 'skip';
  reason: SkipReason;
  /** One sentence with the numbers, e.g. "sized to $0.40, below the minimum trade of $1.00". */
  detail: string;
  numbers: PlanNumbers;
}

export function skip(reason: SkipReason, detail: string, numbers: PlanNumbers = {}): Skip {
  return { kind: 'skip', reason, detail, numbers };
}

export function isSkip<T extends { kind: string }>(r: T | Skip): r is Skip {
  return r.kind === 'skip';
}
