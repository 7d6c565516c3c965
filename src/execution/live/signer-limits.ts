/**
 * Per-signer rate limits: one order bucket and one cancel bucket per signing address, shared by
 * every broker in the process that signs with it (the venue counts per signer, not per broker).
 *
 * Tier figures are NautilusTrader's table of the venue's per-signer buckets (api-reference.md
 * §4.7; the official page was not read, so UNCONFIRMED beyond that). We run at `headroom` of them
 * (default 90 %) so that clock skew between us and the venue does not turn into 429s.
 */
import type { Clock } from '../../core/clock.ts';
import { checkSpec, fullBucket, type TokenBucketSpec, type TokenBucketState, take } from './token-bucket.ts';

export interface TierLimits {
  orderRatePerSec: number;
  orderBurst: number;
  cancelRatePerSec: number;
  cancelBurst: number;
}

export const RATE_LIMIT_TIERS = {
  standard: { orderRatePerSec: 40, orderBurst: 60, cancelRatePerSec: 80, cancelBurst: 120 },
  copper: { orderRatePerSec: 60, orderBurst: 90, cancelRatePerSec: 120, cancelBurst: 180 },
  bronze: { orderRatePerSec: 80, orderBurst: 120, cancelRatePerSec: 160, cancelBurst: 240 },
  silver: { orderRatePerSec: 200, orderBurst: 300, cancelRatePerSec: 400, cancelBurst: 600 },
  gold: { orderRatePerSec: 400, orderBurst: 600, cancelRatePerSec: 800, cancelBurst: 1200 },
  platinum: { orderRatePerSec: 450, orderBurst: 675, cancelRatePerSec: 900, cancelBurst: 1350 },
  diamond: { orderRatePerSec: 525, orderBurst: 787, cancelRatePerSec: 1050, cancelBurst: 1575 },
  elite: { orderRatePerSec: 600, orderBurst: 900, cancelRatePerSec: 1200, cancelBurst: 1800 },
} as const satisfies Record<string, TierLimits>;
export type RateLimitTier = keyof typeof RATE_LIMIT_TIERS;

export type BucketKind = 'order' | 'cancel';

/** The bucket specs for a tier at `headroom` (0 < headroom <= 1) of the venue's figures. */
export function tierBuckets(limits: TierLimits, headroom = 0.9): Record<BucketKind, TokenBucketSpec> {
  if (!(headroom > 0 && headroom <= 1)) throw new RangeError(`headroom must be in (0, 1], got ${headroom}`);
  // Bursts stay whole: a batch of 15 must always fit.
  return {
    order: {
      capacity: Math.max(15, Math.floor(limits.orderBurst * headroom)),
      refillPerSec: limits.orderRatePerSec * headroom,
    },
    cancel: {
      capacity: Math.max(15, Math.floor(limits.cancelBurst * headroom)),
      refillPerSec: limits.cancelRatePerSec * headroom,
    },
  };
}

/** Monotonic milliseconds of a clock: immune to wall-clock steps. */
export function monotonicMs(clock: Clock): number {
  return Number(clock.monotonicNs() / 1_000_000n);
}

/**
 * The buckets of every signer in the process. `acquire` waits on the injected clock until the
 * tokens are there; waiters are served in arrival order per bucket, so a cancel storm cannot starve
 * a submit (and the other way round they use separate buckets anyway).
 */
export class SignerRateLimits {
  readonly #specs: Record<BucketKind, TokenBucketSpec>;
  readonly #states = new Map<string, TokenBucketState>();
  readonly #queues = new Map<string, Promise<void>>();

  constructor(specs: Record<BucketKind, TokenBucketSpec> = tierBuckets(RATE_LIMIT_TIERS.standard)) {
    this.#specs = { order: checkSpec(specs.order), cancel: checkSpec(specs.cancel) };
  }

  get specs(): Readonly<Record<BucketKind, TokenBucketSpec>> {
    return this.#specs;
  }

  /** Takes `n` tokens of `kind` for `signer`, waiting as long as needed. Returns the ms waited. */
  acquire(signer: string, kind: BucketKind, n: number, clock: Clock): Promise<number> {
    const key = `${signer.toLowerCase()}|${kind}`;
    const spec = this.#specs[kind];
    // Cap at the capacity: a cancel of 3000 ids costs one full bucket, not an impossible wait.
    const want = Math.min(n, spec.capacity);
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const run = previous.then(async () => {
      const started = monotonicMs(clock);
      for (;;) {
        const now = monotonicMs(clock);
        const state = this.#states.get(key) ?? fullBucket(spec, now);
        const result = take(spec, state, now, want);
        this.#states.set(key, result.state);
        if (result.ok) return monotonicMs(clock) - started;
        await clock.sleep(result.waitMs);
      }
    });
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(key, tail);
    void tail.then(() => {
      if (this.#queues.get(key) === tail) this.#queues.delete(key);
    });
    return run;
  }
}

/** The process-wide limits every broker uses unless given its own. */
export const defaultSignerRateLimits = new SignerRateLimits();
