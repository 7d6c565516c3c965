/**
 * Is a book still what the server has? Checked once an operation's changes have all arrived (one
 * order that crosses several levels arrives as several `price_change` messages, each carrying the
 * hash and top of book after the whole operation, so a check mid-way would fail falsely).
 *
 * Checks, cheapest first:
 * - top of book: the last entry's `best_bid` / `best_ask` (current format) equal ours;
 * - not crossed: best bid < best ask;
 * - hash: our book's hash (book-hash.ts) equals the server's, when every hashed field is known.
 *   `policy` says what a mismatch means: `enforce` (the hash is known to be reproducible here: a
 *   mismatch is an inconsistency), `observe` (not yet shown to be: only counted), `off`.
 */
import { type BookHashMeta, bookHash } from './book-hash.ts';
import type { OrderBook } from './order-book.ts';

/** What the last change of an operation said the book would be afterwards. */
export interface Expectation {
  /** The server's hash after the operation, when the message had one. */
  hash: string | undefined;
  /** Top of book after the operation; undefined when the message did not say (legacy format). */
  bestBid: number | null | undefined;
  bestAsk: number | null | undefined;
  /** The operation's time as the wire wrote it (the hash covers it). */
  timestamp: string;
}

/** The hashed fields a websocket client learns piecemeal; null while unknown. */
export interface TokenMeta {
  minOrderSize: string | null;
  negRisk: boolean | null;
  tickSize: string | null;
  /** "" before the first trade; null when a trade happened whose price has not arrived. */
  lastTradePrice: string | null;
}

export type HashPolicy = 'enforce' | 'observe' | 'off';
export type Inconsistency = 'top_of_book' | 'crossed' | 'hash';
export type HashVerdict = 'match' | 'mismatch' | 'skipped';

export interface CheckOutcome {
  problem: Inconsistency | null;
  hash: HashVerdict;
}

/** Every hashed field but the levels, or null while one is unknown. */
export function hashMetaOf(book: OrderBook, meta: TokenMeta, timestamp: string): BookHashMeta | null {
  const { minOrderSize, negRisk, tickSize, lastTradePrice } = meta;
  if (book.market === null || minOrderSize === null || negRisk === null) return null;
  if (tickSize === null || lastTradePrice === null) return null;
  return {
    market: book.market,
    assetId: book.tokenId,
    timestamp,
    minOrderSize,
    tickSize,
    negRisk,
    lastTradePrice,
  };
}

/** Compares our hash with `expected` when it can; `skipped` when a field or the server hash is missing. */
export function compareHash(
  book: OrderBook,
  meta: TokenMeta,
  expected: string | undefined,
  timestamp: string,
): HashVerdict {
  if (expected === undefined) return 'skipped';
  const fields = hashMetaOf(book, meta, timestamp);
  if (fields === null) return 'skipped';
  return bookHash(book, fields) === expected.toLowerCase() ? 'match' : 'mismatch';
}

export function checkBook(
  book: OrderBook,
  expected: Expectation,
  meta: TokenMeta,
  policy: HashPolicy,
): CheckOutcome {
  const bid = book.bestBidPrice();
  const ask = book.bestAskPrice();
  if (
    (expected.bestBid !== undefined && expected.bestBid !== bid) ||
    (expected.bestAsk !== undefined && expected.bestAsk !== ask)
  ) {
    return { problem: 'top_of_book', hash: 'skipped' };
  }
  if (bid !== null && ask !== null && bid >= ask) return { problem: 'crossed', hash: 'skipped' };
  if (policy === 'off') return { problem: null, hash: 'skipped' };
  const hash = compareHash(book, meta, expected.hash, expected.timestamp);
  return { problem: hash === 'mismatch' && policy === 'enforce' ? 'hash' : null, hash };
}
