/**
 * Gamma's market and event objects (api-reference.md §3): `GET /markets`, `/markets/keyset`,
 * `/markets/{id}`, `/markets/slug/{slug}` and `/events`.
 *
 * `outcomes`, `outcomePrices` and `clobTokenIds` arrive as strings holding JSON arrays; they are
 * decoded into arrays here, and their lengths checked against each other (token i trades outcome
 * i). Tick and minimum size are JSON numbers; `volume` and `liquidity` are decimal strings beside
 * their numeric twins. Dates are ISO 8601 strings, kept as strings.
 */
import { z } from 'zod';
import {
  decimalStringSchema,
  hexIdSchema,
  nonNegativeNumberSchema,
  priceNumberSchema,
  priceStringSchema,
  tokenIdSchema,
} from '../clob/schemas/scalars.ts';
import { jsonEncodedArraySchema } from './json-encoded.ts';

/** ISO 8601 date-time ("2028-11-07T00:00:00Z", "2025-07-03T20:36:58.88434Z"). */
const isoDateTimeSchema = z.iso.datetime({ offset: true });

/** V2 fee parameters: fee = shares x rate x (p (1 - p))^exponent, charged to takers when `takerOnly`. */
export const gammaFeeScheduleSchema = z.looseObject({
  rate: z.number().min(0).max(1),
  exponent: z.number().nonnegative(),
  takerOnly: z.boolean(),
  rebateRate: z.number().min(0).max(1).optional(),
});
export type GammaFeeSchedule = z.output<typeof gammaFeeScheduleSchema>;

/** The event fields, as a market's `events[]` carries them (without `markets`). */
const gammaEventFields = {
  /** Gamma's numeric event id, as a string. */
  id: z.string().min(1),
  slug: z.string(),
  title: z.string(),
  ticker: z.string().optional(),
  description: z.string().optional(),
  active: z.boolean().optional(),
  closed: z.boolean().optional(),
  archived: z.boolean().optional(),
  startDate: isoDateTimeSchema.optional(),
  endDate: isoDateTimeSchema.optional(),
  negRisk: z.boolean().optional(),
  enableNegRisk: z.boolean().optional(),
  /** An "Other" outcome may be added to the neg-risk event later. */
  negRiskAugmented: z.boolean().optional(),
  /** Groups the event's binary markets; "" when not neg-risk. */
  negRiskMarketID: z.string().optional(),
};

export const gammaEventSummarySchema = z.looseObject(gammaEventFields);
export type GammaEventSummary = z.output<typeof gammaEventSummarySchema>;

export const gammaMarketSchema = z
  .looseObject({
    /** Gamma's numeric market id, as a string. */
    id: z.string().min(1),
    question: z.string(),
    /** The CTF condition id, also the CLOB's `market`. */
    conditionId: hexIdSchema,
    slug: z.string(),
    questionID: z.string().optional(),
    /** Outcome names, decoded from the JSON string. */
    outcomes: jsonEncodedArraySchema(z.string(), 'outcome names'),
    /** A price per outcome (a snapshot), decoded from the JSON string. */
    outcomePrices: jsonEncodedArraySchema(priceStringSchema, 'price strings').optional(),
    /** The CLOB token of each outcome, decoded from the JSON string; absent before CLOB listing. */
    clobTokenIds: jsonEncodedArraySchema(tokenIdSchema, 'token ids').optional(),
    active: z.boolean(),
    closed: z.boolean(),
    archived: z.boolean().optional(),
    restricted: z.boolean().optional(),
    /** Tradable on the CLOB only when true. */
    enableOrderBook: z.boolean().optional(),
    acceptingOrders: z.boolean().optional(),
    acceptingOrdersTimestamp: isoDateTimeSchema.nullish(),
    orderPriceMinTickSize: z.number().positive().max(1).optional(),
    /** Shares. */
    orderMinSize: nonNegativeNumberSchema.optional(),
    negRisk: z.boolean().optional(),
    negRiskMarketID: z.string().optional(),
    negRiskRequestID: z.string().optional(),
    /** The "Other" outcome of an augmented neg-risk event. */
    negRiskOther: z.boolean().optional(),
    startDate: isoDateTimeSchema.optional(),
    endDate: isoDateTimeSchema.optional(),
    /** USDC traded and liquidity, as decimal strings; the `*Num` twins are numbers. */
    volume: decimalStringSchema.optional(),
    liquidity: decimalStringSchema.optional(),
    volumeNum: nonNegativeNumberSchema.optional(),
    liquidityNum: nonNegativeNumberSchema.optional(),
    volume24hr: nonNegativeNumberSchema.optional(),
    /** A snapshot of the book, not live. */
    bestBid: priceNumberSchema.nullish(),
    bestAsk: priceNumberSchema.nullish(),
    lastTradePrice: priceNumberSchema.nullish(),
    spread: nonNegativeNumberSchema.nullish(),
    feesEnabled: z.boolean().optional(),
    feeType: z.string().nullish(),
    /** Drives V2 fees; absent or null on fee-free markets. */
    feeSchedule: gammaFeeScheduleSchema.nullish(),
    /** Legacy bps-style fields. */
    makerBaseFee: nonNegativeNumberSchema.optional(),
    takerBaseFee: nonNegativeNumberSchema.optional(),
    /** Sports matching delay, seconds. */
    secondsDelay: z.number().int().nonnegative().optional(),
    events: z.array(gammaEventSummarySchema).optional(),
  })
  .superRefine((market, ctx) => {
    const outcomes = market.outcomes.length;
    if (market.clobTokenIds !== undefined && market.clobTokenIds.length !== outcomes) {
      ctx.addIssue({
        code: 'custom',
        path: ['clobTokenIds'],
        message: `${market.clobTokenIds.length} token ids for ${outcomes} outcomes`,
      });
    }
    if (market.outcomePrices !== undefined && market.outcomePrices.length !== outcomes) {
      ctx.addIssue({
        code: 'custom',
        path: ['outcomePrices'],
        message: `${market.outcomePrices.length} prices for ${outcomes} outcomes`,
      });
    }
  });
export type GammaMarket = z.output<typeof gammaMarketSchema>;

/** An event as `/events` returns it, with its markets (whose `events` are then left out). */
export const gammaEventSchema = z.looseObject({
  ...gammaEventFields,
  markets: z.array(gammaMarketSchema).optional(),
});
export type GammaEvent = z.output<typeof gammaEventSchema>;

/** `GET /markets` and `GET /events`: bare arrays. */
export const gammaMarketsSchema = z.array(gammaMarketSchema);
export const gammaEventsSchema = z.array(gammaEventSchema);

/** `GET /markets/keyset`: a page and the cursor of the next one (null on the last page). */
export const gammaMarketsKeysetPageSchema = z.looseObject({
  markets: z.array(gammaMarketSchema),
  next_cursor: z.string().nullish(),
});
export type GammaMarketsKeysetPage = z.output<typeof gammaMarketsKeysetPageSchema>;
