/**
 * The CLOB book `hash`: SHA-1 (hex) of `JSON.stringify` of the `GET /book` reply with `hash: ""`,
 * keys in the reply's order (CCv2 `generateOrderBookSummaryHash`). It reproduces the hash of the
 * real REST captures and is what the simulator puts on REST books, websocket books and every
 * `price_change` entry (the token's book after the change, stamped with the change's time).
 *
 * What a websocket client can and cannot recompute:
 * - it covers `min_order_size` and `neg_risk`, which websocket books lack: a client needs one
 *   REST `/book` per token to know them;
 * - it covers `last_trade_price`, which the post-trade `book` frame lacks and the
 *   `last_trade_price` print may only bring later;
 * - the real service's websocket hashes do not match this formula over the real captures
 *   (`ws_market_book.json` fails with its REST values), so against Polymarket itself the hash
 *   cannot be checked and the feed falls back to the top-of-book check (see consistency.ts).
 */
import { createHash } from 'node:crypto';
import { formatMicro } from '../../core/decimal.ts';
import type { BookSide, OrderBook } from './order-book.ts';
import type { WireLevel } from './wire.ts';

/** The hashed fields other than the levels, as wire text. */
export interface BookHashMeta {
  market: string;
  assetId: string;
  /** The book time in epoch ms, as the wire writes it. */
  timestamp: string;
  minOrderSize: string;
  tickSize: string;
  negRisk: boolean;
  /** "" before the first trade. */
  lastTradePrice: string;
}

export function sha1Hex(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

// Prices repeat endlessly and have at most 1_000_001 values; their text is worth keeping.
const priceTexts = new Map<number, string>();
function priceText(p: number): string {
  let t = priceTexts.get(p);
  if (t === undefined) {
    t = formatMicro(p);
    if (priceTexts.size < 100_000) priceTexts.set(p, t);
  }
  return t;
}

function levelsJson(book: OrderBook, side: BookSide): string {
  let out = '';
  book.forEachWire(side, (price, size) => {
    out += `${out === '' ? '' : ','}{"price":"${priceText(price)}","size":"${formatMicro(size)}"}`;
  });
  return out;
}

function summaryJson(meta: BookHashMeta, bids: string, asks: string): string {
  return (
    `{"market":${JSON.stringify(meta.market)},"asset_id":${JSON.stringify(meta.assetId)}` +
    `,"timestamp":${JSON.stringify(meta.timestamp)},"hash":"","bids":[${bids}],"asks":[${asks}]` +
    `,"min_order_size":${JSON.stringify(meta.minOrderSize)},"tick_size":${JSON.stringify(meta.tickSize)}` +
    `,"neg_risk":${meta.negRisk},"last_trade_price":${JSON.stringify(meta.lastTradePrice)}}`
  );
}

/** The hash the CLOB would give `book` with these other fields. */
export function bookHash(book: OrderBook, meta: BookHashMeta): string {
  return sha1Hex(summaryJson(meta, levelsJson(book, 'bid'), levelsJson(book, 'ask')));
}

/** The hash of a `/book` reply as received (its wire texts), e.g. to check a REST snapshot. */
export function wireBookHash(
  meta: BookHashMeta,
  bids: readonly WireLevel[],
  asks: readonly WireLevel[],
): string {
  const json = (levels: readonly WireLevel[]) =>
    levels.map((l) => `{"price":${JSON.stringify(l.price)},"size":${JSON.stringify(l.size)}}`).join(',');
  return sha1Hex(summaryJson(meta, json(bids), json(asks)));
}
