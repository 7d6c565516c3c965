/**
 * Exact integer division with a named rounding direction: the arithmetic under every money
 * operation. Plain numbers when the product is a safe integer, bigint only when it is not.
 */
import { MoneyError } from './errors.ts';

/**
 * How to resolve a result that falls between two integers.
 * - `floor`: toward -infinity
 * - `ceil`: toward +infinity
 * - `trunc`: toward zero
 * - `halfEven`: to nearest, ties to the even neighbour (banker's rounding)
 * - `halfUp`: to nearest, ties away from zero
 */
export type RoundingMode = 'floor' | 'ceil' | 'trunc' | 'halfEven' | 'halfUp';

export const ROUNDING_MODES: readonly RoundingMode[] = ['floor', 'ceil', 'trunc', 'halfEven', 'halfUp'];

const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The correction (-1, 0 or +1) to add to a quotient truncated toward zero, given a non-zero
 * discarded fraction. `fractionSign` is the sign of (exact value - truncated value); `half` says
 * whether the fraction's magnitude is below (-1), at (0) or above (1) one half.
 */
export function roundingStep(
  mode: RoundingMode,
  fractionSign: 1 | -1,
  half: -1 | 0 | 1,
  truncOdd: boolean,
): number {
  switch (mode) {
    case 'trunc':
      return 0;
    case 'floor':
      return fractionSign < 0 ? -1 : 0;
    case 'ceil':
      return fractionSign > 0 ? 1 : 0;
    // Truncation is toward zero, so stepping in the fraction's direction is stepping away from zero.
    case 'halfUp':
      return half >= 0 ? fractionSign : 0;
    case 'halfEven':
      return half > 0 || (half === 0 && truncOdd) ? fractionSign : 0;
    default:
      throw new MoneyError(`unknown rounding mode ${JSON.stringify(mode)}`);
  }
}

/**
 * `a * b / d` rounded in the given direction, exactly. Throws MoneyError when an input is not a
 * safe integer, `d` is 0, or the result is not a safe integer.
 */
export function mulDiv(a: number, b: number, d: number, rounding: RoundingMode): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(d)) {
    throw new MoneyError('mulDiv needs safe integers', { context: { a, b, d } });
  }
  if (d === 0) throw new MoneyError('mulDiv division by zero', { context: { a, b } });
  const x = a * b;
  // A product beyond 2^53 rounds to a float >= 2^53 in magnitude, so this test is exact.
  if (Number.isSafeInteger(x)) {
    // Exact for |x| < 2^53: the fraction of x / d is at most 1 - 1/|d| and half an ulp of x / d
    // is below 1/|d|, so rounding the division never reaches the next integer; |q * d| <= |x|.
    let q = Math.trunc(x / d);
    const r = x - q * d;
    if (r !== 0) {
      const twice = Math.abs(r) * 2;
      const absD = Math.abs(d);
      const half = twice < absD ? -1 : twice > absD ? 1 : 0;
      q += roundingStep(rounding, r < 0 === d < 0 ? 1 : -1, half, q % 2 !== 0);
    }
    // |d| >= 2 whenever there is a remainder, so |q| <= 2^52 and q stays safe. Avoid -0.
    return q === 0 ? 0 : q;
  }
  return mulDivBig(BigInt(a) * BigInt(b), BigInt(d), rounding);
}

function mulDivBig(x: bigint, d: bigint, rounding: RoundingMode): number {
  const r = x % d;
  let q = x / d;
  if (r !== 0n) {
    const twice = (r < 0n ? -r : r) * 2n;
    const absD = d < 0n ? -d : d;
    const half = twice < absD ? -1 : twice > absD ? 1 : 0;
    q += BigInt(roundingStep(rounding, r < 0n === d < 0n ? 1 : -1, half, q % 2n !== 0n));
  }
  if (q > MAX_SAFE_BIG || q < -MAX_SAFE_BIG) {
    throw new MoneyError('mulDiv result is outside the safe integer range', {
      context: { result: q.toString() },
    });
  }
  return Number(q);
}

/** `x` rounded to a multiple of the positive integer `unit`. */
export function roundToMultiple(x: number, unit: number, rounding: RoundingMode): number {
  if (!Number.isSafeInteger(unit) || unit <= 0) {
    throw new MoneyError(`rounding unit must be a positive safe integer, got ${unit}`);
  }
  const result = mulDiv(x, 1, unit, rounding) * unit;
  if (!Number.isSafeInteger(result)) {
    throw new MoneyError('rounded value is outside the safe integer range', { context: { x, unit } });
  }
  return result;
}
