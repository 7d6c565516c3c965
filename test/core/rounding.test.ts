import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoneyError } from '../../src/core/errors.ts';
import { mulDiv, ROUNDING_MODES, type RoundingMode, roundToMultiple } from '../../src/core/rounding.ts';

const MAX = Number.MAX_SAFE_INTEGER;
const MAX_BIG = BigInt(MAX);

/** An independent reference: reduce to a positive divisor, floor, then decide from the remainder. */
function reference(a: bigint, b: bigint, d: bigint, mode: RoundingMode): bigint {
  let n = a * b;
  let den = d;
  if (den < 0n) {
    n = -n;
    den = -den;
  }
  let q = n / den;
  if (n % den !== 0n && n < 0n) q -= 1n; // floor
  const r = n - q * den; // 0 <= r < den
  if (r === 0n) return q;
  switch (mode) {
    case 'floor':
      return q;
    case 'ceil':
      return q + 1n;
    case 'trunc':
      return q < 0n ? q + 1n : q;
    case 'halfUp':
      if (2n * r !== den) return 2n * r < den ? q : q + 1n;
      return q >= 0n ? q + 1n : q; // the tie q + 1/2 is positive exactly when q >= 0
    case 'halfEven':
      if (2n * r !== den) return 2n * r < den ? q : q + 1n;
      return q % 2n === 0n ? q : q + 1n;
  }
}

/** mulDiv equals the reference, or throws MoneyError exactly when the reference is not safe. */
function agrees(a: number, b: number, d: number, m: RoundingMode): void {
  const want = reference(BigInt(a), BigInt(b), BigInt(d), m);
  if (want > MAX_BIG || want < -MAX_BIG) {
    expect(() => mulDiv(a, b, d, m)).toThrow(MoneyError);
  } else {
    expect(mulDiv(a, b, d, m)).toBe(Number(want));
  }
}

const safe = fc.integer({ min: -MAX, max: MAX });
const nonZero = safe.filter((d) => d !== 0);
const mode = fc.constantFrom(...ROUNDING_MODES);

