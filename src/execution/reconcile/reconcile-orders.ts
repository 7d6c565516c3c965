/**
 * REST reconciliation: our orders against the venue's open orders and trades (and, where the
 * caller looked them up, single orders by hash), `(local, venueOpen, venueTrades, now) ->
 * decisions`, with no I/O. Run at start before anything new is sent (design.md rule 3) and
 * periodically, or after a user-channel gap, to catch what the socket missed.
 *
 * What the caller fetches, and in which order: `/data/orders` first, then `/data/trades` covering
 * the orders' lifetimes. A fill landing between the two calls then makes an order vanish from the
 * first and appear in the second, never the reverse. `lookups` holds `/data/order/<hash>` answers:
 * the order in any state, or null when the venue answered that it does not know the hash. Only such
 * an answer proves a hash unknown: an order that was accepted and then cancelled, expired or killed
 * without a trade is in neither list.
 *
 * The rules, per local order (each decision says which applied, in `reason`):
 * - Fills: a venue trade of the order that we lack is added; one we have moves forward (MINED,
 *   CONFIRMED, FAILED rolls it back); one we have that the venue does not list is flagged, never
 *   deleted. Fills are merged for every order, terminal ones included: they are money.
 * - Terminal orders keep their status; the venue still showing one open is flagged.
 * - Open at the venue: LIVE or PARTIAL (FILLED when the trades fill it).
 * - Looked up by hash: the venue's status (LIVE, PARTIAL, FILLED, CANCELLED, EXPIRED, REJECTED).
 * - PENDING with nothing at the venue: FAILED once older than `pendingExpiryMs` (10 min).
 *   Otherwise `resendable` only when the venue provably cannot hold it: it has no hash (the hash is
 *   written before any send, so none was signed or sent) or the venue answered that it does not know
 *   the hash, at least `acceptanceWindowMs` after any send began. A hash the venue was not asked
 *   about has an unknown fate, and an order whose fate is unknown is never blindly resent.
 * - SUBMITTED with nothing at the venue: stays SUBMITTED within the acceptance window; then
 *   REJECTED when the venue does not know the hash, else FAILED (fate unknown, not resent).
 * - Traded or LIVE/PARTIAL but no longer open: FILLED when the trades fill it; otherwise, once past
 *   the acceptance window (a younger order may be open after the snapshot), EXPIRED when its GTD
 *   expiry has passed, else CANCELLED.
 *
 * `resendable` is advice for start-up: an order a running worker holds is not the reconciler's to
 * send. Resending the very same signed order is safe at the venue (a duplicate hash is refused);
 * a re-signed one is a new order.
 */
import type { Shares } from '../../core/money.ts';
import type { OrderStatus } from '../../store/index.ts';
import { filledSizeOf, fillFromTrade, matchedSizeOf, mergeFill, overfillOf } from './fills.ts';
import { advanceStatus, statusFromMatched, statusFromVenue } from './status.ts';
import {
  type FillChange,
  isTerminalOrder,
  type LocalFill,
  type LocalOrder,
  type ReconcileFlag,
  type VenueOrder,
  type VenueTrade,
} from './types.ts';

/** A PENDING intent older than this is failed, as the order manager's PENDING_EXPIRY_MS. */
export const DEFAULT_PENDING_EXPIRY_MS = 10 * 60_000;
/**
 * How long after a send began the venue may still be taking the order: a slow POST, a matching
 * delay (sports markets hold marketable orders for seconds), clock skew between hosts.
 */
export const DEFAULT_ACCEPTANCE_WINDOW_MS = 60_000;

export interface ReconcileOptions {
  /** `/data/order/<hash>` answers by hash: the order, or null for "the venue does not know it". */
  lookups?: ReadonlyMap<string, VenueOrder | null>;
  pendingExpiryMs?: number;
  acceptanceWindowMs?: number;
}

export interface OrderDecision {
  orderId: number;
  orderHash: string | null;
  from: OrderStatus;
  to: OrderStatus;
  /** The fills after the merge, and what changed in them. */
  fills: LocalFill[];
  fillChanges: FillChange[];
  /** Shares that count (fills not rolled back): the `filled_size` to store. */
  filledSize: Shares;
  /** Only PENDING orders the venue provably does not hold, young enough to matter. */
  resendable: boolean;
  flags: ReconcileFlag[];
  changed: boolean;
  reason: string;
}

export interface ReconcileResult {
  /** One per local order, in the order given. */
  decisions: OrderDecision[];
  /** Open at the venue under a hash no local order has: placed elsewhere, or an intent we lost. */
  unknownOpenOrders: { orderId: string; reason: string }[];
  /** Trades of no local order; meaningful when `local` holds every order of the trades' period. */
  unknownTrades: { tradeId: string; reason: string }[];
}

