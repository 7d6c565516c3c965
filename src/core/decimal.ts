/**
 * Decimal text <-> micro-units, exactly. No float arithmetic touches a value on the way in or out.
 *
 * Accepted grammar: `-?digits[.digits]` or `-?.digits` (".5" is 0.5; "5." is rejected as a likely
 * truncation). No leading "+", no whitespace, no thousands separators, no hex. Leading zeros are
 * fine ("007.50"). "-0" parses to 0. Exponent notation ("1e-6", "1.5E+3") only with
 * `allowExponent`, meant for JS numbers from wire JSON. More than 6 decimals throws unless the extra
 * digits are zeros (no precision is lost) or a `rounding` mode is given.
 */
import { MoneyError } from './errors.ts';
import { MICRO, type Micro, type Price, price, type Shares, shares, type Usdc, usdc } from './money.ts';
import { type RoundingMode, roundingStep, roundToMultiple } from './rounding.ts';

export interface ParseOptions {
  /** Round values with more than 6 decimals in this direction instead of throwing. */
  rounding?: RoundingMode;
  /** Accept exponent notation ("1e-6"). Off by default: humans and the venue's strings don't use it. */
  allowExponent?: boolean;
}

export type FormatOptions =
  /** Shortest exact form, padded with zeros to at least `minDecimals` (0..6, default 0). */
  | { minDecimals?: number; decimals?: undefined }
  /** Exactly `decimals` (0..6) decimals, rounded in the given direction. */
  | { decimals: number; rounding: RoundingMode };

const DECIMAL = /^(-)?(\d*)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
const SAFE_DIGITS = 16;

/** Parses a decimal string into micro-units. Throws MoneyError for anything else. */
export function parseMicro(text: string, options: ParseOptions = {}): Micro {
  const m = DECIMAL.exec(text);
  const whole = m?.[2] ?? '';
  const fraction = m?.[3] ?? '';
  if (m === null || (whole === '' && fraction === '')) {
    throw new MoneyError(`not a decimal number: ${show(text)}`, { context: { input: show(text) } });
  }
  const negative = m[1] !== undefined;
  const exponent = m[4];
  if (exponent !== undefined && options.allowExponent !== true) {
    const message = `exponent notation needs { allowExponent: true }: ${show(text)}`;
    throw new MoneyError(message, { context: { input: show(text) } });
  }
  if (exponent === undefined && fraction.length <= 6) {
    // Both terms are exact integers, and a true value beyond 2^53 cannot round back into range.
    const magnitude =
      Number(whole) * MICRO + (fraction === '' ? 0 : Number(fraction) * POW10[6 - fraction.length]!);
    if (!Number.isSafeInteger(magnitude)) throw outOfRange(text);
    return (negative && magnitude !== 0 ? -magnitude : magnitude) as Micro;
  }
  return parseScaled(
    text,
    negative,
    whole + fraction,
    whole.length + Number(exponent ?? 0),
    options.rounding,
  );
}

/**
 * The general path: `digits` with the decimal point after `point` digits (which may lie outside
 * the string), scaled by 1e6 and rounded.
 */
