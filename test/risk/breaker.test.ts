import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BreakerLimits,
  type BreakerState,
  breakerReopensAt,
  breakerStatus,
  CLOSED_BREAKER,
  recordAttempt,
  recordOutcome,
} from '../../src/risk/index.ts';

const limits: BreakerLimits = { breakerFailures: 3, breakerCooldownMs: 60_000 };
const T = 1_000_000;

function fail(state: BreakerState, at: number, l = limits): BreakerState {
  return recordOutcome(state, 'failure', at, l);
}

describe('circuit breaker', () => {
  it('stays closed below the failure threshold and opens at it', () => {
    let s = fail(CLOSED_BREAKER, T);
    s = fail(s, T + 1);
    expect(s).toEqual({ consecutiveFailures: 2, openedAt: null });
    expect(breakerStatus(s, T + 2, limits)).toBe('closed');
    s = fail(s, T + 2);
    expect(s).toEqual({ consecutiveFailures: 3, openedAt: T + 2 });
    expect(breakerStatus(s, T + 2, limits)).toBe('open');
  });

  it('a success in between resets the count', () => {
    let s = fail(fail(CLOSED_BREAKER, T), T);
    s = recordOutcome(s, 'success', T, limits);
    expect(s).toEqual(CLOSED_BREAKER);
    expect(breakerStatus(fail(fail(s, T), T), T, limits)).toBe('closed');
  });

  it('half-opens exactly when the cooldown has passed', () => {
    const s: BreakerState = { consecutiveFailures: 3, openedAt: T };
    expect(breakerStatus(s, T + 59_999, limits)).toBe('open');
    expect(breakerStatus(s, T + 60_000, limits)).toBe('half_open');
    expect(breakerReopensAt(s, limits)).toBe(T + 60_000);
  });

  it('half-open lets one probe through: sending it re-arms the cooldown', () => {
    const s: BreakerState = { consecutiveFailures: 3, openedAt: T };
    const probing = recordAttempt(s, T + 60_000, limits);
    expect(probing).toEqual({ consecutiveFailures: 3, openedAt: T + 60_000 });
    expect(breakerStatus(probing, T + 60_001, limits)).toBe('open');
    // Attempts while closed or open change nothing.
    expect(recordAttempt(CLOSED_BREAKER, T, limits)).toBe(CLOSED_BREAKER);
    expect(recordAttempt(s, T + 1, limits)).toBe(s);
  });

  it('the probe succeeding closes it; failing re-opens it for a full cooldown', () => {
    const probing = recordAttempt({ consecutiveFailures: 3, openedAt: T }, T + 60_000, limits);
    expect(breakerStatus(recordOutcome(probing, 'success', T + 60_500, limits), T + 60_500, limits)).toBe(
      'closed',
    );
    const reopened = fail(probing, T + 60_500);
    expect(reopened).toEqual({ consecutiveFailures: 4, openedAt: T + 60_500 });
    expect(breakerStatus(reopened, T + 120_499, limits)).toBe('open');
    expect(breakerStatus(reopened, T + 120_500, limits)).toBe('half_open');
  });

  it('a failure in half-open re-opens it even without a recorded attempt', () => {
    const s = fail({ consecutiveFailures: 3, openedAt: T }, T + 70_000);
    expect(breakerStatus(s, T + 70_000, limits)).toBe('open');
  });

  it('is off (always closed) without breakerFailures, though it still counts', () => {
    let s = CLOSED_BREAKER;
    for (let i = 0; i < 10; i++) s = fail(s, T, {});
    expect(s).toEqual({ consecutiveFailures: 10, openedAt: null });
    expect(breakerStatus({ consecutiveFailures: 10, openedAt: T }, T, {})).toBe('closed');
  });

  it('latches open without a cooldown until a success or a reset', () => {
    const latching = { breakerFailures: 1 };
    const s = fail(CLOSED_BREAKER, T, latching);
    expect(breakerStatus(s, T + 1e12, latching)).toBe('open');
    expect(breakerReopensAt(s, latching)).toBeNull();
    expect(recordAttempt(s, T + 1e12, latching)).toBe(s);
  });

  it('property: openedAt is set only after at least breakerFailures consecutive failures', () => {
    const step = fc.record({
      kind: fc.constantFrom('success', 'failure', 'attempt'),
      dt: fc.integer({ min: 0, max: 100_000 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }),
        fc.array(step, { maxLength: 40 }),
        (failures, cooldown, steps) => {
          const l: BreakerLimits = { breakerFailures: failures, breakerCooldownMs: cooldown };
          let s = CLOSED_BREAKER;
          let now = T;
          let streak = 0;
          for (const { kind, dt } of steps) {
            now += dt;
            if (kind === 'attempt') s = recordAttempt(s, now, l);
            else s = recordOutcome(s, kind, now, l);
            if (kind === 'success') streak = 0;
            if (kind === 'failure') streak++;
            expect(s.consecutiveFailures).toBe(streak);
            if (s.openedAt !== null) expect(s.consecutiveFailures).toBeGreaterThanOrEqual(failures);
            // Reaching the threshold with a failure always leaves it open at that moment.
            if (kind === 'failure' && streak >= failures) expect(breakerStatus(s, now, l)).toBe('open');
            if (kind === 'success') expect(breakerStatus(s, now, l)).toBe('closed');
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a zero cooldown would never hold an order back (so the limits refuse it)', () => {
    const l = { breakerFailures: 1, breakerCooldownMs: 0 };
    const s = recordAttempt(fail(CLOSED_BREAKER, T, l), T, l);
    expect(breakerStatus(s, T, l)).toBe('half_open');
  });
});
