/**
 * The CLOB websocket market channel (`/ws/market`, api-reference.md §5.1). Every message has an
 * `event_type`; prices and sizes are strings, timestamps are epoch milliseconds as strings.
 *
 * A frame holds one message or an array of them; parse each element on its own, so one bad
 * message does not cost the rest. `event_type`s not listed in WS_MARKET_EVENT_TYPES are to be
 * ignored, not counted as bad (Polymarket adds custom events).
 */
import { z } from 'zod';
import { bookSnapshotFields } from './book.ts';
import {
  bookHashSchema,
  decimalOrEmptySchema,
  decimalStringSchema,
  epochStringSchema,
  hexIdSchema,
  priceOrEmptySchema,
  priceStringSchema,
  sideSchema,
  tokenIdSchema,
} from './scalars.ts';

/** A full snapshot of one token's book: replace local state. Lacks REST's min size and neg risk. */
export const wsBookMessageSchema = z.looseObject({
  event_type: z.literal('book'),
  ...bookSnapshotFields,
  tick_size: priceStringSchema.optional(),
  /** "" (-> null) before the first trade. */
  last_trade_price: priceOrEmptySchema.optional(),
});
export type WsBookMessage = z.output<typeof wsBookMessageSchema>;

/** One level's new state: `size` is the new aggregate at `price` (not a delta); "0" removes it. */
export const wsPriceChangeSchema = z.looseObject({
  asset_id: tokenIdSchema,
  price: priceStringSchema,
  size: decimalStringSchema,
  /** BUY: a bid level; SELL: an ask level. */
  side: sideSchema,
  /** The token's book hash after the change. */
  hash: bookHashSchema.optional(),
  /** The token's top of book after the change; "" (-> null) for an empty side. */
  best_bid: priceOrEmptySchema.optional(),
  best_ask: priceOrEmptySchema.optional(),
});
export type WsPriceChange = z.output<typeof wsPriceChangeSchema>;

/**
 * `price_change`, current format (since about Sept 2025): changes of several tokens at once; one
 * order shows on its token and, mirrored at 1 - p, on the complement.
 */
export const wsPriceChangeMessageSchema = z.looseObject({
  event_type: z.literal('price_change'),
  market: hexIdSchema,
  /** Epoch milliseconds, as a string. */
  timestamp: epochStringSchema,
  price_changes: z.array(wsPriceChangeSchema),
});
export type WsPriceChangeMessage = z.output<typeof wsPriceChangeMessageSchema>;

/**
 * LEGACY `price_change` (before about Sept 2025, kept from the old docs): one token per message,
 * its hash at the top, `changes` without best bid/ask. Accepted so a replay of old recordings
 * still parses; tell it from the current format by its `changes` key.
 */
export const wsLegacyPriceChangeMessageSchema = z.looseObject({
  event_type: z.literal('price_change'),
  market: hexIdSchema,
  asset_id: tokenIdSchema,
  /** Epoch milliseconds, as a string. */
  timestamp: epochStringSchema,
  hash: bookHashSchema.optional(),
  changes: z.array(z.looseObject({ price: priceStringSchema, side: sideSchema, size: decimalStringSchema })),
});
export type WsLegacyPriceChangeMessage = z.output<typeof wsLegacyPriceChangeMessageSchema>;

/** A match. Whether `side` is the taker's is UNCONFIRMED (api-reference.md §10). */
export const wsLastTradePriceMessageSchema = z.looseObject({
  event_type: z.literal('last_trade_price'),
  market: hexIdSchema,
  asset_id: tokenIdSchema,
  price: priceStringSchema,
  size: decimalStringSchema,
  side: sideSchema,
  /** Epoch milliseconds, as a string. */
  timestamp: epochStringSchema,
  fee_rate_bps: decimalStringSchema.optional(),
  transaction_hash: hexIdSchema.optional(),
});
export type WsLastTradePriceMessage = z.output<typeof wsLastTradePriceMessageSchema>;

/** The tick changed (price beyond 0.96 or below 0.04): orders must follow the new one. */
export const wsTickSizeChangeMessageSchema = z.looseObject({
  event_type: z.literal('tick_size_change'),
  market: hexIdSchema,
  asset_id: tokenIdSchema,
  old_tick_size: priceStringSchema,
  new_tick_size: priceStringSchema,
  /** Epoch milliseconds, as a string. */
  timestamp: epochStringSchema,
});
export type WsTickSizeChangeMessage = z.output<typeof wsTickSizeChangeMessageSchema>;

