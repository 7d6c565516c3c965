/**
 * `GET /markets/<condition_id>` (api-reference.md §4.1): the CLOB's view of one market. Unlike
 * `/book`, its tick and minimum size are JSON numbers. The token order is the outcome order.
 */
import { z } from 'zod';
import { hexIdSchema, nonNegativeNumberSchema, priceNumberSchema, tokenIdSchema } from './scalars.ts';

export const clobMarketTokenSchema = z.looseObject({
  token_id: tokenIdSchema,
  outcome: z.string(),
  price: priceNumberSchema,
  winner: z.boolean(),
});
export type ClobMarketToken = z.output<typeof clobMarketTokenSchema>;

export const clobMarketSchema = z.looseObject({
  condition_id: hexIdSchema,
  tokens: z.array(clobMarketTokenSchema),
  minimum_order_size: nonNegativeNumberSchema,
  minimum_tick_size: z.number().positive().max(1),
  neg_risk: z.boolean(),
  accepting_orders: z.boolean(),
  active: z.boolean(),
  closed: z.boolean(),
  enable_order_book: z.boolean().optional(),
  archived: z.boolean().optional(),
  question_id: z.string().optional(),
  question: z.string().optional(),
  market_slug: z.string().optional(),
  /** ISO date-time. */
  accepting_order_timestamp: z.string().nullish(),
  /** ISO date-time. */
  end_date_iso: z.string().nullish(),
  /** ISO date-time; sports markets only. */
  game_start_time: z.string().nullish(),
  /** Matching delay for marketable orders, seconds. */
  seconds_delay: z.number().int().nonnegative().optional(),
  /** Legacy bps-style fields; V2 fees follow Gamma's `feeSchedule`. */
  maker_base_fee: nonNegativeNumberSchema.optional(),
  taker_base_fee: nonNegativeNumberSchema.optional(),
  neg_risk_market_id: z.string().optional(),
  neg_risk_request_id: z.string().optional(),
  is_50_50_outcome: z.boolean().optional(),
});
export type ClobMarket = z.output<typeof clobMarketSchema>;
