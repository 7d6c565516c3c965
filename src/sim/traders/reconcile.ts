/**
 * From the quotes a maker wants to the orders to cancel and place: keep every live order that is
 * exactly a wanted quote (same token, side, price and remaining size), cancel the rest, place what
 * is missing. Nothing that is already right is touched, so queue priority survives a refresh.
 */
import type { QuoteTarget } from './quotes.ts';

/** A resting order of the maker, described as a quote; `size` is what remains unfilled. */
export interface LiveQuote extends QuoteTarget {
  orderId: string;
}

export interface Reconciliation {
  /** Order ids, in the live list's order. */
  cancel: string[];
  /** In the targets' order. */
  place: QuoteTarget[];
}

const keyOf = (q: QuoteTarget): string => `${q.tokenId}|${q.side}|${q.price}|${q.size}`;

export function reconcile(targets: readonly QuoteTarget[], live: readonly LiveQuote[]): Reconciliation {
  const unmatched = new Map<string, LiveQuote[]>();
  for (const q of live) {
    const key = keyOf(q);
    const list = unmatched.get(key);
    if (list === undefined) unmatched.set(key, [q]);
    else list.push(q);
  }
  const kept = new Set<string>();
  const place: QuoteTarget[] = [];
  for (const t of targets) {
    // Oldest first: the order with the best queue position is the one to keep.
    const match = unmatched.get(keyOf(t))?.shift();
    if (match === undefined) place.push(t);
    else kept.add(match.orderId);
  }
  return { cancel: live.filter((q) => !kept.has(q.orderId)).map((q) => q.orderId), place };
}
