/**
 * Exact arithmetic the matcher needs beyond src/core: share quanta that settle to whole micro-units,
 * prices of either token from the YES book, and exact ratios of an order's two amounts.
 */
import { MICRO, type Micro, mulDiv, type Price, type Shares, type TickSize } from '../../core/index.ts';
import type { OutcomeIndex } from './types.ts';

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/**
 * The smallest share amount whose cost at `p` is a whole number of micro-units: fills are always a
 * multiple of it, so no cash leg is ever rounded. 100 (0.0001 share) for any cent price, at most
 * 10_000 (0.01 share) for any price on a 0.0001 grid. Equal for p and 1 - p.
 */
export function fillQuantum(p: Price): Shares {
  return (MICRO / gcd(p, MICRO)) as Shares;
}

/**
 * The quantum that fits every price on a tick grid (1e6 / tick): market BUYs fill in multiples of
 * it, which keeps every order's remainder a multiple of every on-grid price's quantum.
 */
export function gridQuantum(tick: TickSize): Shares {
  return (MICRO / tick) as Shares;
}

export function floorToMultiple(x: number, unit: number): number {
  return x - (x % unit);
}

/** A token's price given the YES price: YES pays p, NO pays 1 - p. */
export function ownPrice(yesPrice: Price, outcome: OutcomeIndex): Price {
  return (outcome === 0 ? yesPrice : MICRO - yesPrice) as Price;
}

/** The YES price equivalent to a price of `outcome`'s token (the same map both ways). */
export const yesPriceOf = ownPrice;

/** Whether `amount` has at most `decimals` decimals (of 6). */
export function hasDecimals(amount: Micro, decimals: number): boolean {
  return amount % 10 ** (6 - decimals) === 0;
}

/** Decimals of a tick size: 10_000 (0.01) -> 2. */
export function tickDecimals(tick: TickSize): number {
  let d = 6;
  let t = tick as number;
  while (d > 0 && t % 10 === 0) {
    t /= 10;
    d--;
  }
  return d;
}

/**
 * Decimals the CLOB allows in a market order's computed amount: CCv2's ROUNDING_CONFIG `amount`,
 * which is the tick's decimals plus 2 for every tick it lists (0.01 -> 4, 0.001 -> 5).
 */
export function amountDecimals(tick: TickSize): number {
  return Math.min(6, tickDecimals(tick) + 2);
}

/** num / den as a price in micro-units, rounded in the given direction. */
export function ratioPrice(num: Micro, den: Micro, rounding: 'floor' | 'ceil'): number {
  return mulDiv(num, MICRO, den, rounding);
}

/** Whether num / den is exactly a whole number of micro-units. */
export function isExactRatio(num: Micro, den: Micro): boolean {
  return mulDiv(num, MICRO, den, 'floor') === mulDiv(num, MICRO, den, 'ceil');
}

/** num / den as decimal text, cut after `maxDecimals` digits (for messages only). */
export function ratioText(num: number, den: number, maxDecimals = 15): string {
  const n = BigInt(num);
  const d = BigInt(den);
  const whole = n / d;
  let rest = n % d;
  let digits = '';
  for (let i = 0; i < maxDecimals && rest !== 0n; i++) {
    rest *= 10n;
    digits += String(rest / d);
    rest %= d;
  }
  return digits === '' ? String(whole) : `${whole}.${digits}`;
}
