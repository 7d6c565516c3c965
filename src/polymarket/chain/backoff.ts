/**
 * Reconnect delays: exponential backoff with "equal jitter". Half of each step is fixed, so a
 * reconnect never fires at once after a drop, and half is random, so many clients dropped by the
 * same outage do not come back in lockstep.
 */

export interface BackoffOptions {
  /** The first delay's ceiling (attempt 1). */
  initialMs: number;
  /** No delay exceeds this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000 };

/**
 * The delay before reconnect attempt `attempt` (1 for the first after a drop): a ceiling of
 * `initialMs * 2^(attempt - 1)` capped at `maxMs`, then a uniform pick in [ceiling/2, ceiling].
 * `random` returns [0, 1), as Math.random does (tests pass a fixed one).
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be >= 1, got ${attempt}`);
  const { initialMs, maxMs } = options;
  if (!(initialMs > 0) || !(maxMs >= initialMs)) {
    throw new RangeError(`backoff needs 0 < initialMs <= maxMs, got ${initialMs} and ${maxMs}`);
  }
  // 2^30 already exceeds any sensible cap; the min keeps the power finite.
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 30));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}