/** Custom event (`custom_feature_enabled`): the top of book moved. */
export const wsBestBidAskMessageSchema = z.looseObject({
  event_type: z.literal('best_bid_ask'),
  market: hexIdSchema,
  asset_id: tokenIdSchema,
  /** "" (-> null) for an empty side. */
  best_bid: priceOrEmptySchema,
  best_ask: priceOrEmptySchema,
  spread: decimalOrEmptySchema.optional(),
  /** Epoch milliseconds, as a string. */
  timestamp: epochStringSchema,
});
export type WsBestBidAskMessage = z.output<typeof wsBestBidAskMessageSchema>;

/** Custom event: a market was listed. `assets_ids` follow `outcomes`. */
export const wsNewMarketMessageSchema = z.looseObject({
  event_type: z.literal('new_market'),
  /** Gamma market id. */
  id: z.string().min(1),
  /** Condition id. */
  market: hexIdSchema,
  question: z.string(),
  slug: z.string(),
  assets_ids: z.array(tokenIdSchema),
  outcomes: z.array(z.string()),
  /** Epoch milliseconds, as a string. */
  timestamp: epochStringSchema,
  description: z.string().optional(),
  event_message: z
    .looseObject({ id: z.string(), ticker: z.string().optional(), slug: z.string().optional() })
    .optional(),
  condition_id: hexIdSchema.optional(),
  clob_token_ids: z.array(tokenIdSchema).optional(),
  order_price_min_tick_size: priceStringSchema.optional(),
  active: z.boolean().optional(),
  tags: z.array(z.string()).optional(),
});
export type WsNewMarketMessage = z.output<typeof wsNewMarketMessageSchema>;

/** Custom event: a market resolved; `winning_asset_id` is one of `assets_ids`. */
export const wsMarketResolvedMessageSchema = z
  .looseObject({
    event_type: z.literal('market_resolved'),
    /** Gamma market id. */
    id: z.string().min(1),
    /** Condition id. */
    market: hexIdSchema,
    assets_ids: z.array(tokenIdSchema),
    winning_asset_id: tokenIdSchema,
    winning_outcome: z.string(),
    /** Epoch milliseconds, as a string. */
    timestamp: epochStringSchema,
  })
  .refine((m) => m.assets_ids.includes(m.winning_asset_id), {
    message: 'winning_asset_id is not one of assets_ids',
    path: ['winning_asset_id'],
  });
export type WsMarketResolvedMessage = z.output<typeof wsMarketResolvedMessageSchema>;

/**
 * Either `price_change` format. Both carry the same `event_type`, so the union below dispatches
 * on it through this single member, which picks the format by key: the legacy one is the one
 * with `changes` and no `price_changes`. Errors then point into the format that was meant.
 */
const anyPriceChangeMessageSchema = z
  .looseObject({ event_type: z.literal('price_change') })
  .transform((message, ctx): WsPriceChangeMessage | WsLegacyPriceChangeMessage => {
    const legacy = 'changes' in message && !('price_changes' in message);
    const parsed = (legacy ? wsLegacyPriceChangeMessageSchema : wsPriceChangeMessageSchema).safeParse(
      message,
    );
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    }
    return z.NEVER;
  });

/** Every market-channel message, discriminated on `event_type`. */
export const wsMarketMessageSchema = z.discriminatedUnion('event_type', [
  wsBookMessageSchema,
  anyPriceChangeMessageSchema,
  wsLastTradePriceMessageSchema,
  wsTickSizeChangeMessageSchema,
  wsBestBidAskMessageSchema,
  wsNewMarketMessageSchema,
  wsMarketResolvedMessageSchema,
]);
export type WsMarketMessage = z.output<typeof wsMarketMessageSchema>;

export const WS_MARKET_EVENT_TYPES = [
  'book',
  'price_change',
  'last_trade_price',
  'tick_size_change',
  'best_bid_ask',
  'new_market',
  'market_resolved',
] as const;
export type WsMarketEventType = (typeof WS_MARKET_EVENT_TYPES)[number];

/** Whether a parsed `price_change` is in the legacy per-token format. */
export function isLegacyPriceChange(
  message: WsPriceChangeMessage | WsLegacyPriceChangeMessage,
): message is WsLegacyPriceChangeMessage {
  return 'changes' in message && !('price_changes' in message);
}
