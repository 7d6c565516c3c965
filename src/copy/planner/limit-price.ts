/**
 * Limit prices. The limit is the worst price an order may fill at, not a prediction of where it
 * fills: a BUY fills at the best asks up to it, a SELL at the best bids down to it. How far it may
 * sit from the leader's price is the follow's `slippageBps` (live copies) or the catch-up policy's
 * `catchUpBuyMaxWorseBps`; the risk gate checks deviation from the book separately.
 *
 * Policy, and why:
 * - Live BUY: the leader's price (1 - p for a counter copy) raised by `slippageBps` of itself. The
 *   leader's own order usually took the liquidity at their price, so a limit exactly there often
 *   would not fill; a small, bounded allowance lets the copy fill without chasing the market.
 * - Catch-up BUY: the leader's price raised by at most `catchUpBuyMaxWorseBps` (when the policy
 *   requires a better price): the copy is late, so it may not pay more than the policy allows.
 * - SELL (live): the leader's price lowered by `slippageBps`. Catch-up SELL: from the lower of the
 *   leader's price and the current best bid, lowered by `slippageBps`, because a catch-up reduce
 *   always goes ahead and the leader's price may be stale.
 * - Basis points are of the price (200 bps of 0.50 is 0.01). A non-zero slippage allowance is
 *   at least one tick: on a coarse tick a small allowance would otherwise round away entirely
 *   (200 bps of 0.26 is 0.0052, under a 0.01 tick), and a limit at exactly the leader's price
 *   rarely fills because the leader's own order took that liquidity. Rounding then goes a BUY's
 *   limit down and a SELL's up, never past the allowance.
 * - Every limit lies within [tick, 1 - tick], the venue's range. A BUY whose limit would fall
 *   below one tick has no valid price and is skipped rather than raised.
 */

import { MICRO, type Price } from '../../core/money.ts';
import { mulDiv } from '../../core/rounding.ts';
import { priceBounds, roundToTick, type TickSize } from '../../core/tick.ts';
import { BPS_ONE } from './follow-config.ts';

/** `p` raised by `bps` of itself, floored (may exceed 1; the tick bounds cap it). */
export function raiseByBps(p: Price, bps: number): number {
  return mulDiv(p, BPS_ONE + bps, BPS_ONE, 'floor');
}

/** `p` lowered by `bps` of itself, ceiled, never below 0. */
export function lowerByBps(p: Price, bps: number): number {
  return mulDiv(p, Math.max(0, BPS_ONE - bps), BPS_ONE, 'ceil');
}

/** `p` raised by the slippage allowance: `bps` of itself, but at least one tick when `bps` > 0. */
export function raiseBySlippage(p: Price, bps: number, tick: TickSize): number {
  return bps === 0 || p === 0 ? p : Math.max(raiseByBps(p, bps), p + tick);
}

/** `p` lowered by the slippage allowance: `bps` of itself, but at least one tick when `bps` > 0. */
export function lowerBySlippage(p: Price, bps: number, tick: TickSize): number {
  return bps === 0 ? p : Math.max(0, Math.min(lowerByBps(p, bps), p - tick));
}

/** A BUY's limit for a worst acceptable price: floored to the tick; null when under one tick. */
export function buyLimitPrice(worst: number, tick: TickSize): Price | null {
  const [lo, hi] = priceBounds(tick);
  const onTick = roundToTick(Math.min(worst, MICRO) as Price, tick, 'floor');
  if (onTick < lo) return null;
  return Math.min(onTick, hi) as Price;
}

/** A SELL's limit for a worst acceptable price: ceiled to the tick, within [tick, 1 - tick]. */
export function sellLimitPrice(worst: number, tick: TickSize): Price {
  const [lo, hi] = priceBounds(tick);
  const onTick = roundToTick(Math.max(0, Math.min(worst, MICRO)) as Price, tick, 'ceil');
  return Math.min(Math.max(onTick, lo), hi) as Price;
}
