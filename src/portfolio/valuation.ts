/** Marking a position to a price: its market value and unrealized PnL. */
import { notional, type Price, sub, type Usdc } from '../core/money.ts';
import type { Position } from './position.ts';

/**
 * What the shares are worth at `mid`, rounded down so a mark never flatters; null when there is
 * no mid. A resolved position is worth its payout whatever the mid (the book is gone).
 */
export function marketValue(position: Position, mid: Price | null): Usdc | null {
  if (position.resolvedPayout !== undefined) return position.cost;
  if (mid === null) return null;
  return notional(position.shares, mid, 'floor');
}

/** Market value minus cost basis; null when there is no mid. 0 once resolved (all realized). */
export function unrealizedPnl(position: Position, mid: Price | null): Usdc | null {
  const value = marketValue(position, mid);
  return value === null ? null : sub(value, position.cost);
}
