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
  const realStart = Date.now();
  const clock: Clock = {
    now: () => startMs + Math.floor((Date.now() - realStart) * speed),
    monotonicNs: () => BigInt(Math.round(Number(systemClock.monotonicNs()) * speed)),
    sleep: (ms, signal) => sleepWith(clock, ms, signal),
    setTimer: (ms, callback) => systemClock.setTimer(ms / speed, callback),
  };
  return clock;
}
