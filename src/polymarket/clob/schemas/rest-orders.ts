/**
 * zod schemas for the CLOB REST replies about our orders and markets the live broker reads: `OpenOrder` (`/data/orders`, `/data/order/<id>`), `Trade` (`/data/trades`), the
 * compact `MarketDetails` of `/clob-markets/<condition_id>`, `/markets-by-token/<token_id>` and
 * the heartbeat reply. Shapes: clob-client-v2 `types/clob.d.ts`, api-reference.md §4.1 and §4.5.
 */
import { z } from 'zod';
import { addressSchema } from '../wire-primitives.ts';
import {
  decimalStringSchema,
  hexIdSchema,
  orEmpty,
  priceStringSchema,
  sideSchema,
  tokenIdSchema,
} from './scalars.ts';
import { TRADE_STATUSES, wsMakerOrderSchema } from './ws-user.ts';

/** An order as the venue reports it, open or (by id) finished. Sizes are shares except market BUYs. */
export const openOrderSchema = z.looseObject({
  /** The order hash. */
  id: hexIdSchema,
  /** LIVE, DELAYED, MATCHED, CANCELED, CANCELED_MARKET_RESOLVED, ...: match on the prefix. */
  status: z.string().min(1),
  /** The API key that placed it. */
  owner: z.string(),
  maker_address: addressSchema,
  /** Condition id. */
  market: hexIdSchema,
  asset_id: tokenIdSchema,
  side: sideSchema,
  original_size: decimalStringSchema,
  size_matched: decimalStringSchema,
  price: priceStringSchema,
  associate_trades: z
    .array(z.string())
    .nullish()
    .transform((ids) => ids ?? []),
  outcome: z.string().optional(),
  /** Epoch seconds. */
  created_at: z.number().int().nonnegative(),
  /** Unix seconds as a string, "0" for none. */
  expiration: z.string().regex(/^\d+$/).optional(),
  order_type: z.string().optional(),
});
export type OpenOrder = z.output<typeof openOrderSchema>;

/** A maker order of a trade, as the user channel sends it, but with the maker's address always set. */
export const makerOrderSchema = wsMakerOrderSchema.extend({ maker_address: addressSchema });

export const tradeSchema = z.looseObject({
  id: z.string().min(1),
  taker_order_id: hexIdSchema,
  market: hexIdSchema,
  asset_id: tokenIdSchema,
  /** The taker's side, whichever side this account was on. */
  side: sideSchema,
  size: decimalStringSchema,
  fee_rate_bps: decimalStringSchema.optional(),
  price: priceStringSchema,
  status: z.enum(TRADE_STATUSES),
  /** Epoch seconds as a string. */
  match_time: z.string().regex(/^\d+$/),
  last_update: z.string().regex(/^\d+$/).optional(),
  outcome: z.string().optional(),
  owner: z.string(),
  maker_address: addressSchema,
  maker_orders: z.array(makerOrderSchema),
  /** Empty (-> null) until the settlement is sent. */
  transaction_hash: orEmpty(hexIdSchema).optional(),
  trader_side: z.enum(['TAKER', 'MAKER']),
});
export type Trade = z.output<typeof tradeSchema>;

/** `/markets-by-token/<token_id>`: the client reads only `condition_id`. */
export const marketByTokenSchema = z.looseObject({ condition_id: hexIdSchema });

/** `/clob-markets/<condition_id>` (`MarketDetails`): what tick, neg risk and fees come from. */
export const marketDetailsSchema = z.looseObject({
  c: hexIdSchema,
  t: z.array(z.looseObject({ t: tokenIdSchema, o: z.string().optional() }).nullable()),
  /** Minimum tick size as a number (0.01). */
  mts: z.number().positive().max(0.5),
  /** Neg risk; omitted when false. */
  nr: z.boolean().optional(),
  /** Fee details: rate, exponent, taker-only. Missing means no fee. */
  fd: z
    .looseObject({
      r: z.number().nonnegative().max(1).optional(),
      e: z.number().int().nonnegative().optional(),
      to: z.boolean().optional(),
    })
    .nullish(),
  /** Accepting orders. */
  ao: z.boolean().optional(),
  /** Minimum order size in shares. */
  mos: z.number().nonnegative().optional(),
  /** Matching delay, seconds. */
  sd: z.number().nonnegative().optional(),
});
export type MarketDetails = z.output<typeof marketDetailsSchema>;

/** `POST /v1/heartbeats`: the session id to send next time. */
export const heartbeatReplySchema = z.looseObject({ heartbeat_id: z.string().min(1) });
