/**
 * CLOB V2 taker fees: fee = shares x rate x p x (1 - p) in pUSD, truncated to 5 decimals (a
 * multiple of 10 micro-units). Makers pay nothing. All 21 real V2 taker fills in NautilusTrader's
 * chain_order_filled_taker_fees fixture match this formula (api-reference.md section 8.1). A BUY
 * pays the fee on top of its cost, a SELL has it deducted from its proceeds (CTF exchange V2
 * `Trading.sol`). The simulator charges it and the paper broker books it, from this one function.
 */
import { MICRO, type Micro, type Price, type Shares, type Usdc } from '../core/index.ts';

/** Fees are truncated to 5 decimals. */
export const FEE_UNIT = 10;

const MICRO_CUBED = BigInt(MICRO) ** 3n;

/** The taker fee for `size` shares at `p` (either token's price: p(1 - p) is symmetric). */
export function takerFee(size: Shares, p: Price, rate: Micro): Usdc {
  if (rate === 0 || size === 0) return 0 as Usdc;
  // size * rate * p * (1 - p) / 1e18 overflows 2^53 quickly; bigint keeps it exact.
  const raw = Number((BigInt(size) * BigInt(rate) * BigInt(p * (MICRO - p))) / MICRO_CUBED);
  return (raw - (raw % FEE_UNIT)) as Usdc;
}
