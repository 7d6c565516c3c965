/**
 * The CLOB websocket user channel (`/ws/user`, api-reference.md §5.2): the account's `order` and
 * `trade` messages. Prices and sizes are strings.
 *
 * Timestamps are strings of digits whose unit is not settled: the docs examples write seconds
 * ("1672290687"), the V2 fixtures milliseconds ("1786179997002"). They are kept as sent; use them
 * to order updates, not as clock readings.
 */
import { z } from 'zod';
import { ORDER_TYPES } from '../order-v2.ts';
import { addressSchema } from '../wire-primitives.ts';
import {
  decimalOrEmptySchema,
  decimalStringSchema,
  epochStringSchema,
  hexIdSchema,
  orEmpty,
  priceStringSchema,
  sideSchema,
  tokenIdSchema,
} from './scalars.ts';

export const WS_ORDER_EVENT_KINDS = ['PLACEMENT', 'UPDATE', 'CANCELLATION'] as const;
export type WsOrderEventKind = (typeof WS_ORDER_EVENT_KINDS)[number];

/** An order was placed, partly matched (UPDATE) or cancelled. */
export const wsUserOrderMessageSchema = z.looseObject({
  event_type: z.literal('order'),
  type: z.enum(WS_ORDER_EVENT_KINDS),
  /** The order hash. */
  id: hexIdSchema,
  /** Condition id. */
  market: hexIdSchema,
  asset_id: tokenIdSchema,
  side: sideSchema,
  price: priceStringSchema,
  /** Shares. */
  original_size: decimalStringSchema,
  /** Shares matched so far; "" (-> null) on some cancellations. */
  size_matched: decimalOrEmptySchema,
  /** Epoch time as a string, seconds or ms (see the module comment). */
  timestamp: epochStringSchema,
  /** The API key (uuid) that owns the order, not an address. */
  owner: z.string(),
  order_owner: z.string().optional(),
  /** Trade ids; null (-> []) when none. */
  associate_trades: z
    .array(z.string())
    .nullish()
    .transform((ids) => ids ?? []),
  outcome: z.string().optional(),
  order_type: z.enum(ORDER_TYPES).optional(),
  /**
   * LIVE, MATCHED, CANCELED_MARKET_RESOLVED..., or CANCELED followed by a reason
   * ("CANCELED_order couldn't be fully filled..."): match on the prefix.
   */
  status: z.string().optional(),
  maker_address: addressSchema.optional(),
  /** Unix seconds as a string, "0" for none. */
  expiration: epochStringSchema.optional(),
  /** Epoch time as a string; "" (-> null) when not given. */
  created_at: orEmpty(epochStringSchema).optional(),
});
export type WsUserOrderMessage = z.output<typeof wsUserOrderMessageSchema>;

/** MATCHED -> MINED -> CONFIRMED; RETRYING goes back to MINED; CONFIRMED and FAILED are final. */
export const TRADE_STATUSES = ['MATCHED', 'MINED', 'CONFIRMED', 'RETRYING', 'FAILED'] as const;
export type TradeStatus = (typeof TRADE_STATUSES)[number];

/** A resting order of the account's counterparty (or its own) filled by the trade. */
export const wsMakerOrderSchema = z.looseObject({
  order_id: hexIdSchema,
  owner: z.string(),
  asset_id: tokenIdSchema,
  /** Shares. */
  matched_amount: decimalStringSchema,
  price: priceStringSchema,
  outcome: z.string().optional(),
  side: sideSchema.optional(),
  fee_rate_bps: decimalStringSchema.optional(),
  maker_address: addressSchema.optional(),
});
export type WsMakerOrder = z.output<typeof wsMakerOrderSchema>;

/** A trade involving the account, once per status change. */
export const wsUserTradeMessageSchema = z.looseObject({
  event_type: z.literal('trade'),
  type: z.literal('TRADE'),
  /** The trade id (a uuid). */
  id: z.string().min(1),
  taker_order_id: hexIdSchema,
  /** Condition id. */
  market: hexIdSchema,
  asset_id: tokenIdSchema,
  /** The taker's side. */
  side: sideSchema,
  /** Shares. */
  size: decimalStringSchema,
  price: priceStringSchema,
  status: z.enum(TRADE_STATUSES),
  maker_orders: z.array(wsMakerOrderSchema),
  /** Epoch times as strings, seconds or ms (see the module comment). */
  timestamp: epochStringSchema,
  last_update: epochStringSchema.optional(),
  /** The docs spell it `matchtime`, the REST trade `match_time`. */
  matchtime: epochStringSchema.optional(),
  match_time: epochStringSchema.optional(),
  owner: z.string(),
  trade_owner: z.string().optional(),
  outcome: z.string().optional(),
  maker_address: addressSchema.optional(),
  fee_rate_bps: decimalStringSchema.optional(),
  /** Empty (-> null) until the settlement is sent. */
  transaction_hash: orEmpty(hexIdSchema).optional(),
  /** The account's role in this trade. */
  trader_side: z.enum(['TAKER', 'MAKER']).optional(),
});
export type WsUserTradeMessage = z.output<typeof wsUserTradeMessageSchema>;

/** Every user-channel message, discriminated on `event_type`. */
export const wsUserMessageSchema = z.discriminatedUnion('event_type', [
  wsUserOrderMessageSchema,
  wsUserTradeMessageSchema,
]);
export type WsUserMessage = z.output<typeof wsUserMessageSchema>;

export const WS_USER_EVENT_TYPES = ['order', 'trade'] as const;
