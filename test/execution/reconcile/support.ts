/** Builders for reconciliation tests: one order of ours, trades and events around it. */
import { MICRO, type Micro, type Price, type Shares } from '../../../src/core/money.ts';
import type {
  LocalFill,
  LocalOrder,
  UserOrderEvent,
  UserTradeEvent,
  VenueOrder,
  VenueTrade,
} from '../../../src/execution/reconcile/index.ts';

export const NOW = 1_790_000_000_000;
export const HASH = `0x${'ab'.repeat(32)}`;
export const OTHER = `0x${'cd'.repeat(32)}`;
export const TX = `0x${'ef'.repeat(32)}`;

/** Whole shares (or pUSD) in micro-units. */
export const sh = (n: number) => Math.round(n * MICRO) as Shares;
export const px = (n: number) => Math.round(n * MICRO) as Price;

export function order(over: Partial<LocalOrder> = {}): LocalOrder {
  return {
    id: 1,
    status: 'SUBMITTED',
    orderHash: HASH,
    size: sh(10),
    orderType: 'GTC',
    createdAt: NOW - 5 * 60_000,
    submittedAt: NOW - 5 * 60_000 + 100,
    expiresAt: null,
    fills: [],
    ...over,
  };
}

export function fill(over: Partial<LocalFill> = {}): LocalFill {
  return {
    tradeId: 't1',
    role: 'MAKER',
    size: sh(4),
    price: px(0.55),
    status: 'MATCHED',
    txHash: null,
    filledAt: NOW - 60_000,
    ...over,
  };
}

/** A trade in which our order `HASH` rested (maker) for `shares` at `price`. */
export function makerTrade(shares: number, over: Partial<VenueTrade> = {}, price = 0.55): VenueTrade {
  return {
    id: 't1',
    status: 'MATCHED',
    takerOrderId: OTHER,
    size: sh(shares),
    price: px(1 - price),
    makerOrders: [{ orderId: HASH, matchedAmount: sh(shares), price: px(price) }],
    matchTimeMs: NOW - 60_000,
    txHash: null,
    ...over,
  };
}

/** A trade our order `HASH` took. */
export function takerTrade(shares: number, over: Partial<VenueTrade> = {}, price = 0.55): VenueTrade {
  return {
    id: 't1',
    status: 'MATCHED',
    takerOrderId: HASH,
    size: sh(shares),
    price: px(price),
    makerOrders: [{ orderId: OTHER, matchedAmount: sh(shares), price: px(price) }],
    matchTimeMs: NOW - 60_000,
    txHash: null,
    ...over,
  };
}

export const tradeEvent = (trade: VenueTrade): UserTradeEvent => ({ kind: 'trade', trade });

export function orderEvent(
  type: UserOrderEvent['type'],
  matched: number | null,
  over: Partial<UserOrderEvent> = {},
): UserOrderEvent {
  return {
    kind: 'order',
    type,
    orderId: HASH,
    originalSize: sh(10),
    sizeMatched: matched === null ? null : (sh(matched) as Micro),
    status: type === 'CANCELLATION' ? 'CANCELED' : 'LIVE',
    expiration: 0,
    timestampMs: NOW - 30_000,
    ...over,
  };
}

export function venueOrder(matched: number, over: Partial<VenueOrder> = {}): VenueOrder {
  return { id: HASH, status: 'LIVE', originalSize: sh(10), sizeMatched: sh(matched), expiration: 0, ...over };
}
