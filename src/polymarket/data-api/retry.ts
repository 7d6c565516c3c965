/**
 * When to try a Data API call again: pure functions of the failure, the attempt number and a
 * random draw, so the policy is tested without a network or a clock.
 */
import { backoffDelayMs } from '../../core/backoff.ts';
import { RateLimitError } from '../../core/errors.ts';

export interface RetryPolicy {
  /** Calls in all, the first included; 1 turns retrying off. */
  maxAttempts: number;
  /** Backoff before the first retry, ms (before jitter). */
  baseMs: number;
  /** Cap on the backoff, ms. */
  maxMs: number;
  /** Cap on an honoured Retry-After, ms: a server asking for an hour is not waited on in-line. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseMs: 250,
  maxMs: 10_000,
  maxRetryAfterMs: 60_000,
};

/** The jittered backoff before retry `attempt` (from 0), with the policy's base and cap. */
export function backoffMs(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseMs' | 'maxMs'>,
  random: () => number,
): number {
  return backoffDelayMs(attempt, { initialMs: policy.baseMs, maxMs: policy.maxMs }, random);
}

/**
 * The wait before retrying after `error` on retry number `attempt` (from 0): never less than a
 * 429's Retry-After (capped at `maxRetryAfterMs`), otherwise the jittered backoff.
 */
export function retryDelayMs(
  error: unknown,
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
): number {
  const backoff = backoffMs(attempt, policy, random);
  if (error instanceof RateLimitError && error.retryAfterMs !== undefined) {
    return Math.max(Math.min(error.retryAfterMs, policy.maxRetryAfterMs), backoff);
  }
  return backoff;
}

/**
 * A Retry-After header in ms from `nowMs`: delta-seconds ("2") or an HTTP date. Undefined when
 * absent or unreadable; a date in the past is 0.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its day and month ("Sat, 21 Nov 2026 12:00:05 GMT"); "-1" is no date.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
