import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import { scaledClock } from '../../src/sim/scaled-clock.ts';

describe('scaledClock', () => {
  it('is the system clock at speed 1', () => {
    expect(scaledClock(1)).toBe(systemClock);
  });

  it('runs simulated time and timers `speed` times faster', async () => {
    const start = Date.UTC(2026, 0, 1);
    const clock = scaledClock(50, start);
    const t0 = performance.now();
    await clock.sleep(1000); // 20 ms of real time
    const real = performance.now() - t0;
    expect(real).toBeGreaterThanOrEqual(15);
    expect(real).toBeLessThan(500);
    // At least the 1000 simulated ms slept, and not wildly more.
    expect(clock.now() - start).toBeGreaterThanOrEqual(1000);
    expect(clock.now() - start).toBeLessThan(50 * 600);
  });

  it('refuses a speed that is not a positive number', () => {
    for (const bad of [0, -2, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => scaledClock(bad)).toThrow(RangeError);
  });
});
