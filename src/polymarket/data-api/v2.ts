/**
 * Data API v2 (api-reference.md §2.4): `/v2/trades`, `/v2/activity`, `/v2/positions`. snake_case
 * rows in a `{data, pagination}` envelope paged by cursor; sizes (shares), `_usdc` amounts and
 * prices are JSON numbers; timestamps are epoch seconds.
 *
 * Display fields (titles, profile names, images) are optional: a row is worth keeping without them.
 */
import { z } from 'zod';
import {
  epochSecondsSchema,
  hexIdSchema,
  nonNegativeNumberSchema,
  orEmpty,
  outcomeIndexSchema,
  priceNumberSchema,
  sideSchema,
  tokenIdSchema,
} from '../clob/schemas/scalars.ts';
import { addressSchema } from '../clob/wire-primitives.ts';
import { requireTradeFields } from './trade-row.ts';

const marketFields = {
  title: z.string().optional(),
  slug: z.string().optional(),
  icon: z.string().optional(),
  event_slug: z.string().optional(),
  /** `outcomes[outcome_index]`; "" when the index is 999 (unlabeled). */
  outcome: z.string().optional(),
};

const profileFields = {
  name: z.string().optional(),
  pseudonym: z.string().optional(),
  bio: z.string().optional(),
  profile_image: z.string().optional(),
  profile_image_optimized: z.string().optional(),
};

/** `/v2/trades` row: one fill of one wallet. */
export const dataApiV2TradeSchema = z.looseObject({
  proxy_wallet: addressSchema,
  side: sideSchema,
  token_id: tokenIdSchema,
  condition_id: hexIdSchema,
  /** Shares. */
  size: nonNegativeNumberSchema,
  price: priceNumberSchema,
  /** Epoch seconds. */
  timestamp: epochSecondsSchema,
  transaction_hash: hexIdSchema,
  outcome_index: outcomeIndexSchema,
  ...marketFields,
  ...profileFields,
});
export type DataApiV2Trade = z.output<typeof dataApiV2TradeSchema>;

/** `side` of a v2 activity row: a trade's side, IN/OUT on TIP rows, "" (-> null) otherwise. */
export const dataApiV2ActivitySideSchema = orEmpty(z.enum(['BUY', 'SELL', 'IN', 'OUT']));

/**
 * `/v2/activity` row. Only TRADE rows are checked as trades (side, token, condition, tx hash and
 * a price in [0, 1]); other types leave "" (-> null) where a field does not apply.
 */
export const dataApiV2ActivitySchema = z
  .looseObject({
    proxy_wallet: addressSchema,
    /** Epoch seconds. */
    timestamp: epochSecondsSchema,
    /** TRADE, SPLIT, MERGE, REDEEM... (DATA_API_ACTIVITY_TYPES; more may come). */
    type: z.string().min(1),
    condition_id: orEmpty(hexIdSchema),
    token_id: orEmpty(tokenIdSchema),
    side: dataApiV2ActivitySideSchema,
    /** Shares. */
    size: nonNegativeNumberSchema,
    /** USDC. */
    usdc_size: nonNegativeNumberSchema,
    /** Per share; 0 where no price applies. */
    price: nonNegativeNumberSchema,
    transaction_hash: orEmpty(hexIdSchema),
    outcome_index: outcomeIndexSchema,
    ...marketFields,
    ...profileFields,
    is_combo: z.boolean().optional(),
  })
  .superRefine((row, ctx) =>
    requireTradeFields(
      row.type,
      ctx,
      {
        side: row.side,
        asset: row.token_id,
        conditionId: row.condition_id,
        transactionHash: row.transaction_hash,
        price: row.price,
      },
      {
        side: 'side',
        asset: 'token_id',
        conditionId: 'condition_id',
        transactionHash: 'transaction_hash',
        price: 'price',
      },
    ),
  );
export type DataApiV2Activity = z.output<typeof dataApiV2ActivitySchema>;

/**
 * `/v2/positions` row. `last_event_at`, `first_entry_at` and `event_id` pass through untyped:
 * their wire types are not documented.
 */
export const dataApiV2PositionSchema = z.looseObject({
  proxy_wallet: addressSchema,
  token_id: tokenIdSchema,
  condition_id: hexIdSchema,
  /** Shares held now, and bought in total. */
  current_size: nonNegativeNumberSchema,
  total_size: nonNegativeNumberSchema,
  avg_price: priceNumberSchema,
  current_price: priceNumberSchema,
  /** USDC. */
  entry_cost_usdc: nonNegativeNumberSchema,
  entry_fees_usdc: nonNegativeNumberSchema,
  total_cost_usdc: nonNegativeNumberSchema,
  current_value: nonNegativeNumberSchema,
  /** USDC, signed. */
  realized_pnl: z.number(),
  unrealized_pnl: z.number(),
  total_pnl: z.number(),
  /** Percent, signed. */
  percent_pnl: z.number(),
  percent_realized_pnl: z.number(),
  /** OPEN, REDEEMABLE, REDEEMABLE_LOST, MERGEABLE, CLOSED. */
  status: z.string().min(1),
  redeemable: z.boolean(),
  mergeable: z.boolean(),
  outcome_index: outcomeIndexSchema,
  negative_risk: z.boolean().optional(),
  archived: z.boolean().optional(),
  /** The other outcome's token id; "" (-> null) when unknown. */
  opposite_token_id: orEmpty(tokenIdSchema).optional(),
  opposite_outcome: z.string().optional(),
  /** The market's end, `YYYY-MM-DD`. */
  end_date: z.string().optional(),
  ...marketFields,
  name: z.string().optional(),
  profile_image: z.string().optional(),
  verified: z.boolean().optional(),
});
export type DataApiV2Position = z.output<typeof dataApiV2PositionSchema>;

/** The cursor paging of every v2 list. `offset` is a running count, not a request parameter. */
export const dataApiV2PaginationSchema = z.looseObject({
  limit: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  /** Exact: false on the last page. */
  has_more: z.boolean(),
  /** Pass back as `?cursor=`; null on the last page. */
  next_cursor: z.string().nullable(),
});
export type DataApiV2Pagination = z.output<typeof dataApiV2PaginationSchema>;

/** The v2 envelope around rows of `row`. A miss is `data: null` or `[]`; null becomes []. */
export function dataApiV2PageSchema<Row extends z.ZodType>(row: Row) {
  return z.looseObject({
    data: z
      .array(row)
      .nullable()
      .transform((rows) => rows ?? []),
    pagination: dataApiV2PaginationSchema,
  });
}

export const dataApiV2TradesPageSchema = dataApiV2PageSchema(dataApiV2TradeSchema);
export type DataApiV2TradesPage = z.output<typeof dataApiV2TradesPageSchema>;

export const dataApiV2ActivityPageSchema = dataApiV2PageSchema(dataApiV2ActivitySchema);
export type DataApiV2ActivityPage = z.output<typeof dataApiV2ActivityPageSchema>;

export const dataApiV2PositionsPageSchema = dataApiV2PageSchema(dataApiV2PositionSchema);
export type DataApiV2PositionsPage = z.output<typeof dataApiV2PositionsPageSchema>;
