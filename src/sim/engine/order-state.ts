/** The engine's mutable record of one accepted order, and the snapshots it publishes of it. */
import type { Micro, Price, Shares, Usdc } from '../../core/index.ts';
import type { MarketState } from './market.ts';
import type { CancelReason, OrderSnapshot, OrderStatus, OrderType, OutcomeIndex, Side } from './types.ts';

/**
 * Which side of the market's single YES-terms book an order sits on. CLOB V2 mirrors every order
 * on the complementary token at 1 - p, so one book holds both: BUY YES p and SELL NO (1-p) are
 * bids at p; SELL YES p and BUY NO (1-p) are asks at p.
 */
export type BookSide = 'bid' | 'ask';

export interface OrderState {
  readonly id: string;
  readonly owner: string;
  readonly maker: string;
  readonly market: MarketState;
  readonly outcome: OutcomeIndex;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly postOnly: boolean;
  /** Limit price of the order's own token. */
  readonly price: Price;
  /** The same limit in YES terms: where the order rests and what it crosses. */
  readonly yesPrice: Price;
  readonly bookSide: BookSide;
  readonly sizeUnit: 'shares' | 'usdc';
  readonly originalSize: Micro;
  /** Unfilled size, in sizeUnit. */
  remaining: number;
  matchedShares: Shares;
  matchedUsdc: Usdc;
  feesPaid: Usdc;
  readonly makerAmount: Micro;
  readonly takerAmount: Micro;
  readonly expiration: number;
  readonly createdAt: number;
  /** What this order holds back from its owner's balance: pUSD for a BUY, shares for a SELL. */
  reserved: number;
  status: OrderStatus;
  cancelReason: CancelReason | null;
  tradeIds: string[];
  /** Where the order is: being matched, resting on the book, waiting out a delay, or finished. */
  location: 'matching' | 'book' | 'delayed' | 'done';
  /** When a delayed order is matched (epoch ms); 0 when not delayed. */
  releaseAt: number;
}

export function bookSideOf(side: Side, outcome: OutcomeIndex): BookSide {
  return (side === 'BUY') === (outcome === 0) ? 'bid' : 'ask';
}

export function isOpen(order: OrderState): boolean {
  return order.location === 'book' || order.location === 'delayed';
}

/** The token an order trades, with its outcome's name and index, as every view of an order shows them. */
export function orderToken(order: OrderState): {
  tokenId: string;
  outcome: string;
  outcomeIndex: OrderState['outcome'];
} {
  return {
    tokenId: order.market.tokenIds[order.outcome],
    outcome: order.market.outcomes[order.outcome],
    outcomeIndex: order.outcome,
  };
}

export function snapshot(order: OrderState): OrderSnapshot {
  const market = order.market;
  return {
    id: order.id,
    owner: order.owner,
    maker: order.maker,
    market: market.conditionId,
    ...orderToken(order),
    side: order.side,
    orderType: order.orderType,
    postOnly: order.postOnly,
    price: order.price,
    sizeUnit: order.sizeUnit,
    originalSize: order.originalSize,
    sizeMatched: (order.originalSize - order.remaining) as Micro,
    matchedShares: order.matchedShares,
    matchedUsdc: order.matchedUsdc,
    feesPaid: order.feesPaid,
    makerAmount: order.makerAmount,
    takerAmount: order.takerAmount,
    expiration: order.expiration,
    createdAt: order.createdAt,
    status: order.status,
    cancelReason: order.cancelReason,
    tradeIds: [...order.tradeIds],
  };
}
