/**
 * Retry and reconnect delays: capped exponential growth with jitter, so clients failed by the same
 * outage do not come back in step, and a delay never drops to zero.
 */

export interface BackoffOptions {
  /** The first delay's ceiling, ms (attempt 0). */
  initialMs: number;
  /** No delay exceeds this, ms. */
  maxMs: number;
  /** Growth per attempt; default 2. */
  factor?: number;
  /** 0..1, the share of each delay drawn at random; default 0.5 ("equal jitter"). */
  jitter?: number;
}

export const DEFAULT_BACKOFF = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.5 } as const;

/**
 * The delay before retry `attempt` (0 for the first): a ceiling of `initialMs * factor^attempt`
 * capped at `maxMs`, of which `1 - jitter` is fixed and `jitter` drawn from `random()` in [0, 1)
 * (tests pass a fixed one). Always within [ceiling * (1 - jitter), ceiling].
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number): number {
  const { initialMs, maxMs } = options;
  if (!(initialMs > 0) || !(maxMs >= initialMs)) {
    throw new RangeError(`backoff needs 0 < initialMs <= maxMs, got ${initialMs} and ${maxMs}`);
  }
  const factor = options.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  // Capping the exponent keeps the power finite after a very long run of failures.
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 52);
  const ceiling = Math.min(maxMs, initialMs * factor ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling * (1 - jitter) + ceiling * jitter * r);
}
