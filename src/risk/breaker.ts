/**
 * Circuit breaker as a pure state machine over an injected clock.
 *
 * closed --N consecutive failures--> open --cooldown elapsed--> half_open
 * half_open lets one order through: sending it (`recordAttempt`) re-arms the cooldown, so the
 * breaker reads open again while that probe is in flight. Any success closes the breaker; any
 * failure while open or half-open re-opens it for a full cooldown. A probe whose outcome never
 * arrives only costs one more cooldown, after which another probe may go.
 *
 * With `breakerFailures` unset the breaker is off (always closed). With `breakerCooldownMs` unset it
 * latches: open until a success or a reset to CLOSED_BREAKER, i.e. a human decides.
 */
import type { RiskLimits } from './limits.ts';

export interface BreakerState {
  readonly consecutiveFailures: number;
  /** Epoch ms when the breaker last (re)opened; null when closed. */
  readonly openedAt: number | null;
}

export type BreakerStatus = 'closed' | 'open' | 'half_open';
export type BreakerOutcome = 'success' | 'failure';
export type BreakerLimits = Pick<RiskLimits, 'breakerFailures' | 'breakerCooldownMs'>;

export const CLOSED_BREAKER: BreakerState = Object.freeze({ consecutiveFailures: 0, openedAt: null });

export function breakerStatus(state: BreakerState, now: number, limits: BreakerLimits): BreakerStatus {
  if (limits.breakerFailures === undefined || state.openedAt === null) return 'closed';
  const reopensAt = breakerReopensAt(state, limits);
  return reopensAt !== null && now >= reopensAt ? 'half_open' : 'open';
}

/** When an opened breaker turns half-open; null when closed or latched. */
export function breakerReopensAt(state: BreakerState, limits: BreakerLimits): number | null {
  if (state.openedAt === null || limits.breakerCooldownMs === undefined) return null;
  return state.openedAt + limits.breakerCooldownMs;
}

export function recordOutcome(
  state: BreakerState,
  outcome: BreakerOutcome,
  now: number,
  limits: BreakerLimits,
): BreakerState {
  if (outcome === 'success') return CLOSED_BREAKER;
  const consecutiveFailures = state.consecutiveFailures + 1;
  const threshold = limits.breakerFailures;
  if (threshold === undefined) return { consecutiveFailures, openedAt: null };
  // A failure while open or probing restarts the cooldown: the venue is still failing.
  const opens = state.openedAt !== null || consecutiveFailures >= threshold;
  return { consecutiveFailures, openedAt: opens ? now : null };
}

/** Call when an order the gate allowed is sent; in half-open it takes the single probe slot. */
export function recordAttempt(state: BreakerState, now: number, limits: BreakerLimits): BreakerState {
  return breakerStatus(state, now, limits) === 'half_open' ? { ...state, openedAt: now } : state;
}
