/**
 * What an activity row of type TRADE must carry (v1 and v2): the fields other activity types may
 * leave empty are a trade's identity, so a TRADE row without them is refused.
 */
import type { z } from 'zod';

/** The activity types the Data API documents; `type` is not limited to them (new ones appear). */
export const DATA_API_ACTIVITY_TYPES = [
  'TRADE',
  'SPLIT',
  'MERGE',
  'REDEEM',
  'REWARD',
  'CONVERSION',
  'DEPOSIT',
  'WITHDRAWAL',
  'YIELD',
  'MAKER_REBATE',
  'TAKER_REBATE',
  'REFERRAL_REWARD',
  'MIGRATION',
  'TIP',
] as const;
export type DataApiActivityType = (typeof DATA_API_ACTIVITY_TYPES)[number];

interface TradeIdentity {
  side: string | null;
  asset: string | null;
  conditionId: string | null;
  transactionHash: string | null;
  price: number;
}

/** Adds an issue (under the wire names in `names`) for each trade field a TRADE row lacks. */
export function requireTradeFields(
  type: string,
  ctx: z.RefinementCtx,
  fields: TradeIdentity,
  names: Record<keyof TradeIdentity, string> = {
    side: 'side',
    asset: 'asset',
    conditionId: 'conditionId',
    transactionHash: 'transactionHash',
    price: 'price',
  },
): void {
  if (type !== 'TRADE') return;
  if (fields.side !== 'BUY' && fields.side !== 'SELL') {
    ctx.addIssue({ code: 'custom', path: [names.side], message: 'a TRADE row needs side BUY or SELL' });
  }
  for (const key of ['asset', 'conditionId', 'transactionHash'] as const) {
    if (fields[key] === null) {
      ctx.addIssue({ code: 'custom', path: [names[key]], message: `a TRADE row needs ${names[key]}` });
    }
  }
  if (fields.price > 1) {
    ctx.addIssue({ code: 'custom', path: [names.price], message: 'a TRADE row needs a price in [0, 1]' });
  }
}
