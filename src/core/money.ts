/**
 * Fixed-point money: prices, share sizes and USDC/pUSD amounts as integers in micro-units (1e-6)
 * held in `number`s that are always safe integers. Brands keep units apart at compile time.
 *
 * Which rounding where:
 * - never sell more than is held: share sizes of sells round `floor`;
 * - a buy sized from a budget rounds shares `floor` (`sharesFor`), so it never costs more than the
 *   budget; a cost that must be covered (reserving cash for a buy) rounds `ceil` (`notional`);
 * - fees are truncated (`trunc`);
 * - limit prices round to the tick conservatively: a buy `floor` (never pay more than intended), a
 *   sell `ceil` (never sell for less).
 */
import { MoneyError } from './errors.ts';
import { mulDiv, type RoundingMode, roundToMultiple } from './rounding.ts';

/** Micro-units per whole unit: 1_000_000 micro = $1 = one share = a price of 1. */
export const MICRO = 1_000_000;

declare const unitBrand: unique symbol;

/** A safe integer count of micro-units of `Unit`. Plain `Micro` is unit-less. */
export type Micro<Unit extends string = string> = number & { readonly [unitBrand]: Unit };
/** USDC/pUSD amount in micro-dollars. Signed (PnL, cash deltas). */
export type Usdc = Micro<'usdc'>;
/** Outcome token amount in micro-shares. Signed (position deltas). */
export type Shares = Micro<'shares'>;
/** Price of one share in micro-dollars, 0..1_000_000. */
export type Price = Micro<'price'>;

export function micro(n: number): Micro {
  if (!Number.isSafeInteger(n)) throw new MoneyError(`not a safe integer micro amount: ${n}`);
  return n as Micro;
}

export function usdc(n: number): Usdc {
  return micro(n) as Usdc;
}

export function shares(n: number): Shares {
  return micro(n) as Shares;
}

export function price(n: number): Price {
  if (!Number.isSafeInteger(n) || n < 0 || n > MICRO) {
    throw new MoneyError(`price must be an integer in 0..${MICRO} micro, got ${n}`);
  }
  return n as Price;
}

/** Polymarket order sizes have 2 decimals: 0.01 share. */
export const SHARE_LOT: Shares = shares(10_000);

export function add<T extends Micro>(a: T, b: T): T {
  const r = a + b;
  if (!Number.isSafeInteger(r))
    throw new MoneyError('sum is outside the safe integer range', { context: { a, b } });
  return r as T;
}

export function sub<T extends Micro>(a: T, b: T): T {
  const r = a - b;
  if (!Number.isSafeInteger(r)) {
    throw new MoneyError('difference is outside the safe integer range', { context: { a, b } });
  }
  return r as T;
}

/** Sum of amounts of one unit; 0 for none. */
export function sum<T extends Micro>(values: Iterable<T>): T {
  let total = 0;
  for (const v of values) {
    total += v;
    // Checking each step keeps every partial sum exact.
    if (!Number.isSafeInteger(total)) throw new MoneyError('sum is outside the safe integer range');
  }
  return total as T;
}

/** Cash value of `size` shares at `p`: size * p / 1e6. */
export function notional(size: Shares, p: Price, rounding: RoundingMode): Usdc {
  return mulDiv(size, p, MICRO, rounding) as Usdc;
}

/** Shares that `amount` buys at `p`: amount * 1e6 / p. Throws MoneyError for a price of 0. */
export function sharesFor(amount: Usdc, p: Price, rounding: RoundingMode): Shares {
  if (p === 0) throw new MoneyError('cannot size shares at a price of 0');
  return mulDiv(amount, MICRO, p, rounding) as Shares;
}

/** `size` rounded to a multiple of `lot` (e.g. SHARE_LOT). */
export function roundToLot(size: Shares, lot: Shares, rounding: RoundingMode): Shares {
  return roundToMultiple(size, lot, rounding) as Shares;
}

/** The price of the other outcome of a binary market: 1 - p. */
export function complement(p: Price): Price {
  return (MICRO - p) as Price;
}
