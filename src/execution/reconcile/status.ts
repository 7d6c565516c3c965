/**
 * Order status as a one-way street: PENDING -> SUBMITTED -> LIVE -> PARTIAL, then one terminal
 * state that nothing moves again. Every venue report is turned into a target status and joined with
 * the current one, so a late, repeated or reordered report can only confirm what is known.
 */
import type { Micro } from '../../core/money.ts';
import type { OrderStatus, OrderType } from '../../store/index.ts';
import { isTerminalOrder } from './types.ts';

const WORKING_RANK: Partial<Record<OrderStatus, number>> = { PENDING: 0, SUBMITTED: 1, LIVE: 2, PARTIAL: 3 };

/** `current` moved towards `target`: forward only, and never out of a terminal state. */
export function advanceStatus(current: OrderStatus, target: OrderStatus): OrderStatus {
  if (isTerminalOrder(current)) return current;
  if (isTerminalOrder(target)) return target;
  return (WORKING_RANK[target] ?? 0) > (WORKING_RANK[current] ?? 0) ? target : current;
}

/** What a matched amount says of an order of `size`: FILLED at the size, PARTIAL above 0. */
export function statusFromMatched(matched: number, size: number): OrderStatus | null {
  if (matched <= 0) return null;
  return size > 0 && matched >= size ? 'FILLED' : 'PARTIAL';
}

export interface VenueOrderState {
  /** The venue's status text, or null when it did not say. */
  status: string | null;
  /** Both in the order's own unit. */
  originalSize: Micro;
  sizeMatched: Micro | null;
  /** Unix seconds, 0 or null for none. */
  expiration: number | null;
  /** Epoch ms the venue reported this. */
  atMs: number;
  /** The report is a cancellation whatever its status says (a `CANCELLATION` event). */
  cancelled?: boolean;
  /** Ours: a FOK or FAK never rests, so the venue's "cancel" of one is its kill. */
  orderType?: OrderType;
}

/**
 * Our status for the venue's report of an order. The venue writes every end short of a fill as
 * CANCELED (with a reason after it, or none): one with a passed expiration is an expiry.
 */
export function statusFromVenue(v: VenueOrderState): { status: OrderStatus; why: string } {
  const text = (v.status ?? '').toUpperCase();
  const matched = v.sizeMatched ?? 0;
  if (v.cancelled === true || text.startsWith('CANCELED') || text.startsWith('CANCELLED')) {
    const exp = v.expiration ?? 0;
    if (exp > 0 && v.atMs >= exp * 1000) return { status: 'EXPIRED', why: 'the venue expired it (GTD)' };
    // A FOK or FAK is killed, not cancelled: the same end as the venue's answer to the POST, so
    // whichever of the two arrives first gives one final state. With a fill it is done (its
    // filled size says how much); without, the venue refused it (the POST's FOK/FAK error).
    if (v.orderType === 'FOK' || v.orderType === 'FAK') {
      const said = text ? `: ${v.status}` : '';
      return matched > 0
        ? { status: 'FILLED', why: `the venue filled part of the ${v.orderType} and killed the rest${said}` }
        : { status: 'REJECTED', why: `the venue killed the ${v.orderType} with nothing filled${said}` };
    }
    return { status: 'CANCELLED', why: `the venue cancelled it${text ? ` (${v.status})` : ''}` };
  }
  if (text === 'INVALID') return { status: 'REJECTED', why: 'the venue reports it INVALID' };
  if (text === 'MATCHED') return { status: 'FILLED', why: 'the venue reports it fully matched' };
  const byMatched = statusFromMatched(matched, v.originalSize);
  if (byMatched === 'FILLED') return { status: 'FILLED', why: 'the venue matched all of it' };
  if (byMatched === 'PARTIAL') return { status: 'PARTIAL', why: 'the venue matched part of it' };
  // LIVE, DELAYED (held by a matching delay) and UNMATCHED (placed after a failed delay) all work on.
  return { status: 'LIVE', why: `working at the venue${text ? ` (${v.status})` : ''}` };
}
