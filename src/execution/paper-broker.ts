/**
 * Paper execution: what an order would have got from the book at that moment, honestly. A taker
 * order walks the opposite side up to its limit (FOK all or nothing, FAK takes what is there, GTC
 * takes what is there and rests the rest), paying the venue's taker fee per fill. A resting GTC
 * fills later only when the book crosses its limit, at its limit and without a fee, as a maker
 * would. Only when no book exists at all (not merely an empty side) does a fill fall back to the
 * leader's price, and the fill says so.
 */
import type { Micro, Price, Shares, Usdc } from '../core/money.ts';
import type { Level } from '../market-data/book/index.ts';
import { walkBook } from '../market-data/book/index.ts';
import { takerFee } from '../polymarket/fees.ts';
import type { FillPriceSource, OrderStatus } from '../store/index.ts';

export type PaperOrderType = 'FAK' | 'FOK' | 'GTC';

export interface PaperOrder {
  side: 'BUY' | 'SELL';
  size: Shares;
  limitPrice: Price;
  orderType: PaperOrderType;
}

export interface PaperFill {
  price: Price;
  shares: Shares;
  fee: Usdc;
  priceSource: FillPriceSource;
}

export interface PaperExecution {
  /** FILLED; PARTIAL (FAK: the rest cancelled; GTC: the rest rests); LIVE (GTC, nothing yet); CANCELLED (nothing filled). */
  status: Extract<OrderStatus, 'FILLED' | 'PARTIAL' | 'LIVE' | 'CANCELLED'>;
  fills: PaperFill[];
  filledShares: Shares;
  /** GTC only: what keeps resting. */
  restingShares: Shares;
  /** Why nothing (or not all) filled, in a sentence; null when filled. */
  note: string | null;
}

/** The side a taker order consumes: a BUY takes asks, a SELL takes bids. */
export interface PaperBook {
  bids: readonly Level[];
  asks: readonly Level[];
}

/**
 * Executes a new order. `book` null means the market has no book at all; then the leader's price,
 * if given and within the limit, fills the whole order (marked `leader_fallback`).
 */
export function executePaper(
  order: PaperOrder,
  book: PaperBook | null,
  feeRate: number,
  fallbackPrice: Price | null,
): PaperExecution {
  if (book === null) return fallbackFill(order, feeRate, fallbackPrice);
  const levels = order.side === 'BUY' ? book.asks : book.bids;
  const walk = walkBook(levels, order.side, { shares: order.size }, order.limitPrice);
  if (order.orderType === 'FOK' && !walk.complete) {
    return nothingFilled(
      'CANCELLED',
      `FOK killed: the book holds ${walk.filledShares} of ${order.size} micro-shares within the limit`,
    );
  }
  const fills = walk.fills.map((f) => ({
    price: f.price,
    shares: f.shares,
    fee: takerFee(f.shares, f.price, feeRate as Micro),
    priceSource: 'book' as const,
  }));
  const rest = (order.size - walk.filledShares) as Shares;
  if (rest === 0)
    return {
      status: 'FILLED',
      fills,
      filledShares: walk.filledShares,
      restingShares: 0 as Shares,
      note: null,
    };
  if (order.orderType === 'GTC') {
    return {
      status: fills.length > 0 ? 'PARTIAL' : 'LIVE',
      fills,
      filledShares: walk.filledShares,
      restingShares: rest,
      note: `${rest} micro-shares rest at the limit`,
    };
  }
  if (fills.length === 0) return nothingFilled('CANCELLED', 'FAK: nothing within the limit');
  return {
    status: 'PARTIAL',
    fills,
    filledShares: walk.filledShares,
    restingShares: 0 as Shares,
    note: `FAK: ${walk.filledShares} of ${order.size} micro-shares within the limit, the rest cancelled`,
  };
}

/**
 * A resting GTC order against the current book: it fills (at its own limit, as a maker: no fee)
 * as far as the opposite side has crossed it.
 */
export function matchResting(
  side: 'BUY' | 'SELL',
  remaining: Shares,
  limitPrice: Price,
  book: PaperBook,
): PaperFill | null {
  const levels = side === 'BUY' ? book.asks : book.bids;
  let crossed = 0;
  for (const l of levels) {
    if (side === 'BUY' ? l.price > limitPrice : l.price < limitPrice) break;
    crossed += l.size;
    if (crossed >= remaining) break;
  }
  const shares = Math.min(crossed, remaining) as Shares;
  return shares === 0 ? null : { price: limitPrice, shares, fee: 0 as Usdc, priceSource: 'book' };
}

function fallbackFill(order: PaperOrder, feeRate: number, fallbackPrice: Price | null): PaperExecution {
  if (fallbackPrice === null) return nothingFilled('CANCELLED', 'no order book and no leader price');
  const within = order.side === 'BUY' ? fallbackPrice <= order.limitPrice : fallbackPrice >= order.limitPrice;
  if (!within) return nothingFilled('CANCELLED', 'no order book, and the leader’s price is beyond the limit');
  return {
    status: 'FILLED',
    fills: [
      {
        price: fallbackPrice,
        shares: order.size,
        fee: takerFee(order.size, fallbackPrice, feeRate as Micro),
        priceSource: 'leader_fallback',
      },
    ],
    filledShares: order.size,
    restingShares: 0 as Shares,
    note: 'no order book: filled at the leader’s price',
  };
}

function nothingFilled(status: 'CANCELLED', note: string): PaperExecution {
  return { status, fills: [], filledShares: 0 as Shares, restingShares: 0 as Shares, note };
}
