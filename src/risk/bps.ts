/**
 * Basis-point comparisons in exact integer arithmetic. Ratios are rounded up to whole bps: for an
 * integer limit L, ceil(x) > L exactly when x > L, so a value exactly at the limit passes and
 * anything above it, however slightly, fails.
 */
import { mulDiv } from '../core/rounding.ts';

export const BPS = 10_000;

export interface BpsCheck {
  /** `excess / base` in bps, rounded up; null when base is 0 (the ratio is unbounded). */
  readonly bps: number | null;
  readonly exceeds: boolean;
}

/**
 * Whether `excess` is more than `limitBps` basis points of `base` (base >= 0). A zero base makes
 * any positive excess exceed the limit, and a zero or negative one pass.
 */
export function checkBps(excess: number, base: number, limitBps: number): BpsCheck {
  if (base === 0) return { bps: null, exceeds: excess > 0 };
  const bps = mulDiv(excess, BPS, base, 'ceil');
  return { bps, exceeds: bps > limitBps };
}
