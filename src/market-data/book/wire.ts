/**
 * Wire text <-> book values: the CLOB writes prices and sizes as decimal strings, and its book
 * hash covers them as it prints them (shortest exact form: "0.4", "59088.47").
 */
import { formatMicro, parsePrice, parseShares } from '../../core/decimal.ts';
import type { Price } from '../../core/money.ts';
import type { BookSide, Level } from './order-book.ts';

export interface WireLevel {
  price: string;
  size: string;
}

/** Wire levels as micro values. Throws MoneyError for a value with more than 6 decimals or out of range. */
export function levelsFromWire(levels: readonly WireLevel[]): Level[] {
  const out: Level[] = new Array(levels.length);
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i]!;
    out[i] = { price: parsePrice(l.price), size: parseShares(l.size) };
  }
  return out;
}

/** A `price_change` side: BUY changes a bid level, SELL an ask level. */
export function bookSideOf(side: 'BUY' | 'SELL'): BookSide {
  return side === 'BUY' ? 'bid' : 'ask';
}

/** A book's `last_trade_price` as the CLOB prints it: at least 3 decimals ("0.420"). */
export function lastTradePriceText(p: Price): string {
  return formatMicro(p, { minDecimals: 3 });
}