export function reconcileOrders(
  local: readonly LocalOrder[],
  venueOpen: readonly VenueOrder[],
  venueTrades: readonly VenueTrade[],
  now: number,
  options: ReconcileOptions = {},
): ReconcileResult {
  const ctx: Context = {
    now,
    open: new Map(venueOpen.map((o) => [o.id.toLowerCase(), o])),
    lookups: new Map([...(options.lookups ?? new Map())].map(([k, v]) => [k.toLowerCase(), v])),
    trades: venueTrades,
    pendingExpiryMs: options.pendingExpiryMs ?? DEFAULT_PENDING_EXPIRY_MS,
    acceptanceWindowMs: options.acceptanceWindowMs ?? DEFAULT_ACCEPTANCE_WINDOW_MS,
  };
  const hashes = new Set(local.flatMap((o) => (o.orderHash === null ? [] : [o.orderHash.toLowerCase()])));
  const ours = (id: string) => hashes.has(id.toLowerCase());
  return {
    decisions: local.map((order) => decide(order, ctx)),
    unknownOpenOrders: venueOpen
      .filter((o) => !ours(o.id))
      .map((o) => ({
        orderId: o.id,
        reason: `open at the venue (${o.status}) but no local order has this hash`,
      })),
    unknownTrades: venueTrades
      .filter((t) => !ours(t.takerOrderId) && !t.makerOrders.some((m) => ours(m.orderId)))
      .map((t) => ({ tradeId: t.id, reason: `trade ${t.status} of orders no local order has` })),
  };
}

interface Context {
  now: number;
  open: Map<string, VenueOrder>;
  lookups: Map<string, VenueOrder | null>;
  trades: readonly VenueTrade[];
  pendingExpiryMs: number;
  acceptanceWindowMs: number;
}

interface Verdict {
  to: OrderStatus;
  why: string;
  resendable?: boolean;
}

function decide(order: LocalOrder, ctx: Context): OrderDecision {
  const hash = order.orderHash?.toLowerCase() ?? null;
  let fills: LocalFill[] = [...order.fills];
  const fillChanges: FillChange[] = [];
  const flags: ReconcileFlag[] = [];
  const traded = new Set<string>();
  if (hash !== null) {
    for (const trade of ctx.trades) {
      const fill = fillFromTrade(trade, hash);
      if (fill === null) continue;
      traded.add(trade.id);
      const merged = mergeFill(fills, fill);
      fills = merged.fills;
      if (merged.change) fillChanges.push(merged.change);
      flags.push(...merged.flags);
    }
    for (const f of order.fills) {
      if (f.status === 'FAILED' || traded.has(f.tradeId)) continue;
      flags.push({
        kind: 'fill_unknown_to_venue',
        tradeId: f.tradeId,
        reason: `fill ${f.tradeId} (${f.status}) is not in the venue's trades`,
      });
    }
  }
  const open = hash === null ? undefined : ctx.open.get(hash);
  const lookup = hash === null ? undefined : ctx.lookups.get(hash);
  if (lookup === null && (open !== undefined || traded.size > 0)) {
    flags.push({
      kind: 'venue_forgot_order',
      reason: 'the venue said it does not know the hash, yet lists it',
    });
  }
  const verdict = judge(order, { open, lookup, traded: traded.size > 0, fills, flags }, ctx);
  const filledSize = filledSizeOf(fills);
  const overfill = overfillOf(order, fills);
  if (overfill !== null) flags.push({ kind: 'overfill', reason: overfill });
  const fate = verdict.to === order.status ? `stays ${order.status}` : `${order.status} -> ${verdict.to}`;
  const fillNote = fillChanges.length > 0 ? ` (${describeFillChanges(fillChanges)})` : '';
  return {
    orderId: order.id,
    orderHash: order.orderHash,
    from: order.status,
    to: verdict.to,
    fills,
    fillChanges,
    filledSize,
    resendable: verdict.resendable ?? false,
    flags,
    changed: verdict.to !== order.status || fillChanges.length > 0,
    reason: `${verdict.why}; ${fate}${fillNote}`,
  };
}

interface Seen {
  open: VenueOrder | undefined;
  /** undefined: not looked up; null: the venue does not know the hash. */
  lookup: VenueOrder | null | undefined;
  traded: boolean;
  fills: readonly LocalFill[];
  flags: ReconcileFlag[];
}

