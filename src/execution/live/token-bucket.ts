/**
 * A token bucket as a pure value: `capacity` tokens at most (the burst), refilled continuously at
 * `refillPerSec`. Time is an argument (monotonic milliseconds), so tests drive it with tables and
 * properties and the caller decides how to wait (signer-limits.ts sleeps on the injected clock).
 *
 * The venue meters trading per signer with buckets of this shape (api-reference.md §4.7: e.g. the
 * Standard tier's 40 orders/s with a burst of 60); keeping our own a little inside theirs means a
 * 429 is an accident, not the normal way of being told to slow down.
 */

const EPSILON = 1e-9;

export interface TokenBucketSpec {
  /** Most tokens the bucket holds: the burst. */
  capacity: number;
  /** Tokens added per second. */
  refillPerSec: number;
}

export interface TokenBucketState {
  /** Tokens now available; fractional between refills. */
  tokens: number;
  /** The monotonic ms the state was computed at. */
  at: number;
}

export type TakeResult =
  | { ok: true; state: TokenBucketState }
  /** Nothing was taken; `waitMs` from `state.at` the request can be met (if nobody else takes). */
  | { ok: false; state: TokenBucketState; waitMs: number };

export function checkSpec(spec: TokenBucketSpec): TokenBucketSpec {
  if (!(Number.isFinite(spec.capacity) && spec.capacity >= 1)) {
    throw new RangeError(`a token bucket needs a capacity >= 1, got ${spec.capacity}`);
  }
  if (!(Number.isFinite(spec.refillPerSec) && spec.refillPerSec > 0)) {
    throw new RangeError(`a token bucket needs a refill rate > 0, got ${spec.refillPerSec}`);
  }
  return spec;
}

/** A full bucket at `now`: nothing has been spent yet. */
export function fullBucket(spec: TokenBucketSpec, now: number): TokenBucketState {
  return { tokens: checkSpec(spec).capacity, at: now };
}

/** The state at `now`. A clock that reads earlier than `state.at` refills nothing (it never drains). */
export function refill(spec: TokenBucketSpec, state: TokenBucketState, now: number): TokenBucketState {
  if (now <= state.at) return state;
  const tokens = Math.min(spec.capacity, state.tokens + ((now - state.at) * spec.refillPerSec) / 1000);
  return { tokens, at: now };
}

/**
 * Takes `n` tokens at `now`, or says how long until `n` are there. All or nothing, as the venue's
 * batch checks are. Asking for more than the capacity can never succeed, so it throws.
 */
export function take(spec: TokenBucketSpec, state: TokenBucketState, now: number, n = 1): TakeResult {
  if (!(Number.isFinite(n) && n > 0)) throw new RangeError(`take needs a positive count, got ${n}`);
  if (n > spec.capacity) {
    throw new RangeError(`cannot take ${n} tokens from a bucket of capacity ${spec.capacity}`);
  }
  const current = refill(spec, state, now);
  // The epsilon absorbs float error in the refill, so a wait of exactly waitMs always suffices.
  if (current.tokens + EPSILON >= n) {
    return { ok: true, state: { tokens: Math.max(0, current.tokens - n), at: current.at } };
  }
  // Rounded up so that sleeping exactly waitMs always finds enough tokens.
  const waitMs = Math.ceil(((n - current.tokens) * 1000) / spec.refillPerSec);
  return { ok: false, state: current, waitMs };
}
