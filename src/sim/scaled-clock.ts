/**
 * The simulator's clock when it runs faster than real time (`--speed`): simulated time advances
 * `speed` times as fast as the wall clock, and timers fire after `ms / speed` real milliseconds.
 * At speed 1 it is the system clock.
 */
import { type Clock, sleepWith, systemClock } from '../core/clock.ts';

export function scaledClock(speed: number, startMs: number = Date.now()): Clock {
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new RangeError(`speed must be a positive number, got ${speed}`);
  if (speed === 1) return systemClock;
  const realStart = performance.now();
  const clock: Clock = {
    now: () => startMs + Math.floor((performance.now() - realStart) * speed),
    monotonicNs: () => BigInt(Math.round(Number(systemClock.monotonicNs()) * speed)),
    sleep: (ms, signal) => sleepWith(clock, ms, signal),
    setTimer(ms, callback) {
      // Real timers may fire a little early; a simulated deadline must never be seen before it.
      const due = clock.now() + Math.max(0, ms);
      let cancel = (): void => {};
      const arm = (left: number) => {
        cancel = systemClock.setTimer(left / speed, () => {
          const rest = due - clock.now();
          if (rest > 0) arm(rest);
          else callback();
        });
      };
      arm(Math.max(0, ms));
      return () => cancel();
    },
  };
  return clock;
}
