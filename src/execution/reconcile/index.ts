/**
 * Order state from the venue, as pure functions: user-channel events applied one at a time
 * (`applyUserEvent`), and REST snapshots reconciled at start, periodically and after a socket gap
 * (`reconcileOrders`). The caller does the I/O and writes the decisions.
 */
export { applyUserEvent, type UserEventOutcome } from './apply-user-event.ts';
export { filledSizeOf, fillFromTrade, fillStatusOf, matchedSizeOf, mergeFill } from './fills.ts';
export {
  epochMsOf,
  type OpenOrderWire,
  type TradeWire,
  userEventFromWire,
  userOrderEventFromWire,
  venueOrderFromWire,
  venueTradeFromWire,
} from './from-wire.ts';
export {
  DEFAULT_ACCEPTANCE_WINDOW_MS,
  DEFAULT_PENDING_EXPIRY_MS,
  type OrderDecision,
  type ReconcileOptions,
  type ReconcileResult,
  reconcileOrders,
} from './reconcile-orders.ts';
export { advanceStatus, statusFromMatched, statusFromVenue } from './status.ts';
export * from './types.ts';
