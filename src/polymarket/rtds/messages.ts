/**
 * The Real-Time Data Socket (`wss://ws-live-data.polymarket.com`, api-reference.md §6): the
 * envelope of every data message, and the `activity` topic's trade payload.
 *
 * The envelope's `timestamp` is epoch milliseconds (when RTDS sent it); the payload's is epoch
 * seconds (the trade). Keepalive frames are empty or plain text (`pong`) and are not JSON:
 * skip them before parsing. Frames without `payload` are not data messages.
 */
import { z } from 'zod';
import {
  epochMsSchema,
  epochSecondsSchema,
  hexIdSchema,
  nonNegativeNumberSchema,
  outcomeIndexSchema,
  priceNumberSchema,
  sideSchema,
  tokenIdSchema,
} from '../clob/schemas/scalars.ts';
import { addressSchema } from '../clob/wire-primitives.ts';

/** Any data message: parse this first, then the payload by `topic` and `type`. */
export const rtdsMessageSchema = z.looseObject({
  topic: z.string().min(1),
  type: z.string().min(1),
  /** Epoch milliseconds. */
  timestamp: epochMsSchema,
  payload: z.record(z.string(), z.unknown()),
  connection_id: z.string().optional(),
});
export type RtdsMessage = z.output<typeof rtdsMessageSchema>;

/**
 * One participant's side of a trade (one message per participant: a MINT match shows two BUYs
 * with one tx hash). The same fields as a Data API v1 `/trades` row.
 */
export const rtdsActivityTradeSchema = z.looseObject({
  /** Mixed-case (checksummed) on the wire: lower-case it before comparing. */
  proxyWallet: addressSchema,
  side: sideSchema,
  asset: tokenIdSchema,
  conditionId: hexIdSchema,
  /** Shares (fractional). */
  size: nonNegativeNumberSchema,
  price: priceNumberSchema,
  /** Epoch seconds. */
  timestamp: epochSecondsSchema,
  transactionHash: hexIdSchema,
  outcomeIndex: outcomeIndexSchema,
  /** pUSD, on some rows only (apparently the taker's fee; UNCONFIRMED). */
  fee: nonNegativeNumberSchema.optional(),
  outcome: z.string().optional(),
  title: z.string().optional(),
  slug: z.string().optional(),
  eventSlug: z.string().optional(),
  icon: z.string().optional(),
  name: z.string().optional(),
  pseudonym: z.string().optional(),
  bio: z.string().optional(),
  profileImage: z.string().optional(),
});
export type RtdsActivityTrade = z.output<typeof rtdsActivityTradeSchema>;

export const RTDS_ACTIVITY_TYPES = ['trades', 'orders_matched'] as const;

/** `topic: "activity"`, `type: "trades"` or `"orders_matched"`. */
export const rtdsActivityTradeMessageSchema = z.looseObject({
  ...rtdsMessageSchema.shape,
  topic: z.literal('activity'),
  type: z.enum(RTDS_ACTIVITY_TYPES),
  payload: rtdsActivityTradeSchema,
});
export type RtdsActivityTradeMessage = z.output<typeof rtdsActivityTradeMessageSchema>;
