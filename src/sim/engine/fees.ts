/**
 * Upper bounds on CLOB V2 taker fees, for reserving a buyer's cash before matching. The fee itself
 * is src/polymarket/fees.ts, shared with the paper broker.
 */
import { MICRO, type Micro, type Price, type Shares, type Usdc } from '../../core/index.ts';

export { FEE_UNIT, takerFee } from '../../polymarket/fees.ts';

const MICRO_BIG = BigInt(MICRO);
const MICRO_CUBED = MICRO_BIG * MICRO_BIG * MICRO_BIG;
const QUARTER_SQUARED = (MICRO / 2) * (MICRO / 2);

/** p(1 - p) in micro^2, maximised over prices up to `limit` (it peaks at 0.5). */
function peakVariance(limit: Price): number {
  return limit >= MICRO / 2 ? QUARTER_SQUARED : limit * (MICRO - limit);
}

/** An upper bound on the fees of buying `size` shares at prices up to `limit`, for reserving. */
export function maxFeeForShares(size: Shares, limit: Price, rate: Micro): Usdc {
  if (rate === 0 || size === 0) return 0 as Usdc;
  const product = BigInt(size) * BigInt(rate) * BigInt(peakVariance(limit));
  return Number((product + MICRO_CUBED - 1n) / MICRO_CUBED) as Usdc;
}

/**
 * An upper bound on the fees of spending `budget` pUSD: a fill costing c at p pays
 * c x rate x (1 - p) <= c x rate.
 */
export function maxFeeForBudget(budget: Usdc, rate: Micro): Usdc {
  if (rate === 0 || budget === 0) return 0 as Usdc;
  const product = BigInt(budget) * BigInt(rate);
  return Number((product + MICRO_BIG - 1n) / MICRO_BIG) as Usdc;
}
