/**
 * The venue's wire shapes (already validated at the adapter: the user channel by its zod schemas,
 * REST replies by theirs) turned into the plain data reconciliation works on: decimal strings to
 * micro-units, "" to null, epoch texts to ms.
 */

import { parseMicro } from '../../core/decimal.ts';
import { ValidationError } from '../../core/errors.ts';
import type { Micro, Price, Shares } from '../../core/money.ts';
import type { WsUserMessage, WsUserOrderMessage } from '../../polymarket/clob/index.ts';
import type { UserEvent, UserOrderEvent, VenueOrder, VenueTrade, VenueTradeStatus } from './types.ts';

const VENUE_TRADE_STATUSES: readonly string[] = ['MATCHED', 'MINED', 'CONFIRMED', 'RETRYING', 'FAILED'];

/** Epoch seconds beyond this are milliseconds (year 5138 in seconds). */
const MAX_EPOCH_SECONDS = 99_999_999_999;

/** An epoch time as the venue writes it, seconds or milliseconds (the user channel uses both), in ms. */
export function epochMsOf(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new ValidationError(`not an epoch time: ${text}`);
  return n > MAX_EPOCH_SECONDS ? n : n * 1000;
}

/** A trade as `/data/trades` and the user channel's `trade` message both write it. */
export interface TradeWire {
  id: string;
  taker_order_id: string;
  size: string;
  price: string;
  status: string;
  maker_orders: readonly { order_id: string; matched_amount: string; price: string }[];
  /** Seconds; the user channel's docs spell it `matchtime`. */
  match_time?: string | undefined;
  matchtime?: string | undefined;
  transaction_hash?: string | null | undefined;
}

/** An order as `/data/orders` and `/data/order/<hash>` write it. */
export interface OpenOrderWire {
  id: string;
  status: string;
  original_size: string;
  /** "" on some cancellations. */
  size_matched: string | null;
  /** Unix seconds as a string, "0" for none. */
  expiration?: string | undefined;
}

const sharesOf = (text: string) => parseMicro(text) as Shares;
// A taker's price is an average the venue may write with more than six decimals.
const priceOf = (text: string) => parseMicro(text, { rounding: 'halfUp' }) as Price;
const emptyToNull = (text: string | null | undefined) => (text === undefined || text === '' ? null : text);

export function venueTradeFromWire(t: TradeWire): VenueTrade {
  if (!VENUE_TRADE_STATUSES.includes(t.status)) {
    throw new ValidationError(`trade ${t.id}: unknown status ${JSON.stringify(t.status)}`);
  }
  const matchTime = emptyToNull(t.match_time ?? t.matchtime);
  return {
    id: t.id,
    status: t.status as VenueTradeStatus,
    takerOrderId: t.taker_order_id,
    size: sharesOf(t.size),
    price: priceOf(t.price),
    makerOrders: t.maker_orders.map((m) => ({
      orderId: m.order_id,
      matchedAmount: sharesOf(m.matched_amount),
      price: priceOf(m.price),
    })),
    matchTimeMs: matchTime === null ? null : epochMsOf(matchTime),
    txHash: emptyToNull(t.transaction_hash),
  };
}

export function venueOrderFromWire(o: OpenOrderWire): VenueOrder {
  const matched = emptyToNull(o.size_matched);
  const expiration = emptyToNull(o.expiration);
  return {
    id: o.id,
    status: o.status,
    originalSize: parseMicro(o.original_size),
    sizeMatched: (matched === null ? 0 : parseMicro(matched)) as Micro,
    expiration: expiration === null ? 0 : Number(expiration),
  };
}

export function userOrderEventFromWire(m: WsUserOrderMessage): UserOrderEvent {
  const expiration = emptyToNull(m.expiration);
  return {
    kind: 'order',
    type: m.type,
    orderId: m.id,
    originalSize: parseMicro(m.original_size),
    sizeMatched: m.size_matched === null ? null : parseMicro(m.size_matched),
    status: emptyToNull(m.status),
    expiration: expiration === null ? null : Number(expiration),
    timestampMs: epochMsOf(m.timestamp),
  };
}

/** A validated user-channel message as a reconciliation event. */
export function userEventFromWire(m: WsUserMessage): UserEvent {
  return m.event_type === 'order'
    ? userOrderEventFromWire(m)
    : { kind: 'trade', trade: venueTradeFromWire(m) };
}
