import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Clock, ManualClock, systemClock } from '../../src/core/clock.ts';

const START = Date.UTC(2026, 0, 1);

describe('ManualClock', () => {
  it('reads the time it was given and moves only when advanced', async () => {
    const clock = new ManualClock(START);
    expect(clock.now()).toBe(START);
    expect(clock.monotonicNs()).toBe(0n);
    await clock.advance(1_500);
    expect(clock.now()).toBe(START + 1_500);
    expect(clock.monotonicNs()).toBe(1_500_000_000n);
  });

  it('fires sleepers in due-time order, ties in the order they were set, with now() at their due time', async () => {
    const clock = new ManualClock(START);
    const log: string[] = [];
    const sleeper = (name: string, ms: number) =>
      clock.sleep(ms).then(() => log.push(`${name}@${clock.now() - START}`));
    const all = [sleeper('c', 30), sleeper('a', 10), sleeper('b', 20), sleeper('a2', 10)];
    clock.setTimer(20, () => log.push(`timer@${clock.now() - START}`));
    expect(clock.pending).toBe(5);

    await clock.advance(15);
    expect(log).toEqual(['a@10', 'a2@10']);
    expect(clock.now()).toBe(START + 15);
    expect(clock.pending).toBe(3);

    await clock.advance(100);
    await Promise.all(all);
    expect(log).toEqual(['a@10', 'a2@10', 'b@20', 'timer@20', 'c@30']);
    expect(clock.now()).toBe(START + 115);
    expect(clock.pending).toBe(0);
  });

  it('does not resolve a sleep until advanced to its due time', async () => {
    const clock = new ManualClock();
    let done = false;
    void clock.sleep(1_000).then(() => {
      done = true;
    });
    await clock.advance(999);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(done).toBe(true);
  });

  it('runs a sleep loop once per period within a single advance', async () => {
    const clock = new ManualClock(START);
    const ticks: number[] = [];
    const controller = new AbortController();
    const loop = (async () => {
      try {
        for (;;) {
          await clock.sleep(1_000, controller.signal);
          ticks.push(clock.now() - START);
        }
      } catch (e) {
        return e;
      }
    })();
    await clock.advance(5_500);
    expect(ticks).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
    controller.abort(new Error('stop'));
    expect(await loop).toEqual(new Error('stop'));
    expect(clock.pending).toBe(0);
  });

  it('rejects a sleep with the abort reason and forgets its timer', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const reason = new Error('shutdown');
    const sleeping = clock.sleep(1_000, controller.signal);
    expect(clock.pending).toBe(1);
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
    expect(clock.pending).toBe(0);
  });

  it('rejects at once when the signal has already aborted', async () => {
    const clock = new ManualClock();
    const reason = new Error('already');
    await expect(clock.sleep(10, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(clock.pending).toBe(0);
  });

  it('an abort after the sleep resolved changes nothing', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(10, controller.signal);
    await clock.advance(10);
    controller.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });

  it('cancels timers', async () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    const cancel = clock.setTimer(10, () => fired.push('cancelled'));
    clock.setTimer(10, () => fired.push('kept'));
    cancel();
    cancel(); // twice is harmless
    expect(clock.pending).toBe(1);
    await clock.advance(10);
    expect(fired).toEqual(['kept']);
  });

  it('set() moves wall time only; timers run on elapsed time', async () => {
    const clock = new ManualClock(START);
    let fired = false;
    clock.setTimer(1_000, () => {
      fired = true;
    });
    clock.set(START + 10_000);
    expect(clock.now()).toBe(START + 10_000);
    expect(fired).toBe(false);
    clock.set(START - 5_000); // wall time may go backwards; the timer is unaffected
    await clock.advance(1_000);
    expect(fired).toBe(true);
    expect(clock.now()).toBe(START - 4_000);
    expect(clock.monotonicNs()).toBe(1_000_000_000n);
  });

  it('zero and negative delays fire on the next advance, even advance(0)', async () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    clock.setTimer(0, () => fired.push(0));
    clock.setTimer(-5, () => fired.push(-5));
    expect(fired).toEqual([]);
    await clock.advance(0);
    expect(fired).toEqual([0, -5]);
  });

  it('timers set while firing fire in the same advance when due', async () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    clock.setTimer(10, () => {
      fired.push(clock.now());
      clock.setTimer(5, () => fired.push(clock.now()));
      clock.setTimer(50, () => fired.push(clock.now()));
    });
    await clock.advance(20);
    expect(fired).toEqual([10, 15]);
    expect(clock.pending).toBe(1);
  });

  it('refuses bad input and overlapping advances', async () => {
    const clock = new ManualClock();
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
    await expect(clock.advance(Number.NaN)).rejects.toThrow(RangeError);
    expect(() => clock.setTimer(Number.NaN, () => {})).toThrow(RangeError);
    await expect(clock.sleep(Number.NaN)).rejects.toThrow(RangeError);
    expect(clock.pending).toBe(0);
    const first = clock.advance(10);
    await expect(clock.advance(10)).rejects.toThrow(/already running/);
    await first;
    expect(clock.now()).toBe(10);
  });

  it('is usable wherever a Clock is expected', async () => {
    const waitTwice = async (c: Clock) => {
      await c.sleep(5);
      await c.sleep(5);
      return c.now();
    };
    const clock = new ManualClock(100);
    const result = waitTwice(clock);
    await clock.advance(10);
    expect(await result).toBe(110);
  });
});

describe('systemClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads real time', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
    const a = systemClock.monotonicNs();
    const b = systemClock.monotonicNs();
    expect(b).toBeGreaterThanOrEqual(a);
  });

  it('sleeps for about the time asked', async () => {
    const start = systemClock.monotonicNs();
    await systemClock.sleep(30);
    const elapsedMs = Number(systemClock.monotonicNs() - start) / 1e6;
    expect(elapsedMs).toBeGreaterThanOrEqual(25);
    expect(elapsedMs).toBeLessThan(1_000);
  });

  it('aborts a sleep with the signal reason', async () => {
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(new Error('stop')), 5);
    await expect(sleeping).rejects.toThrow('stop');
    await expect(systemClock.sleep(10, AbortSignal.abort(new Error('early')))).rejects.toThrow('early');
  });

  it('cancels a timer', async () => {
    let fired = false;
    const cancel = systemClock.setTimer(10, () => {
      fired = true;
    });
    cancel();
    await systemClock.sleep(30);
    expect(fired).toBe(false);
  });

  it('re-arms timers longer than setTimeout allows instead of firing them at once', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    let fired = false;
    const thirtyDays = 30 * 24 * 3_600_000;
    systemClock.setTimer(thirtyDays, () => {
      fired = true;
    });
    vi.advanceTimersByTime(2 ** 31 - 1);
    expect(fired).toBe(false);
    vi.advanceTimersByTime(thirtyDays - 2 ** 31 - 1);
    expect(fired).toBe(false);
    vi.advanceTimersByTime(2);
    expect(fired).toBe(true);
  });
});
