/**
 * The Data API's documented rate limit (general: 1,000 requests per 10 s; `/activity` has no
 * route limit of its own, api-reference.md §2.5), kept on our side with a sliding window so that a
 * burst of pages, retries and gap fills never trips the server's limiter.
 */
import type { Clock } from '../../core/clock.ts';

export interface RateLimit {
  maxRequests: number;
  windowMs: number;
}

/** The documented general Data API limit. */
export const DATA_API_GENERAL_LIMIT: RateLimit = { maxRequests: 1_000, windowMs: 10_000 };

/** A limit's share: `share` in (0, 1] of its requests, at least one per window. */
export function shareOf(limit: RateLimit, share: number): RateLimit {
  if (!(share > 0 && share <= 1)) throw new RangeError(`share must be in (0, 1], got ${share}`);
  return { maxRequests: Math.max(1, Math.floor(limit.maxRequests * share)), windowMs: limit.windowMs };
}

/**
 * Reserves the earliest send time at or after `now` that keeps every window of `windowMs`
 * (half-open, `(t - windowMs, t]`) at or under `maxRequests`. `reserved` is the ascending list of
 * earlier reservations; the result's `reserved` is the new list (entries too old to matter
 * dropped). Reservations are first come, first served: a later caller never goes before an
 * earlier one, which is what lets one check against the newest `maxRequests` suffice.
 */
export function reserveSlot(
  reserved: readonly number[],
  now: number,
  limit: RateLimit,
): { at: number; reserved: number[] } {
  const live = reserved.filter((t) => t > now - limit.windowMs);
  let at = Math.max(now, live.at(-1) ?? now);
  if (live.length >= limit.maxRequests) {
    at = Math.max(at, live[live.length - limit.maxRequests]! + limit.windowMs);
  }
  live.push(at);
  // Only the newest maxRequests can ever bound a later reservation.
  return { at, reserved: live.slice(-limit.maxRequests) };
}

/** Shared by every request of one client (or several, when passed to each): waits for a slot. */
export class RequestLimiter {
  readonly limit: RateLimit;
  readonly #clock: Clock;
  #reserved: number[] = [];

  constructor(clock: Clock, limit: RateLimit) {
    if (!Number.isSafeInteger(limit.maxRequests) || limit.maxRequests < 1) {
      throw new RangeError(`maxRequests must be a positive integer, got ${limit.maxRequests}`);
    }
    if (!(limit.windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${limit.windowMs}`);
    this.#clock = clock;
    this.limit = limit;
  }

  /** Resolves when a request may be sent (at once while under the limit). */
  async acquire(signal?: AbortSignal): Promise<void> {
    // Monotonic time: a wall-clock step must neither stall nor release the queue.
    const now = Number(this.#clock.monotonicNs() / 1_000_000n);
    const { at, reserved } = reserveSlot(this.#reserved, now, this.limit);
    this.#reserved = reserved;
    if (at > now) await this.#clock.sleep(at - now, signal);
  }
}
