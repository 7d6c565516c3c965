import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoneyError } from '../../src/core/errors.ts';
import { complement, MICRO, price } from '../../src/core/money.ts';
import { ROUNDING_MODES } from '../../src/core/rounding.ts';
import { isOnTick, parseTickSize, priceBounds, roundToTick, tickSize } from '../../src/core/tick.ts';

/** Every valid tick: the divisors of 1_000_000 up to 500_000. */
const VALID_TICKS = Array.from({ length: MICRO / 2 }, (_, i) => i + 1).filter((n) => MICRO % n === 0);

describe('tick sizes', () => {
  it('parses the sizes Polymarket uses, and odd ones that divide 1', () => {
    expect(parseTickSize('0.1')).toBe(100_000);
    expect(parseTickSize('0.01')).toBe(10_000);
    expect(parseTickSize('0.001')).toBe(1_000);
    expect(parseTickSize('0.0001')).toBe(100);
    expect(parseTickSize('0.005')).toBe(5_000);
    expect(parseTickSize('0.0005')).toBe(500);
    expect(parseTickSize('0.000001')).toBe(1);
    expect(parseTickSize('0.5')).toBe(500_000);
  });

  it('rejects sizes that do not divide 1, zero, negatives, too large and too precise', () => {
    for (const text of ['0', '-0.01', '0.03', '0.003', '0.6', '1', '2', '0.0000001', 'abc', '1e-2']) {
      expect(() => parseTickSize(text), text).toThrow(MoneyError);
    }
    expect(() => tickSize(1.5)).toThrow(MoneyError);
  });

  it('valid ticks are exactly the divisors of 1_000_000 up to half', () => {
    expect(VALID_TICKS.length).toBe(48); // 49 divisors of 2^6 * 5^6, less 1_000_000 itself
    for (const t of VALID_TICKS) expect(tickSize(t)).toBe(t);
  });

  it('priceBounds', () => {
    expect(priceBounds(tickSize(10_000))).toEqual([10_000, 990_000]);
    expect(priceBounds(tickSize(100))).toEqual([100, 999_900]);
  });
});

describe('roundToTick', () => {
  const cent = tickSize(10_000);

  it.each([
    [523_456, 'floor', 520_000],
    [523_456, 'ceil', 530_000],
    [523_456, 'trunc', 520_000],
    [525_000, 'halfEven', 520_000],
    [535_000, 'halfEven', 540_000],
    [525_000, 'halfUp', 530_000],
    [525_001, 'halfEven', 530_000],
    [520_000, 'ceil', 520_000],
    [999_999, 'ceil', 1_000_000],
    [1, 'floor', 0],
  ] as const)('%d to 0.01 (%s) = %d', (p, r, want) => {
    expect(roundToTick(price(p), cent, r)).toBe(want);
  });

  it('isOnTick', () => {
    expect(isOnTick(price(520_000), cent)).toBe(true);
    expect(isOnTick(price(523_000), cent)).toBe(false);
    expect(isOnTick(price(523_500), tickSize(500))).toBe(true);
  });

  const tick = fc.constantFrom(...VALID_TICKS).map(tickSize);
  const anyPrice = fc.integer({ min: 0, max: MICRO }).map(price);
  const mode = fc.constantFrom(...ROUNDING_MODES);

  it('lands on the tick, within one tick, in the requested direction, and is idempotent', () => {
    fc.assert(
      fc.property(anyPrice, tick, mode, (p, t, r) => {
        const q = roundToTick(p, t, r);
        expect(isOnTick(q, t)).toBe(true);
        expect(q).toBeGreaterThanOrEqual(0);
        expect(q).toBeLessThanOrEqual(MICRO);
        expect(Math.abs(q - p)).toBeLessThan(t);
        if (r === 'floor' || r === 'trunc') expect(q).toBeLessThanOrEqual(p);
        if (r === 'ceil') expect(q).toBeGreaterThanOrEqual(p);
        if (r === 'halfEven' || r === 'halfUp') expect(2 * Math.abs(q - p)).toBeLessThanOrEqual(t);
        for (const again of ROUNDING_MODES) expect(roundToTick(q, t, again)).toBe(q);
        expect(isOnTick(complement(q), t)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('leaves on-tick prices unchanged', () => {
    fc.assert(
      fc.property(tick, fc.integer({ min: 0, max: MICRO }), mode, (t, k, r) => {
        const p = price((k % (MICRO / t + 1)) * t);
        expect(roundToTick(p, t, r)).toBe(p);
      }),
    );
  });
});
