/**
 * Data API v1 rows (api-reference.md §2.1-2.3): `GET /activity`, `GET /trades`, `GET /positions`.
 * Bare JSON arrays of camelCase rows; sizes (shares), USDC amounts and prices are JSON numbers;
 * timestamps are epoch seconds.
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

/** Gamma's enrichment of a row: the market and outcome it is about. */
const marketFields = {
  title: z.string().optional(),
  slug: z.string().optional(),
  icon: z.string().optional(),
  eventSlug: z.string().optional(),
  /** `outcomes[outcomeIndex]`; "" when the index is 999 (unknown). */
  outcome: z.string().optional(),
};

/** The wallet's public profile. */
const profileFields = {
  name: z.string().optional(),
  pseudonym: z.string().optional(),
  bio: z.string().optional(),
  profileImage: z.string().optional(),
  profileImageOptimized: z.string().optional(),
};

/**
 * `GET /activity` row. Only TRADE rows are checked as trades (side, token, condition, tx hash and
 * a price in [0, 1]); other types leave "" (-> null) where a field does not apply.
 */
export const dataApiV1ActivitySchema = z
  .looseObject({
    /** The profile (proxy) wallet the row belongs to. */
    proxyWallet: addressSchema,
    /** Epoch seconds. */
    timestamp: epochSecondsSchema,
    /** TRADE, SPLIT, MERGE, REDEEM, REWARD, CONVERSION... (DATA_API_ACTIVITY_TYPES; more may come). */
    type: z.string().min(1),
    conditionId: orEmpty(hexIdSchema),
    /** Token id; "" (-> null) when the row is not about one token. */
    asset: orEmpty(tokenIdSchema),
    /** "" (-> null) on rows that are not trades. */
    side: orEmpty(sideSchema),
    /** Shares. On REDEEM rows: the tokens burned for this outcome. */
    size: nonNegativeNumberSchema,
    /** USDC. On REDEEM rows: the payout for this outcome. */
    usdcSize: nonNegativeNumberSchema,
    /** Per share; 0 where no price applies. */
    price: nonNegativeNumberSchema,
    transactionHash: orEmpty(hexIdSchema),
    outcomeIndex: outcomeIndexSchema,
    ...marketFields,
    ...profileFields,
    isCombo: z.boolean().optional(),
  })
  .superRefine((row, ctx) =>
    requireTradeFields(row.type, ctx, {
      side: row.side,
      asset: row.asset,
      conditionId: row.conditionId,
      transactionHash: row.transactionHash,
      price: row.price,
    }),
  );
export type DataApiV1Activity = z.output<typeof dataApiV1ActivitySchema>;

/** `GET /trades` row: one fill of one wallet. The same tx hash may carry several rows. */
export const dataApiV1TradeSchema = z.looseObject({
  proxyWallet: addressSchema,
  side: sideSchema,
  asset: tokenIdSchema,
  conditionId: hexIdSchema,
  /** Shares. */
  size: nonNegativeNumberSchema,
  price: priceNumberSchema,
  /** Epoch seconds. */
  timestamp: epochSecondsSchema,
  transactionHash: hexIdSchema,
  outcomeIndex: outcomeIndexSchema,
  ...marketFields,
  ...profileFields,
});
export type DataApiV1Trade = z.output<typeof dataApiV1TradeSchema>;

/** `GET /positions` row: one wallet's holding of one token, valued at `curPrice`. */
export const dataApiV1PositionSchema = z.looseObject({
  proxyWallet: addressSchema,
  asset: tokenIdSchema,
  conditionId: hexIdSchema,
  /** Shares held. */
  size: nonNegativeNumberSchema,
  avgPrice: priceNumberSchema,
  curPrice: priceNumberSchema,
  /** USDC. */
  initialValue: nonNegativeNumberSchema,
  currentValue: nonNegativeNumberSchema,
  totalBought: nonNegativeNumberSchema,
  /** USDC, signed. */
  cashPnl: z.number(),
  realizedPnl: z.number(),
  /** Percent, signed. */
  percentPnl: z.number(),
  percentRealizedPnl: z.number(),
  redeemable: z.boolean(),
  mergeable: z.boolean(),
  outcomeIndex: outcomeIndexSchema,
  negativeRisk: z.boolean().optional(),
  /** The other outcome's token id; "" (-> null) when unknown. */
  oppositeAsset: orEmpty(tokenIdSchema).optional(),
  oppositeOutcome: z.string().optional(),
  /** The market's end, `YYYY-MM-DD`; "" when unknown. */
  endDate: z.string().optional(),
  ...marketFields,
});
export type DataApiV1Position = z.output<typeof dataApiV1PositionSchema>;

export const dataApiV1ActivityListSchema = z.array(dataApiV1ActivitySchema);
export const dataApiV1TradeListSchema = z.array(dataApiV1TradeSchema);
export const dataApiV1PositionListSchema = z.array(dataApiV1PositionSchema);