describe('mulDiv', () => {
  it.each([
    // a, b, d, floor, ceil, trunc, halfEven, halfUp
    [7, 1, 2, 3, 4, 3, 4, 4],
    [5, 1, 2, 2, 3, 2, 2, 3],
    [-5, 1, 2, -3, -2, -2, -2, -3],
    [-7, 1, 2, -4, -3, -3, -4, -4],
    [5, 1, -2, -3, -2, -2, -2, -3],
    [-5, -1, -2, -3, -2, -2, -2, -3],
    [10, 1, 3, 3, 4, 3, 3, 3],
    [-10, 1, 3, -4, -3, -3, -3, -3],
    [20, 1, 3, 6, 7, 6, 7, 7],
    [1, 1, 2, 0, 1, 0, 0, 1],
    [-1, 1, 2, -1, 0, 0, 0, -1],
    [6, 1, 3, 2, 2, 2, 2, 2],
    [0, -5, 3, 0, 0, 0, 0, 0],
    // shares * price / 1e6: 12.345678 shares at 0.523
    [12_345_678, 523_000, 1_000_000, 6_456_789, 6_456_790, 6_456_789, 6_456_790, 6_456_790],
    // a * b beyond 2^53: the bigint path
    [
      9_000_000_000_000, 523_001, 1_000_000, 4_707_009_000_000, 4_707_009_000_000, 4_707_009_000_000,
      4_707_009_000_000, 4_707_009_000_000,
    ],
    [
      MAX,
      3,
      7,
      3_860_228_252_031_853,
      3_860_228_252_031_854,
      3_860_228_252_031_853,
      3_860_228_252_031_853,
      3_860_228_252_031_853,
    ],
    [MAX, MAX, MAX, MAX, MAX, MAX, MAX, MAX],
    // quotients within 1/|d| of an integer, where float division must not round across it
    [MAX, 1, MAX - 1, 1, 2, 1, 1, 1],
    [MAX - 1, 1, MAX, 0, 1, 0, 1, 1],
    [-(MAX - 1), 1, MAX, -1, 0, 0, -1, -1],
  ])('%d * %d / %d', (a, b, d, floor, ceil, trunc, halfEven, halfUp) => {
    expect(mulDiv(a, b, d, 'floor')).toBe(floor);
    expect(mulDiv(a, b, d, 'ceil')).toBe(ceil);
    expect(mulDiv(a, b, d, 'trunc')).toBe(trunc);
    expect(mulDiv(a, b, d, 'halfEven')).toBe(halfEven);
    expect(mulDiv(a, b, d, 'halfUp')).toBe(halfUp);
  });

  it('never returns -0', () => {
    expect(Object.is(mulDiv(0, -5, 3, 'floor'), 0)).toBe(true);
    expect(Object.is(mulDiv(-1, 1, 3, 'trunc'), 0)).toBe(true);
    expect(Object.is(mulDiv(-1, 1, 3, 'ceil'), 0)).toBe(true);
    expect(Object.is(mulDiv(0, 5, -3, 'floor'), 0)).toBe(true);
  });

  it('rejects division by zero, unsafe inputs and unsafe results', () => {
    expect(() => mulDiv(1, 1, 0, 'floor')).toThrow(MoneyError);
    expect(() => mulDiv(0.5, 1, 1, 'floor')).toThrow(MoneyError);
    expect(() => mulDiv(MAX + 1, 1, 1, 'floor')).toThrow(MoneyError);
    expect(() => mulDiv(Number.NaN, 1, 1, 'floor')).toThrow(MoneyError);
    expect(() => mulDiv(MAX, 2, 1, 'floor')).toThrow(/safe integer range/);
    expect(() => mulDiv(MAX, 3, 2, 'floor')).toThrow(MoneyError);
    expect(() => mulDiv(1, 1, 1, 'up' as RoundingMode)).not.toThrow(); // exact: no rounding needed
    expect(() => mulDiv(1, 1, 2, 'up' as RoundingMode)).toThrow(/unknown rounding mode/);
  });

  it('agrees with a bigint reference for all safe inputs, including products beyond 2^53', () => {
    fc.assert(fc.property(safe, safe, nonZero, mode, agrees), { numRuns: 20_000 });
  });

  it('agrees with the reference on small operands, where the fast path and ties are common', () => {
    const small = fc.integer({ min: -2_000, max: 2_000 });
    fc.assert(
      fc.property(
        small,
        small,
        small.filter((d) => d !== 0),
        mode,
        agrees,
      ),
      { numRuns: 20_000 },
    );
  });

  it('agrees with the reference on products that straddle 2^53', () => {
    // a * b spread around 2^53 so both paths and the boundary get exercised.
    const a = fc.integer({ min: 2 ** 26, max: 2 ** 28 });
    const b = fc.integer({ min: 2 ** 25, max: 2 ** 28 });
    const d = fc.integer({ min: 1, max: 2 ** 30 });
    fc.assert(
      fc.property(a, b, d, fc.boolean(), mode, (x, y, z, negate, m) => agrees(negate ? -x : x, y, z, m)),
      { numRuns: 20_000 },
    );
  });

  it('floor and ceil bracket the exact quotient (positive divisor)', () => {
    const divisor = fc.integer({ min: 1, max: MAX });
    fc.assert(
      fc.property(safe, safe, divisor, (a, b, d) => {
        const x = BigInt(a) * BigInt(b);
        const big = BigInt(d);
        let floor: bigint;
        let ceil: bigint;
        try {
          floor = BigInt(mulDiv(a, b, d, 'floor'));
          ceil = BigInt(mulDiv(a, b, d, 'ceil'));
        } catch (e) {
          expect(e).toBeInstanceOf(MoneyError);
          return;
        }
        expect(floor * big <= x && x < (floor + 1n) * big).toBe(true);
        expect((ceil - 1n) * big < x && x <= ceil * big).toBe(true);
        expect(ceil - floor).toBe(x % big === 0n ? 0n : 1n);
      }),
      { numRuns: 10_000 },
    );
  });

  it('breaks exact ties: halfEven to even, halfUp away from zero', () => {
    // x = (2k + 1) * h over d = 2h is exactly k + 1/2.
    const k = fc.integer({ min: -1_000_000_000, max: 1_000_000_000 });
    const h = fc.integer({ min: 1, max: 1_000_000 });
    fc.assert(
      fc.property(k, h, (kk, hh) => {
        const a = 2 * kk + 1;
        const even = kk % 2 === 0 ? kk : kk + 1;
        const away = kk >= 0 ? kk + 1 : kk;
        expect(mulDiv(a, hh, 2 * hh, 'halfEven')).toBe(even);
        expect(mulDiv(a, hh, 2 * hh, 'halfUp')).toBe(away);
        expect(mulDiv(a, hh, 2 * hh, 'floor')).toBe(kk);
        expect(mulDiv(a, hh, 2 * hh, 'ceil')).toBe(kk + 1);
      }),
    );
  });
});

describe('roundToMultiple', () => {
  it.each([
    [1_234_567, 10_000, 'floor', 1_230_000],
    [1_234_567, 10_000, 'ceil', 1_240_000],
    [1_235_000, 10_000, 'halfEven', 1_240_000],
    [1_245_000, 10_000, 'halfEven', 1_240_000],
    [-1_234_567, 10_000, 'floor', -1_240_000],
    [-1_234_567, 10_000, 'trunc', -1_230_000],
    [1_230_000, 10_000, 'ceil', 1_230_000],
  ] as const)('%d to a multiple of %d (%s)', (x, unit, m, want) => {
    expect(roundToMultiple(x, unit, m)).toBe(want);
  });

  it('rejects a unit that is not a positive integer and results past the safe range', () => {
    expect(() => roundToMultiple(5, 0, 'floor')).toThrow(MoneyError);
    expect(() => roundToMultiple(5, -2, 'floor')).toThrow(MoneyError);
    expect(() => roundToMultiple(5, 2.5, 'floor')).toThrow(MoneyError);
    expect(() => roundToMultiple(MAX, 10, 'ceil')).toThrow(MoneyError);
    expect(roundToMultiple(MAX, 10, 'floor')).toBe(MAX - 1);
  });
});
