/**
 * How often each leader is polled: the documented Data API limit (1,000 requests per 10 s,
 * api-reference.md §2.5), of which the poller takes a share, spread evenly over the leaders. A poll
 * is normally one request (a short first page); longer scans and retries draw on the same
 * client-side limiter, so the budget is kept even when a poll costs more.
 */
import { backoffMs } from '../../../polymarket/data-api/index.ts';

export interface PollBudget {
  /** The documented limit: requests per window. */
  maxRequests: number;
  windowMs: number;
  /** The poller's share of the limit, (0, 1]; the rest is left to gap fills and other callers. */
  share: number;
  /** No leader is polled more often than this, however few there are. */
  minIntervalMs: number;
}

export const DEFAULT_POLL_BUDGET: PollBudget = {
  maxRequests: 1_000,
  windowMs: 10_000,
  share: 0.5,
  minIntervalMs: 250,
};

/** Requests per window the poller may spend. */
export function budgetRequests(budget: PollBudget): number {
  return Math.max(1, Math.floor(budget.maxRequests * budget.share));
}

/**
 * The time between two polls of one leader when `leaders` are polled:
 * `max(minIntervalMs, ceil(leaders * windowMs / floor(maxRequests * share)))`. The shortest
 * interval at which `leaders` one-request polls per interval stay within the share.
 */
export function pollIntervalMs(leaders: number, budget: PollBudget): number {
  const n = Math.max(1, Math.floor(leaders));
  return Math.max(budget.minIntervalMs, Math.ceil((n * budget.windowMs) / budgetRequests(budget)));
}

/**
 * Where in the interval leader number `index` of `leaders` first polls, so that polls are spread
 * evenly rather than bunched at the start of each interval.
 */
export function pollOffsetMs(index: number, leaders: number, intervalMs: number): number {
  if (leaders <= 1) return 0;
  return Math.floor(((index % leaders) * intervalMs) / leaders);
}

export interface FailureBackoff {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_FAILURE_BACKOFF: FailureBackoff = { baseMs: 1_000, maxMs: 60_000 };

/**
 * The wait before polling a leader again after `failures` (>= 1) failed polls in a row: never
 * shorter than the regular interval or a Retry-After the venue sent, otherwise growing
 * exponentially with jitter.
 */
export function failureDelayMs(
  failures: number,
  intervalMs: number,
  retryAfterMs: number | undefined,
  backoff: FailureBackoff,
  random: () => number,
): number {
  const grown = backoffMs(Math.max(0, failures - 1), backoff, random);
  return Math.max(intervalMs, retryAfterMs ?? 0, grown);
}
