/** Reconnect delays: capped exponential growth with jitter, so many clients do not retry in step. */

export interface BackoffOptions {
  /** Delay before the first retry, ms. */
  initialMs: number;
  /** Cap on the delay, ms. */
  maxMs: number;
  /** Growth per failed attempt. */
  factor: number;
  /** 0..1: the delay is drawn from [base * (1 - jitter), base]. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.5 };

/**
 * The delay before retry number `attempt` (0 for the first), given `random()` in [0, 1).
 * Never above `maxMs`, never below `(1 - jitter)` of the capped exponential.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number): number {
  const exponent = Math.max(0, Math.floor(attempt));
  // Capping the exponent first keeps factor ** attempt finite after many failures.
  const base = Math.min(options.maxMs, options.initialMs * options.factor ** Math.min(exponent, 64));
  const jitter = Math.min(1, Math.max(0, options.jitter));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(base * (1 - jitter * r));
}
