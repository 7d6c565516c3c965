/**
 * The market channel's core messages, key for key in the order of the real captures (whalescan
 * `clob_ws.json`, NT `ws_market_price_change_crossing_burst.json`):
 * - `book` on subscribe: the REST `/book` reply without `min_order_size` and `neg_risk` (real WS
 *   frames lack both), same hash;
 * - `book` after a trade: only `market, asset_id, bids, asks, hash, timestamp` (the real post-trade
 *   frame carries no `tick_size` or `last_trade_price`);
 * - `price_change`: one message per changed level, holding that level and its mirror on the other
 *   token, each with the token's hash and top of book after the whole operation (as in every real
 *   capture, where a crossing order's levels arrive as several messages sharing one hash);
 * - `last_trade_price` and `tick_size_change`.
 */
import type {
  BookChangedEvent,
  BookSummary,
  LastTradePriceEvent,
  PriceLevelChange,
  TickSizeChangedEvent,
} from '../../engine/index.ts';
import { decimalText, feeRateBpsText, msText, optionalPriceText } from './wire-values.ts';

export interface WsBookMessage {
  market: string;
  asset_id: string;
  timestamp: string;
  hash: string;
  bids: { price: string; size: string }[];
  asks: { price: string; size: string }[];
  tick_size?: string;
  event_type: 'book';
  last_trade_price?: string;
}

/** The snapshot sent on subscribe. */
export function subscribeBookMessage(book: BookSummary): WsBookMessage {
  return {
    market: book.market,
    asset_id: book.asset_id,
    timestamp: book.timestamp,
    hash: book.hash,
    bids: book.bids,
    asks: book.asks,
    tick_size: book.tick_size,
    event_type: 'book',
    last_trade_price: book.last_trade_price,
  };
}

/** The snapshot the real channel sends after a trade changed the book. */
export function tradeBookMessage(book: BookSummary): Record<string, unknown> {
  return {
    market: book.market,
    asset_id: book.asset_id,
    bids: book.bids,
    asks: book.asks,
    hash: book.hash,
    timestamp: book.timestamp,
    event_type: 'book',
  };
}

function priceChangeEntry(c: PriceLevelChange): Record<string, string> {
  return {
    asset_id: c.tokenId,
    price: decimalText(c.price),
    size: decimalText(c.size),
    side: c.side,
    hash: c.hash,
    best_bid: optionalPriceText(c.bestBid),
    best_ask: optionalPriceText(c.bestAsk),
  };
}

export interface PriceChangeMessage {
  /** The asset ids the message names (both tokens of the market). */
  assetIds: string[];
  message: Record<string, unknown>;
}

/**
 * One `price_change` per changed level. The engine lists each YES level followed by its mirror
 * on NO (`changedLevels`), so consecutive pairs are one level.
 */
export function priceChangeMessages(event: BookChangedEvent): PriceChangeMessage[] {
  const out: PriceChangeMessage[] = [];
  for (let i = 0; i < event.changes.length; i += 2) {
    const pair = event.changes.slice(i, i + 2);
    out.push({
      assetIds: pair.map((c) => c.tokenId),
      message: {
        market: event.market,
        price_changes: pair.map(priceChangeEntry),
        timestamp: msText(event.timestamp),
        event_type: 'price_change',
      },
    });
  }
  return out;
}

/** `transaction_hash` is the settling transaction's, "" if settlement never produced one. */
export function lastTradePriceMessage(event: LastTradePriceEvent, txHash: string): Record<string, string> {
  return {
    market: event.market,
    asset_id: event.tokenId,
    price: decimalText(event.price),
    size: decimalText(event.size),
    fee_rate_bps: feeRateBpsText(event.feeRate),
    side: event.side,
    timestamp: msText(event.timestamp),
    event_type: 'last_trade_price',
    transaction_hash: txHash,
  };
}

export function tickSizeChangeMessage(event: TickSizeChangedEvent): Record<string, string> {
  return {
    event_type: 'tick_size_change',
    asset_id: event.tokenId,
    market: event.market,
    old_tick_size: decimalText(event.oldTickSize),
    new_tick_size: decimalText(event.newTickSize),
    timestamp: msText(event.timestamp),
  };
}
