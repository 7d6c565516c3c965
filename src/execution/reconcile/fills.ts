/**
 * Fills as a merge of the venue's trade reports. A fill's status only moves forward (MATCHED ->
 * MINED -> CONFIRMED, or -> FAILED, which rolls it back), so the same trade reported twice, late or
 * out of order leaves the same fills. RETRYING (a settlement being retried) says only "matched, not
 * settled" and never moves a fill back.
 */
import { MICRO, type Price, type Shares } from '../../core/money.ts';
import type { FillStatus } from '../../store/index.ts';
import {
  type FillChange,
  isFinalFill,
  type LocalFill,
  type LocalOrder,
  type ReconcileFlag,
  type VenueTrade,
  type VenueTradeStatus,
} from './types.ts';

const RANK: Record<FillStatus, number> = { MATCHED: 0, MINED: 1, CONFIRMED: 2, FAILED: 2 };

/** The stored status for a venue trade status (the store has no RETRYING). */
export function fillStatusOf(status: VenueTradeStatus): FillStatus {
  return status === 'RETRYING' ? 'MATCHED' : status;
}

export function sameHash(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && a.toLowerCase() === b.toLowerCase();
}

/**
 * The fill a trade makes for our order `orderHash`, or null when the order is not in it. As taker
 * the order got the taker's size at the taker's average price; as maker, its own entries in
 * `maker_orders` (shares of its own token at its own price, which may be the other outcome's token
 * when the match was a mint or merge).
 */
export function fillFromTrade(trade: VenueTrade, orderHash: string): LocalFill | null {
  const base = {
    tradeId: trade.id,
    status: fillStatusOf(trade.status),
    txHash: trade.txHash,
    filledAt: trade.matchTimeMs,
  };
  if (sameHash(trade.takerOrderId, orderHash)) {
    return { ...base, role: 'TAKER', size: trade.size, price: trade.price };
  }
  const mine = trade.makerOrders.filter((m) => sameHash(m.orderId, orderHash));
  const first = mine[0];
  if (first === undefined) return null;
  let size = 0;
  let value = 0n;
  for (const m of mine) {
    size += m.matchedAmount;
    value += BigInt(m.matchedAmount) * BigInt(m.price);
  }
  // One entry is the usual case; several are averaged by shares, to the nearest micro.
  const price =
    mine.length === 1 || size === 0 ? first.price : Number((value * 2n + BigInt(size)) / (2n * BigInt(size)));
  return { ...base, role: 'MAKER', size: size as Shares, price: price as Price };
}

export interface FillMerge {
  fills: LocalFill[];
  change: FillChange | null;
  flags: ReconcileFlag[];
}

/** `fills` with one more report of a trade folded in. */
export function mergeFill(fills: readonly LocalFill[], incoming: LocalFill): FillMerge {
  const index = fills.findIndex((f) => f.tradeId === incoming.tradeId);
  const existing = fills[index];
  if (existing === undefined) {
    return { fills: [...fills, incoming], change: { kind: 'add', fill: incoming }, flags: [] };
  }
  const flags: ReconcileFlag[] = [];
  if (existing.size !== incoming.size || existing.price !== incoming.price) {
    flags.push({
      kind: 'fill_mismatch',
      tradeId: incoming.tradeId,
      reason: `trade ${incoming.tradeId} reported as ${incoming.size} @ ${incoming.price} after ${existing.size} @ ${existing.price}; keeping the first`,
    });
  }
  if (isFinalFill(existing.status)) {
    if (isFinalFill(incoming.status) && incoming.status !== existing.status) {
      flags.push({
        kind: 'fill_conflict',
        tradeId: incoming.tradeId,
        reason: `trade ${incoming.tradeId} reported ${incoming.status} after ${existing.status}; a final status stays`,
      });
    }
    return { fills: [...fills], change: null, flags };
  }
  const status = RANK[incoming.status] > RANK[existing.status] ? incoming.status : existing.status;
  // A final report's hash is the settlement's; before that, the first hash seen stays.
  const txHash =
    isFinalFill(incoming.status) && incoming.txHash !== null
      ? incoming.txHash
      : (existing.txHash ?? incoming.txHash);
  const filledAt = existing.filledAt ?? incoming.filledAt;
  if (status === existing.status && txHash === existing.txHash && filledAt === existing.filledAt) {
    return { fills: [...fills], change: null, flags };
  }
  const next: LocalFill = { ...existing, status, txHash, filledAt };
  const out = [...fills];
  out[index] = next;
  const change: FillChange =
    status === 'FAILED'
      ? { kind: 'rollback', tradeId: next.tradeId, from: existing.status, size: next.size, txHash }
      : { kind: 'advance', tradeId: next.tradeId, from: existing.status, to: status, txHash };
  return { fills: out, change, flags };
}

/** Shares that count: every fill not rolled back. */
export function filledSizeOf(fills: readonly LocalFill[]): Shares {
  let total = 0;
  for (const f of fills) if (f.status !== 'FAILED') total += f.size;
  return total as Shares;
}

/**
 * The overfill flag's reason, or null: fills beyond the order, in pUSD for a BUY with a known
 * budget (price improvement buys more shares), else in shares.
 */
export function overfillOf(order: LocalOrder, fills: readonly LocalFill[]): string | null {
  const live = fills.filter((f) => f.status !== 'FAILED');
  if (order.buyBudget != null) {
    // Each fill's pUSD rounded up: a micro of rounding per fill is not an overfill.
    const spent = live.reduce((sum, f) => sum + Math.ceil((f.size * f.price) / MICRO), 0);
    return spent > order.buyBudget + live.length
      ? `fills cost ${spent} micro-pUSD, over the order's ${order.buyBudget}`
      : null;
  }
  const filled = filledSizeOf(live);
  return filled > order.size ? `fills of ${filled} exceed the order size ${order.size}` : null;
}

/**
 * Shares the venue ever matched, failed trades included: what the venue's `size_matched` counts
 * and what decides FILLED (a failed settlement is not taken to put the order back on the book).
 */
export function matchedSizeOf(fills: readonly LocalFill[]): Shares {
  let total = 0;
  for (const f of fills) total += f.size;
  return total as Shares;
}
