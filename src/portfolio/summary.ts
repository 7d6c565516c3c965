/** The account at a glance: PnL, equity and exposure from positions, marks and cash. */
import { add, type Price, sub, type Usdc } from '../core/money.ts';
import type { Position } from './position.ts';
import { marketValue } from './valuation.ts';

export interface PortfolioSummary {
  /** Sum of the positions' realized PnL (sells and resolutions). */
  readonly realized: Usdc;
  /** Marked value minus cost of the open positions that have a mark. */
  readonly unrealized: Usdc;
  /**
   * equity - startingCash. When the positions are the whole ledger since `startingCash` (closed
   * ones included) and no cash came in or out otherwise, this is exactly realized + unrealized;
   * a difference means a deposit, a withdrawal or a ledger that lost a record.
   */
  readonly total: Usdc;
  /** cash + the value of every position (open at its mark, resolved at its payout). */
  readonly equity: Usdc;
  /** Cost basis of the open (unresolved) positions: what is at risk in live markets. */
  readonly exposure: Usdc;
  /** Payouts of resolved positions not yet redeemed: already in equity, not yet in cash. */
  readonly redeemable: Usdc;
  /** Open positions with shares but no mark; valued at cost, so they add nothing to unrealized. */
  readonly unpriced: readonly string[];
}

/** Summarizes `positions`; a token missing from `marks` counts as having no mark. */
export function summarize(
  positions: Iterable<Position>,
  marks: ReadonlyMap<string, Price | null>,
  cash: Usdc,
  startingCash: Usdc,
): PortfolioSummary {
  let realized = 0 as Usdc;
  let unrealized = 0 as Usdc;
  let value = 0 as Usdc;
  let exposure = 0 as Usdc;
  let redeemable = 0 as Usdc;
  const unpriced: string[] = [];
  for (const p of positions) {
    realized = add(realized, p.realizedPnl);
    if (p.resolvedPayout !== undefined) {
      redeemable = add(redeemable, p.cost);
      value = add(value, p.cost);
      continue;
    }
    exposure = add(exposure, p.cost);
    const marked = marketValue(p, marks.get(p.tokenId) ?? null);
    if (marked === null) {
      // Showing an unmarked position at cost keeps equity honest without inventing a PnL.
      if (p.shares > 0) unpriced.push(p.tokenId);
      value = add(value, p.cost);
    } else {
      unrealized = add(unrealized, sub(marked, p.cost));
      value = add(value, marked);
    }
  }
  const equity = add(cash, value);
  return { realized, unrealized, total: sub(equity, startingCash), equity, exposure, redeemable, unpriced };
}
