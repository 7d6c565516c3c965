/**
 * What a taker order would get from a book: walk the opposite side from the best level until the
 * requested amount is reached, the limit price stops it or the book runs out. Pure and exact; the
 * paper broker fills with it and the risk gate prices with it.
 *
 * Rounding (each level's cash is rounded on its own, so the total is the sum of the fills):
 * - BUY: a level's cost rounds `ceil`, so a buy never under-counts what it pays;
 * - SELL: a level's proceeds round `floor`, so a sell never over-counts what it receives.
 * Share amounts are exact micro-shares (no lot rounding: the venue fills makers' exact sizes).
 */
import { MoneyError } from '../../core/errors.ts';
import { MICRO, notional, type Price, type Shares, sharesFor, type Usdc } from '../../core/money.ts';
import type { BookView, Level } from './order-book.ts';

/** The taker's side: a BUY consumes asks, a SELL consumes bids. */
export type TakerSide = 'BUY' | 'SELL';

/**
 * How much to take. `shares`: that many shares. `usdc`: for a BUY, spend at most that much; for a
 * SELL, sell the fewest shares that raise that much. With both, the walk stops at whichever is
 * reached first. At least one is required.
 */
export interface WalkTarget {
  shares?: Shares;
  usdc?: Usdc;
}

export interface Fill {
  price: Price;
  shares: Shares;
  /** This fill's cash: its cost for a BUY (rounded up), its proceeds for a SELL (rounded down). */
  usdc: Usdc;
}

export interface WalkResult {
  filledShares: Shares;
  /** The sum of the fills' `usdc`: paid for a BUY, received for a SELL. */
  costUsdc: Usdc;
  /**
   * The share-weighted price of the fills, exact before rounding (up for a BUY, down for a SELL),
   * so it lies between the best and the worst level used. Null when nothing filled.
   */
  avgPrice: Price | null;
  /** The last (worst) level used; null when nothing filled. */
  worstPrice: Price | null;
  levelsUsed: number;
  fills: Fill[];
  /** The target was reached; false when the book ran out or the limit stopped the walk. */
  complete: boolean;
}

function checkAmount(value: number | undefined, name: string): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new MoneyError(`walk ${name} must be a non-negative safe integer, got ${value}`);
  }
}

/** Whether a level at `price` may be taken under `limit`. */
function withinLimit(side: TakerSide, price: number, limit: number): boolean {
  return side === 'BUY' ? price <= limit : price >= limit;
}

/**
 * Walks `levels` (the side a `side` order consumes: asks for a BUY, bids for a SELL) best first,
 * as `OrderBook.levels` returns them. Throws MoneyError when the levels are not best-first or
 * the target is missing or negative.
 */
export function walkBook(
  levels: readonly Level[],
  side: TakerSide,
  target: WalkTarget,
  limitPrice: Price,
): WalkResult {
  const wantShares = target.shares;
  const wantUsdc = target.usdc;
  if (wantShares === undefined && wantUsdc === undefined) {
    throw new MoneyError('walkBook needs a target: shares, usdc or both');
  }
  checkAmount(wantShares, 'shares');
  checkAmount(wantUsdc, 'usdc');
  const buy = side === 'BUY';
  let leftShares = wantShares ?? Number.POSITIVE_INFINITY;
  let leftUsdc = wantUsdc ?? Number.POSITIVE_INFINITY;
  const fills: Fill[] = [];
  let filled = 0;
  let cash = 0;
  // The exact notional sum(shares * price) / MICRO as whole micro-USDC plus a remainder in
  // micro-micro, so the average price is exact without a big product per level.
  let exactWhole = 0;
  let exactRem = 0;
  let previous = -1;

  for (let i = 0; i < levels.length && leftShares > 0 && leftUsdc > 0; i++) {
    const level = levels[i]!;
    const p = level.price;
    if (previous >= 0 && (buy ? p <= previous : p >= previous)) {
      throw new MoneyError(`walkBook levels are not best-first at index ${i} (price ${p} after ${previous})`);
    }
    previous = p;
    if (!withinLimit(side, p, limitPrice)) break;
    let take = Math.min(level.size, leftShares);
    if (leftUsdc !== Number.POSITIVE_INFINITY) {
      if (p === 0) {
        // Free shares fit any budget; selling them raises nothing toward a USDC target.
        if (!buy) break;
      } else {
        // BUY: the most shares the budget covers; SELL: the fewest that raise what is left.
        const bound = sharesFor(leftUsdc as Usdc, p, buy ? 'floor' : 'ceil');
        take = Math.min(take, bound);
      }
    }
    if (take <= 0) break;
    const usdc = notional(take as Shares, p, buy ? 'ceil' : 'floor');
    fills.push({ price: p, shares: take as Shares, usdc });
    filled += take;
    cash += usdc;
    leftShares -= take;
    leftUsdc -= usdc;
    const product = take * p;
    if (Number.isSafeInteger(product)) {
      exactRem += product % MICRO;
      exactWhole += (product - (product % MICRO)) / MICRO;
    } else {
      const big = BigInt(take) * BigInt(p);
      exactRem += Number(big % BigInt(MICRO));
      exactWhole += Number(big / BigInt(MICRO));
    }
    if (exactRem >= MICRO) {
      exactWhole += Math.floor(exactRem / MICRO);
      exactRem %= MICRO;
    }
  }

  if (!Number.isSafeInteger(filled) || !Number.isSafeInteger(cash)) {
    throw new MoneyError('walk totals are outside the safe integer range');
  }
  const complete = leftShares <= 0 || leftUsdc <= 0;
  const last = fills[fills.length - 1];
  return {
    filledShares: filled as Shares,
    costUsdc: cash as Usdc,
    avgPrice: filled === 0 ? null : averagePrice(exactWhole, exactRem, filled, buy),
    worstPrice: last === undefined ? null : last.price,
    levelsUsed: fills.length,
    fills,
    complete,
  };
}

/**
 * sum(shares * price) / filled, with the sum given as `whole * MICRO + rem`; rounded up for a buy
 * and down for a sell.
 */
function averagePrice(whole: number, rem: number, filled: number, buy: boolean): Price {
  const num = BigInt(whole) * BigInt(MICRO) + BigInt(rem);
  const den = BigInt(filled);
  let q = num / den;
  if (buy && q * den !== num) q += 1n;
  return Number(q) as Price;
}

/**
 * The cash that sweeping every level within the limit would take: for a BUY (walking asks) what
 * it would cost, for a SELL (walking bids) what it would raise. Rounded per level as `walkBook`
 * rounds, so it equals the `costUsdc` of a walk for all the shares within the limit.
 */
export function depthWithin(levels: readonly Level[], side: TakerSide, limitPrice: Price): Usdc {
  const buy = side === 'BUY';
  let total = 0;
  for (const level of levels) {
    if (!withinLimit(side, level.price, limitPrice)) break;
    total += notional(level.size, level.price, buy ? 'ceil' : 'floor');
  }
  if (!Number.isSafeInteger(total)) throw new MoneyError('depth is outside the safe integer range');
  return total as Usdc;
}

/** `walkBook` over a live book: a BUY walks its asks, a SELL its bids. */
export function walkOrderBook(
  book: BookView,
  side: TakerSide,
  target: WalkTarget,
  limitPrice: Price,
): WalkResult {
  return walkBook(book.levels(side === 'BUY' ? 'ask' : 'bid'), side, target, limitPrice);
}
