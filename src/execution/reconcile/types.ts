/**
 * Plain data for order reconciliation: our order as the store holds it, the venue's view of it
 * (user-channel events, `/data/orders`, `/data/trades`, `/data/order/<hash>`), and the decisions
 * the pure functions return. Sizes and prices are micro-units (design.md rule 1); hashes are
 * compared case-insensitively.
 */
import type { Micro, Price, Shares } from '../../core/money.ts';
import type { FillStatus, OrderStatus, OrderType } from '../../store/index.ts';

/** States an order never leaves (design.md §7, "explicit lifecycles"). */
export const TERMINAL_ORDER_STATUSES = ['FILLED', 'CANCELLED', 'REJECTED', 'FAILED', 'EXPIRED'] as const;
export type TerminalOrderStatus = (typeof TERMINAL_ORDER_STATUSES)[number];

export function isTerminalOrder(status: OrderStatus): status is TerminalOrderStatus {
  return (TERMINAL_ORDER_STATUSES as readonly string[]).includes(status);
}

/** Fill states a fill never leaves: settled on chain, or rolled back. */
export function isFinalFill(status: FillStatus): boolean {
  return status === 'CONFIRMED' || status === 'FAILED';
}

export type TradeRole = 'TAKER' | 'MAKER';

/** One trade's part in one of our orders (a `fills` row). */
export interface LocalFill {
  /** The venue's trade id; one fill per trade per order. */
  tradeId: string;
  role: TradeRole;
  /** Shares of the order's own token. */
  size: Shares;
  /** The order's own price for this fill (a taker's is its share-weighted average). */
  price: Price;
  /** FAILED: rolled back, counts for nothing. */
  status: FillStatus;
  txHash: string | null;
  /** Epoch ms of the match; null when the venue did not say. */
  filledAt: number | null;
}

/** An order of ours as the store holds it (an `orders` row with its fills). */
export interface LocalOrder {
  id: number;
  status: OrderStatus;
  /** The EIP-712 hash of the signed order, which is the venue's order id; null until signed. */
  orderHash: string | null;
  /** Shares. */
  size: Shares;
  orderType: OrderType;
  /** Epoch ms the intent was written (PENDING). */
  createdAt: number;
  /** Epoch ms the venue call began, when it did. */
  submittedAt: number | null;
  /** GTD: when the venue expires it, epoch ms; null for none. */
  expiresAt: number | null;
  /**
   * A BUY's signed pUSD (size x limit), when known: a taker BUY filled at a better price than
   * its limit gets more shares than `size` for the same pUSD, which is not an overfill.
   */
  buyBudget?: number | null;
  fills: readonly LocalFill[];
}

/** As the venue writes them; RETRYING goes back to MINED, CONFIRMED and FAILED are final. */
export type VenueTradeStatus = 'MATCHED' | 'MINED' | 'CONFIRMED' | 'RETRYING' | 'FAILED';

export interface VenueMakerOrder {
  orderId: string;
  /** Shares of that maker order's own token. */
  matchedAmount: Shares;
  /** That maker order's own price. */
  price: Price;
}

/** A trade as `/data/trades` or a user-channel `trade` message gives it. */
export interface VenueTrade {
  id: string;
  status: VenueTradeStatus;
  takerOrderId: string;
  /** The taker's shares and share-weighted average price. */
  size: Shares;
  price: Price;
  /** As the recipient sees them: a maker sees only its own entries. */
  makerOrders: readonly VenueMakerOrder[];
  /** Epoch ms; null when the venue did not say. */
  matchTimeMs: number | null;
  txHash: string | null;
}

/** An order as `/data/orders` or `/data/order/<hash>` gives it. */
export interface VenueOrder {
  /** The order hash. */
  id: string;
  /** LIVE, DELAYED, MATCHED, CANCELED, CANCELED_<reason>..., as the venue writes it. */
  status: string;
  /** In the order's own unit: shares, but pUSD for a market (FOK/FAK) BUY. */
  originalSize: Micro;
  sizeMatched: Micro;
  /** Unix seconds; 0 for none. */
  expiration: number;
}

export type UserOrderEventType = 'PLACEMENT' | 'UPDATE' | 'CANCELLATION';

/** A user-channel `order` message, reduced to what moves our state. */
export interface UserOrderEvent {
  kind: 'order';
  type: UserOrderEventType;
  /** The order hash. */
  orderId: string;
  /** In the order's own unit (see VenueOrder). */
  originalSize: Micro;
  /** Null when the venue sent "" (an order killed on arrival). */
  sizeMatched: Micro | null;
  /** LIVE, MATCHED, CANCELED_<reason>...; null when absent. */
  status: string | null;
  /** Unix seconds, 0 for none; null when absent. */
  expiration: number | null;
  timestampMs: number;
}

/** A user-channel `trade` message: one status change of one trade. */
export interface UserTradeEvent {
  kind: 'trade';
  trade: VenueTrade;
}

export type UserEvent = UserOrderEvent | UserTradeEvent;

/** What changed in an order's fills; the caller writes these to `fills`. */
export type FillChange =
  /** A trade we had no fill for (possibly already FAILED: recorded so a late MATCHED cannot revive it). */
  | { kind: 'add'; fill: LocalFill }
  /** MATCHED -> MINED -> CONFIRMED. */
  | { kind: 'advance'; tradeId: string; from: FillStatus; to: FillStatus; txHash: string | null }
  /** The trade failed: its `size` no longer counts as filled. */
  | { kind: 'rollback'; tradeId: string; from: FillStatus; size: Shares; txHash: string | null };

export const RECONCILE_FLAG_KINDS = [
  /** The fills add up to more than the order's size (kept exact, never clamped). */
  'overfill',
  /** The venue says CONFIRMED and FAILED for one trade; the first final status is kept. */
  'fill_conflict',
  /** The same trade id came with another size or price for this order; the first is kept. */
  'fill_mismatch',
  /** A fill we hold that the venue's trade list does not have. */
  'fill_unknown_to_venue',
  /** The venue shows, trades or reports an order we had settled as REJECTED or FAILED. */
  'venue_knows_dead_order',
  /** The venue has the order open though we hold it terminal: the caller may cancel it. */
  'open_at_venue_but_terminal',
  /** The venue said it does not know a hash it had acknowledged or traded. */
  'venue_forgot_order',
] as const;
export type ReconcileFlagKind = (typeof RECONCILE_FLAG_KINDS)[number];

export interface ReconcileFlag {
  kind: ReconcileFlagKind;
  reason: string;
  tradeId?: string;
}
