/** The read-through cache: age from the request, shared in-flight requests, failures not kept. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { TtlCache } from '../../../src/execution/preflight/ttl-cache.ts';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('TtlCache', () => {
  it('serves a value for ttl after its request was sent, not after it came back', async () => {
    const clock = new ManualClock(0);
    const cache = new TtlCache<number>({ ttlMs: 2_000, clock });
    const slow = deferred<number>();
    let loads = 0;
    const load = () => {
      loads++;
      return loads === 1 ? slow.promise : Promise.resolve(loads);
    };
    const first = cache.get('k', load);
    await clock.advance(1_500);
    slow.resolve(1);
    expect(await first).toBe(1);
    await clock.advance(499);
    expect(await cache.get('k', load)).toBe(1);
    await clock.advance(1);
    expect(await cache.get('k', load)).toBe(2);
    expect(loads).toBe(2);
  });

  it('callers during a request share it; keys are apart', async () => {
    const cache = new TtlCache<string>({ ttlMs: 2_000, clock: new ManualClock(0) });
    const pending = deferred<string>();
    let loads = 0;
    const load = () => {
      loads++;
      return pending.promise;
    };
    const a = cache.get('k', load);
    const b = cache.get('k', load);
    const other = cache.get('other', async () => 'x');
    pending.resolve('v');
    expect(await Promise.all([a, b, other])).toEqual(['v', 'v', 'x']);
    expect(loads).toBe(1);
  });

  it('a failure reaches every waiting caller and is not cached', async () => {
    const cache = new TtlCache<number>({ ttlMs: 2_000, clock: new ManualClock(0) });
    const pending = deferred<number>();
    const a = cache.get('k', () => pending.promise);
    const b = cache.get('k', () => Promise.resolve(0));
    pending.reject(new Error('down'));
    await expect(a).rejects.toThrow('down');
    await expect(b).rejects.toThrow('down');
    expect(await cache.get('k', async () => 7)).toBe(7);
  });

  it('a request invalidated while in flight neither fills the cache nor takes new callers', async () => {
    const cache = new TtlCache<number>({ ttlMs: 2_000, clock: new ManualClock(0) });
    const old = deferred<number>();
    const first = cache.get('k', () => old.promise);
    cache.invalidate('k');
    const fresh = cache.get('k', async () => 2);
    old.resolve(1);
    expect(await first).toBe(1);
    expect(await fresh).toBe(2);
    expect(await cache.get('k', async () => 3)).toBe(2);
    cache.invalidate();
    expect(await cache.get('k', async () => 4)).toBe(4);
  });

  it('refuses a negative or NaN ttl', () => {
    expect(() => new TtlCache({ ttlMs: -1, clock: new ManualClock(0) })).toThrow(RangeError);
    expect(() => new TtlCache({ ttlMs: Number.NaN, clock: new ManualClock(0) })).toThrow(RangeError);
  });
});