function parseScaled(
  text: string,
  negative: boolean,
  digits: string,
  point: number,
  rounding: RoundingMode | undefined,
): Micro {
  // Leading zeros change neither the integer nor (point - length); trailing ones shift the scale.
  let start = 0;
  while (start < digits.length && digits.charCodeAt(start) === 48) start++;
  let end = digits.length;
  while (end > start && digits.charCodeAt(end - 1) === 48) end--;
  if (start === end) return 0 as Micro;
  const significant = digits.slice(start, end);
  const shift = point - end + 6; // micro = significant * 10^shift
  if (shift >= 0) {
    if (significant.length + shift > SAFE_DIGITS) throw outOfRange(text);
    const magnitude = Number(significant) * 10 ** shift;
    if (!Number.isSafeInteger(magnitude)) throw outOfRange(text);
    return (negative ? -magnitude : magnitude) as Micro;
  }
  if (rounding === undefined) {
    throw new MoneyError(`more than 6 decimals: ${show(text)}; pass a rounding mode to round it`, {
      context: { input: show(text) },
    });
  }
  // Drop the last `dropped` digits; the last significant digit is non-zero, so the dropped part is.
  const dropped = -shift;
  const kept = dropped >= significant.length ? '' : significant.slice(0, significant.length - dropped);
  if (kept.length > SAFE_DIGITS) throw outOfRange(text);
  let half: -1 | 0 | 1;
  if (dropped > significant.length) {
    half = -1; // the first dropped digit is an implied leading zero
  } else {
    const first = significant.charCodeAt(significant.length - dropped);
    half = first < 53 ? -1 : first > 53 ? 1 : dropped > 1 ? 1 : 0;
  }
  const truncated = kept === '' ? 0 : Number(kept);
  const magnitude =
    truncated + roundingStep(rounding, negative ? -1 : 1, half, truncated % 2 !== 0) * (negative ? -1 : 1);
  if (!Number.isSafeInteger(magnitude)) throw outOfRange(text);
  return (negative && magnitude !== 0 ? -magnitude : magnitude) as Micro;
}

export function parseUsdc(text: string, options?: ParseOptions): Usdc {
  return usdc(parseMicro(text, options));
}

export function parseShares(text: string, options?: ParseOptions): Shares {
  return shares(parseMicro(text, options));
}

/** A price 0..1; throws MoneyError outside that range. */
export function parsePrice(text: string, options?: ParseOptions): Price {
  return price(parseMicro(text, options));
}

/**
 * A JS number (e.g. price 0.52 from wire JSON) in micro-units, via its shortest round-trip decimal
 * form, so 0.1 is exactly 100_000 and never 100_000.00000000001. Exact when that form has at most
 * 6 decimals; otherwise rounded in the given direction. Beyond 2^33 (~8.6e9) a double cannot tell
 * neighbouring micro values apart, so large numbers are only as exact as their shortest form.
 */
export function microFromNumber(n: number, rounding: RoundingMode): Micro {
  if (!Number.isFinite(n)) throw new MoneyError(`not a finite number: ${n}`);
  // Fast path: below 2^33 a double's spacing is under 1e-6, so at most one 6-decimal value maps to
  // n; if scaled / MICRO is n, scaled is that value, which is also n's shortest form.
  const scaled = Math.round(n * MICRO);
  if (Math.abs(n) < 2 ** 33 && scaled / MICRO === n) return (scaled === 0 ? 0 : scaled) as Micro;
  return parseMicro(String(n), { allowExponent: true, rounding });
}

/** Formats micro-units as a decimal string: 523000 -> "0.523", -1 -> "-0.000001". */
export function formatMicro(value: number, options: FormatOptions = {}): string {
  if (!Number.isSafeInteger(value)) throw new MoneyError(`not a safe integer micro amount: ${value}`);
  const fixed = options.decimals !== undefined;
  const decimals = options.decimals ?? options.minDecimals ?? 0;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6) {
    throw new MoneyError(`decimals must be an integer in 0..6, got ${decimals}`);
  }
  const shown =
    options.decimals === undefined ? value : roundToMultiple(value, POW10[6 - decimals]!, options.rounding);
  const magnitude = Math.abs(shown);
  // `%` is exact; float division then floor could round up near the top of the safe range.
  const fraction = magnitude % MICRO;
  const whole = (magnitude - fraction) / MICRO;
  let digits = String(fraction).padStart(6, '0');
  let end = decimals;
  if (!fixed) {
    end = 6;
    while (end > decimals && digits.charCodeAt(end - 1) === 48) end--;
  }
  digits = digits.slice(0, end);
  const sign = shown < 0 ? '-' : '';
  return end === 0 ? `${sign}${whole}` : `${sign}${whole}.${digits}`;
}

function outOfRange(text: string): MoneyError {
  return new MoneyError(`outside the safe integer range of micro-units: ${show(text)}`, {
    context: { input: show(text) },
  });
}

/** The input as it may appear in a message: quoted, and cut short if long. */
function show(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}
