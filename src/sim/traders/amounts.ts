/**
 * Order amounts from a price and a size, as CLOB V2's official client derives them (reference
 * 4.4): limit orders give whole 0.01-share sizes at an on-tick price; market orders (FOK, FAK) give
 * a 2-decimal maker amount (pUSD of a BUY, shares of a SELL) and a taker amount cut to the tick's
 * `amount` decimals. Also the client's default market price: the level where the book's depth
 * covers the amount.
 */
import {
  MICRO,
  type Micro,
  mulDiv,
  type Price,
  roundToMultiple,
  SHARE_LOT,
  type Shares,
  type TickSize,
  type Usdc,
} from '../../core/index.ts';
import type { BookLevel, BookLevels, Side } from '../engine/index.ts';
import { TraderError } from './errors.ts';

export interface OrderAmounts {
  makerAmount: Micro;
  takerAmount: Micro;
}

/** A market order's given amount has at most 2 decimals: whole cents or 0.01 shares. */
export const CENT = 10_000 as Usdc;

/** Decimals of a tick size: 10_000 (0.01) -> 2. */
function tickDecimals(tick: TickSize): number {
  let d = 6;
  for (let t = tick as number; d > 0 && t % 10 === 0; t /= 10) d--;
  return d;
}

/** CCv2 ROUNDING_CONFIG `amount`: the tick's decimals plus 2 (0.01 -> 4, 0.001 -> 5). */
export function amountUnit(tick: TickSize): number {
  return 10 ** (6 - Math.min(6, tickDecimals(tick) + 2));
}

export function floorLot(size: number): Shares {
  return roundToMultiple(Math.max(0, size), SHARE_LOT, 'floor') as Shares;
}

/** A resting (GTC/GTD) order for `size` shares at `price`: both amounts exact. */
export function limitAmounts(side: Side, price: Price, size: Shares): OrderAmounts {
  if (size <= 0 || size % SHARE_LOT !== 0)
    throw new TraderError(`limit size ${size} is not whole 0.01 shares`);
  const cash = mulDiv(size, price, MICRO, 'floor');
  if (mulDiv(size, price, MICRO, 'ceil') !== cash) {
    throw new TraderError(`size ${size} at ${price} does not cost whole micro-units`);
  }
  return side === 'BUY'
    ? { makerAmount: cash as Micro, takerAmount: size as number as Micro }
    : { makerAmount: size as number as Micro, takerAmount: cash as Micro };
}

/**
 * A market order: BUY `amount` pUSD, or SELL `amount` shares, no worse than `price`. The given
 * amount is cut to 2 decimals and the other rounded down, so the implied limit is never tighter
 * than `price` for a BUY (a little looser, by rounding) and never looser for a SELL's proceeds.
 */
export function marketAmounts(side: Side, amount: Micro, price: Price, tick: TickSize): OrderAmounts {
  const given = roundToMultiple(amount, CENT, 'floor');
  if (given <= 0) throw new TraderError(`market ${side} amount ${amount} is below 0.01`);
  if (price <= 0 || price >= MICRO) throw new TraderError(`market ${side} price ${price} is outside 0..1`);
  const unit = amountUnit(tick);
  const other =
    side === 'BUY'
      ? roundToMultiple(mulDiv(given, MICRO, price, 'floor'), unit, 'floor')
      : roundToMultiple(mulDiv(given, price, MICRO, 'floor'), unit, 'floor');
  if (other <= 0 || (side === 'BUY' && other <= given)) {
    throw new TraderError(`market ${side} of ${given} at ${price} has no valid amounts`);
  }
  return { makerAmount: given as Micro, takerAmount: other as Micro };
}

/** Where a market order's amount is covered: the price to send and whether the book had enough. */
export interface MarketPrice {
  price: Price;
  covered: boolean;
}

/**
 * CCv2's `calculateBuyMarketPrice` / `calculateSellMarketPrice`: walk the opposite side from the
 * best level, summing pUSD (BUY, `amount` in pUSD) or shares (SELL, `amount` in shares), and take
 * the level that covers the amount; if none does, the worst level (a FAK then fills what there
 * is, a FOK is killed by the venue). Null for an empty side.
 */
export function marketPrice(levels: BookLevels, side: Side, amount: Micro): MarketPrice | null {
  const opposite = side === 'BUY' ? levels.asks : levels.bids;
  let total = 0;
  for (let i = opposite.length - 1; i >= 0; i--) {
    const level = opposite[i]!;
    total += side === 'BUY' ? mulDiv(level.size, level.price, MICRO, 'floor') : level.size;
    if (total >= amount) return { price: level.price, covered: true };
  }
  const worst = opposite[0];
  return worst === undefined ? null : { price: worst.price, covered: false };
}

/**
 * The size that takes the best `count` levels of the opposite side (pUSD for a BUY, rounded down
 * to cents so the budget ends inside the last level; shares for a SELL) and the last level's price.
 */
export function sweepSize(
  levels: BookLevels,
  side: Side,
  count: number,
): { amount: Micro; price: Price } | null {
  const opposite: readonly BookLevel[] = side === 'BUY' ? levels.asks : levels.bids;
  const taken = opposite.slice(Math.max(0, opposite.length - count));
  const last = taken[0];
  if (last === undefined) return null;
  let amount = 0;
  for (const level of taken)
    amount += side === 'BUY' ? mulDiv(level.size, level.price, MICRO, 'floor') : level.size;
  const unit = side === 'BUY' ? CENT : SHARE_LOT;
  return { amount: roundToMultiple(amount, unit, 'floor') as Micro, price: last.price };
}
