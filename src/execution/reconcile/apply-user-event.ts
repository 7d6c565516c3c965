/**
 * One user-channel event applied to one of our orders: `(order, event) -> next order + what
 * changed`, with no I/O. An `order` event moves the status (LIVE, PARTIAL, FILLED, CANCELLED,
 * EXPIRED); a `trade` event adds a fill (MATCHED), advances it (MINED, CONFIRMED) or rolls it
 * back (FAILED), and moves the status by what was matched.
 *
 * Events can come twice, late and out of order (a reconnect replays nothing, REST fills holes,
 * both may report the same trade). Statuses only move forward and a terminal one never moves
 * (status.ts); fills only move forward (fills.ts). So a repeated event changes nothing, and the
 * events of one consistent venue history give the same state in any order.
 */
import type { Shares } from '../../core/money.ts';
import type { OrderStatus } from '../../store/index.ts';
import { filledSizeOf, fillFromTrade, matchedSizeOf, mergeFill, overfillOf, sameHash } from './fills.ts';
import { advanceStatus, statusFromMatched, statusFromVenue } from './status.ts';
import type {
  FillChange,
  LocalFill,
  LocalOrder,
  ReconcileFlag,
  UserEvent,
  UserOrderEvent,
  VenueTrade,
} from './types.ts';

export interface UserEventOutcome {
  /** The order after the event (status and fills). */
  order: LocalOrder;
  /** Shares that count (fills not rolled back): the `filled_size` to store. */
  filledSize: Shares;
  statusChange: { from: OrderStatus; to: OrderStatus } | null;
  fillChanges: FillChange[];
  flags: ReconcileFlag[];
  changed: boolean;
  reason: string;
}

export function applyUserEvent(order: LocalOrder, event: UserEvent): UserEventOutcome {
  const hash = order.orderHash;
  if (hash === null) return finish(order, order.fills, [], [], 'never signed, so no venue event can be its');
  return event.kind === 'order'
    ? applyOrderEvent(order, hash, event)
    : applyTradeEvent(order, hash, event.trade);
}

function applyOrderEvent(order: LocalOrder, hash: string, event: UserOrderEvent): UserEventOutcome {
  if (!sameHash(event.orderId, hash)) {
    return finish(order, order.fills, [], [], `the order event is for ${event.orderId}`);
  }
  const target = statusFromVenue({
    status: event.status,
    originalSize: event.originalSize,
    sizeMatched: event.sizeMatched,
    expiration: event.expiration ?? expirationSeconds(order),
    atMs: event.timestampMs,
    cancelled: event.type === 'CANCELLATION',
    orderType: order.orderType,
  });
  const next = { ...order, status: advanceStatus(order.status, target.status) };
  return finish(
    next,
    order.fills,
    [],
    deadOrderFlags(order, 'an order event'),
    `${event.type}: ${target.why}`,
    order,
  );
}

function applyTradeEvent(order: LocalOrder, hash: string, trade: VenueTrade): UserEventOutcome {
  const fill = fillFromTrade(trade, hash);
  if (fill === null)
    return finish(order, order.fills, [], [], `trade ${trade.id} does not involve this order`);
  const merged = mergeFill(order.fills, fill);
  // A matched trade shows the order reached the venue, whatever the order events said so far.
  const byMatched = statusFromMatched(matchedSizeOf(merged.fills), order.size);
  const next = { ...order, status: byMatched ? advanceStatus(order.status, byMatched) : order.status };
  const flags = [...merged.flags, ...deadOrderFlags(order, `trade ${trade.id}`)];
  const changes = merged.change ? [merged.change] : [];
  return finish(
    next,
    merged.fills,
    changes,
    flags,
    `trade ${trade.id} ${trade.status} (${fill.role})`,
    order,
  );
}

function finish(
  next: LocalOrder,
  fills: readonly LocalFill[],
  fillChanges: FillChange[],
  flags: ReconcileFlag[],
  what: string,
  before: LocalOrder = next,
): UserEventOutcome {
  const order = { ...next, fills };
  const filledSize = filledSizeOf(fills);
  const overfill = overfillOf(order, fills);
  if (overfill !== null) flags.push({ kind: 'overfill', reason: overfill });
  const statusChange = order.status !== before.status ? { from: before.status, to: order.status } : null;
  const changed = statusChange !== null || fillChanges.length > 0;
  const fate = statusChange
    ? `${statusChange.from} -> ${statusChange.to}`
    : `stays ${order.status}${changed ? '' : ', nothing new'}`;
  return { order, filledSize, statusChange, fillChanges, flags, changed, reason: `${what}; ${fate}` };
}

function deadOrderFlags(order: LocalOrder, what: string): ReconcileFlag[] {
  if (order.status !== 'REJECTED' && order.status !== 'FAILED') return [];
  return [{ kind: 'venue_knows_dead_order', reason: `${what} for an order we hold ${order.status}` }];
}

function expirationSeconds(order: LocalOrder): number | null {
  return order.expiresAt === null ? null : Math.floor(order.expiresAt / 1000);
}
