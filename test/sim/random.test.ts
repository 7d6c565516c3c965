import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/sim/random.ts';

describe('createRandom', () => {
  it('repeats exactly for a seed and differs across seeds', () => {
    const draw = (seed: number) => {
      const r = createRandom(seed);
      return [r.next(), r.int(0, 1000), r.hex(8), r.decimalDigits(20)];
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('keeps ints in range and covers both ends', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: 0, max: 20 }),
        (seed, min, span) => {
          const r = createRandom(seed);
          for (let i = 0; i < 50; i++) {
            const v = r.int(min, min + span);
            expect(Number.isInteger(v) && v >= min && v <= min + span).toBe(true);
          }
        },
      ),
    );
    const r = createRandom(1);
    const seen = new Set(Array.from({ length: 500 }, () => r.int(0, 3)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });

  it('forks streams that do not depend on draws made elsewhere', () => {
    const a = createRandom(5);
    const b = createRandom(5);
    b.next();
    b.next();
    expect(a.fork('traders').hex(16)).toBe(b.fork('traders').hex(16));
    expect(a.fork('traders').hex(16)).not.toBe(a.fork('chain').hex(16));
  });

  it('refuses an empty pick and a reversed range', () => {
    const r = createRandom(1);
    expect(() => r.pick([])).toThrow(RangeError);
    expect(() => r.int(3, 2)).toThrow(RangeError);
  });
});
