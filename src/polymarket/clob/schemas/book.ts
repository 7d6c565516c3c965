/**
 * `GET /book?token_id=` (api-reference.md §4.1): one token's L2 book. Prices and sizes are
 * strings. Levels arrive with the best last: bids ascending, asks descending.
 *
 * Parsing keeps key order only for the declared keys, so check the book `hash` (SHA-1 of the
 * reply as sent) over the raw JSON, not over the parsed value.
 */
import { z } from 'zod';
import {
  bookHashSchema,
  decimalStringSchema,
  epochStringSchema,
  hexIdSchema,
  priceOrEmptySchema,
  priceStringSchema,
  tokenIdSchema,
} from './scalars.ts';

/** One aggregated price level; `size` is the total resting there, in shares. */
export const bookLevelSchema = z.looseObject({
  price: priceStringSchema,
  size: decimalStringSchema,
});
export type BookLevel = z.output<typeof bookLevelSchema>;

/** What the REST reply and the websocket `book` message share. */
export const bookSnapshotFields = {
  /** Condition id. */
  market: hexIdSchema,
  asset_id: tokenIdSchema,
  /** Epoch milliseconds, as a string. */
  timestamp: epochStringSchema,
  hash: bookHashSchema,
  bids: z.array(bookLevelSchema),
  asks: z.array(bookLevelSchema),
};

export const clobBookSchema = z.looseObject({
  ...bookSnapshotFields,
  min_order_size: decimalStringSchema,
  tick_size: priceStringSchema,
  neg_risk: z.boolean(),
  /** "0.420", or "" (-> null) before the first trade. */
  last_trade_price: priceOrEmptySchema,
});
export type ClobBook = z.output<typeof clobBookSchema>;

/** `POST /books`: one summary per requested token. */
export const clobBooksSchema = z.array(clobBookSchema);
