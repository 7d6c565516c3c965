/**
 * CLOB V2 taker fees: fee = shares x rate x p x (1 - p) in pUSD, truncated to 5 decimals (a
 * multiple of 10 micro-units). Makers pay nothing. All 21 real V2 taker fills in NautilusTrader's
 * chain_order_filled_taker_fees fixture match this formula (reference section 8.1). A BUY pays the
 * fee on top of its cost, a SELL has it deducted from its proceeds (CTF exchange V2 `Trading.sol`).
 */
import { MICRO, type Micro, type Price, type Shares, type Usdc } from '../../core/index.ts';

/** Fees are truncated to 5 decimals. */
export const FEE_UNIT = 10;

const MICRO_BIG = BigInt(MICRO);
const MICRO_CUBED = MICRO_BIG * MICRO_BIG * MICRO_BIG;
const QUARTER_SQUARED = (MICRO / 2) * (MICRO / 2);

/** The taker fee for `size` shares at `p` (either token's price: p(1 - p) is symmetric). */
export function takerFee(size: Shares, p: Price, rate: Micro): Usdc {
  if (rate === 0 || size === 0) return 0 as Usdc;
  // size * rate * p * (1 - p) / 1e18 overflows 2^53 quickly; bigint keeps it exact.
  const raw = Number((BigInt(size) * BigInt(rate) * BigInt(p * (MICRO - p))) / MICRO_CUBED);
  return (raw - (raw % FEE_UNIT)) as Usdc;
}

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