function judge(order: LocalOrder, seen: Seen, ctx: Context): Verdict {
  const { now } = ctx;
  const status = order.status;
  const byMatched = statusFromMatched(matchedSizeOf(seen.fills), order.size);
  const withFills = (s: OrderStatus) => (byMatched ? advanceStatus(s, byMatched) : s);

  if (isTerminalOrder(status)) {
    if (seen.open !== undefined) {
      seen.flags.push({
        kind: 'open_at_venue_but_terminal',
        reason: `the venue has it open (${seen.open.status}) though we hold it ${status}`,
      });
    }
    if ((status === 'REJECTED' || status === 'FAILED') && (seen.open || seen.lookup || seen.traded)) {
      seen.flags.push({
        kind: 'venue_knows_dead_order',
        reason: `the venue knows an order we hold ${status}`,
      });
    }
    return { to: status, why: 'terminal' };
  }

  const venueOrder = seen.open ?? seen.lookup ?? undefined;
  if (venueOrder !== undefined) {
    const target = statusFromVenue({ ...venueOrder, atMs: now, orderType: order.orderType });
    const where = seen.open ? 'open at the venue' : 'looked up by hash';
    // The trades first: an order they fill is FILLED even if the venue's order lags behind them.
    const to = advanceStatus(withFills(status), target.status);
    return { to, why: `${where}: ${target.why}` };
  }

  const sinceSend = now - (order.submittedAt ?? order.createdAt);
  const young = sinceSend < ctx.acceptanceWindowMs;
  if (!seen.traded && (status === 'PENDING' || status === 'SUBMITTED')) {
    return status === 'PENDING' ? judgePending(order, seen, ctx, young) : judgeSubmitted(seen, young);
  }

  // Traded, or LIVE/PARTIAL, and not open: finished at the venue unless the trades fill it.
  if (byMatched === 'FILLED') return { to: withFills(status), why: 'not open and its trades fill it' };
  // A FOK or FAK never rests: what traded is all it will do (see statusFromVenue).
  if (seen.traded && (order.orderType === 'FOK' || order.orderType === 'FAK')) {
    return { to: advanceStatus(status, 'FILLED'), why: `its trades are all a ${order.orderType} gets` };
  }
  if (young) {
    return { to: withFills(status), why: 'not open, but sent too recently to call it closed; check again' };
  }
  if (seen.lookup === null && !seen.traded) {
    seen.flags.push({
      kind: 'venue_forgot_order',
      reason: `the venue does not know an order we hold ${status}`,
    });
  }
  const traded = seen.traded ? 'its trades do not fill it' : 'no trades';
  if (order.expiresAt !== null && order.expiresAt <= now) {
    return { to: withFills('EXPIRED'), why: `no longer open, ${traded}, and its expiry has passed` };
  }
  return { to: withFills('CANCELLED'), why: `no longer open at the venue and ${traded}: cancelled there` };
}

function judgePending(order: LocalOrder, seen: Seen, ctx: Context, young: boolean): Verdict {
  const age = ctx.now - order.createdAt;
  if (age >= ctx.pendingExpiryMs) {
    return {
      to: 'FAILED',
      why: `intent ${Math.round(age / 1000)} s old with nothing of it at the venue; not resent`,
    };
  }
  if (order.orderHash === null) {
    return {
      to: 'PENDING',
      why: 'never signed, so the venue cannot hold it; young enough to send',
      resendable: true,
    };
  }
  if (seen.lookup === null) {
    if (young) {
      return {
        to: 'PENDING',
        why: 'the venue does not know its hash yet, but a send may be in flight; check again',
      };
    }
    return { to: 'PENDING', why: 'the venue does not know its hash; young enough to send', resendable: true };
  }
  return {
    to: 'PENDING',
    why: 'signed but neither open nor traded at the venue: its fate is unknown (it may have been taken and cancelled); look the hash up before sending',
  };
}

function judgeSubmitted(seen: Seen, young: boolean): Verdict {
  if (young)
    return { to: 'SUBMITTED', why: 'not at the venue yet, within the acceptance window; check again' };
  if (seen.lookup === null) {
    return {
      to: 'REJECTED',
      why: 'the venue does not know its hash after the acceptance window: it never took it',
    };
  }
  return {
    to: 'FAILED',
    why: 'fate unknown: neither open nor traded at the venue after the acceptance window; not resent',
  };
}

function describeFillChanges(changes: readonly FillChange[]): string {
  const count = (kind: FillChange['kind']) => changes.filter((c) => c.kind === kind).length;
  const parts = [
    [count('add'), 'added'],
    [count('advance'), 'advanced'],
    [count('rollback'), 'rolled back'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} fill${n === 1 ? '' : 's'} ${what}`)
    .join(', ');
}
