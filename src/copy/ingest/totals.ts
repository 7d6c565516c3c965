/**
 * A leader trade's totals from its parts, and what it does to the leader's position. Pure.
 *
 * Each source describes the whole trade in its own rows, so the sources' totals are alternative
 * measurements of one quantity, not amounts to add: the trade is as large as the largest total any
 * one source has reported (a source that has delivered only some of its rows yet is behind, never
 * ahead). Removed parts (a reorg) count for nothing.
 */
import { type Price, price, type Shares, type Usdc } from '../../core/money.ts';
import { mulDiv } from '../../core/rounding.ts';
import type { TradeSource } from '../sighting.ts';

export interface TradePart {
  source: TradeSource;
  size: Shares;
  usdc: Usdc;
  fee: Usdc | null;
  removed: boolean;
}

export interface TradeTotals {
  size: Shares;
  usdc: Usdc;
  /** usdc / size, rounded half-even to a micro. */
  price: Price;
  fee: Usdc | null;
  /** The source whose rows give these totals; null when every part is removed. */
  source: TradeSource | null;
}

export function tradeTotals(parts: readonly TradePart[]): TradeTotals {
  const bySource = new Map<TradeSource, { size: number; usdc: number; fee: number | null }>();
  for (const p of parts) {
    if (p.removed) continue;
    const t = bySource.get(p.source) ?? { size: 0, usdc: 0, fee: null };
    t.size += p.size;
    t.usdc += p.usdc;
    if (p.fee !== null) t.fee = (t.fee ?? 0) + p.fee;
    bySource.set(p.source, t);
  }
  let best: { source: TradeSource; size: number; usdc: number; fee: number | null } | null = null;
  // Ties go to the first source in a fixed order, so the result does not depend on arrival order.
  for (const source of ['chain', 'api', 'rtds'] as const) {
    const t = bySource.get(source);
    if (t && t.size > 0 && (best === null || t.size > best.size)) best = { source, ...t };
  }
  if (!best) return { size: 0 as Shares, usdc: 0 as Usdc, price: price(0), fee: null, source: null };
  return {
    size: best.size as Shares,
    usdc: best.usdc as Usdc,
    price: price(Math.min(1_000_000, mulDiv(best.usdc, 1_000_000, best.size, 'halfEven'))),
    fee: best.fee as Usdc | null,
    source: best.source,
  };
}

/**
 * The leader's shares after applying `delta` shares of a trade (negative when a trade shrinks or
 * is retracted): BUY adds, SELL subtracts; never below 0, since a sell of more than we saw
 * bought (flat start) still leaves nothing held.
 */
export function positionAfter(shares: number, side: 'BUY' | 'SELL', delta: number): number {
  return Math.max(0, side === 'BUY' ? shares + delta : shares - delta);
}
