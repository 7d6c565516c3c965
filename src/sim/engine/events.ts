/**
 * Everything the engine changes, as plain event objects in the order it happened. The HTTP, WS and
 * chain layers only translate these: the market channel (`price_change`, `last_trade_price`,
 * `best_bid_ask`, `tick_size_change`, `market_resolved`), the user channel (`order`, `trade`) and
 * the exchange's `OrderFilled`/`OrdersMatched` logs (one row per maker order plus the taker's).
 */
import type { Micro, Price, Shares, TickSize, Usdc } from '../../core/index.ts';
import type { CancelReason, MarketInfo, OrderSnapshot, OutcomeIndex, Side, Trade } from './types.ts';

interface EventBase {
  /** Position in the engine's whole event stream, from 1. */
  seq: number;
  /** Epoch ms. */
  timestamp: number;
}

export interface MarketCreatedEvent extends EventBase {
  type: 'market_created';
  market: MarketInfo;
}

/** Accepting orders switched on or off, or the market closed (without a winner). */
export interface MarketUpdatedEvent extends EventBase {
  type: 'market_updated';
  market: MarketInfo;
}

/** An order came to rest on the book (user channel `PLACEMENT`). */
export interface OrderPlacedEvent extends EventBase {
  type: 'order_placed';
  order: OrderSnapshot;
}

/** A marketable order on a market with a matching delay waits (REST status `delayed`). */
export interface OrderDelayedEvent extends EventBase {
  type: 'order_delayed';
  order: OrderSnapshot;
  releaseAt: number;
}

/** A resting order was matched as a maker (user channel `UPDATE`). */
export interface OrderUpdatedEvent extends EventBase {
  type: 'order_updated';
  order: OrderSnapshot;
  tradeId: string;
}

/** An order left the book or was killed (user channel `CANCELLATION`). */
export interface OrderCancelledEvent extends EventBase {
  type: 'order_cancelled';
  order: OrderSnapshot;
  reason: CancelReason;
  /** The venue's text where it has one, e.g. the FOK kill message. */
  message: string;
}

export interface TradeEvent extends EventBase {
  type: 'trade';
  trade: Trade;
}

/** One price level of one token after a change; a change on the YES book shows on both tokens. */
export interface PriceLevelChange {
  tokenId: string;
  price: Price;
  /** BUY = a bid level of this token, SELL = an ask level. */
  side: Side;
  /** The new aggregate size; 0 removes the level. */
  size: Shares;
  /** This token's top of book and book hash after the whole operation. */
  bestBid: Price | null;
  bestAsk: Price | null;
  hash: string;
}

/** The levels one operation changed in one market (`price_change`). */
export interface BookChangedEvent extends EventBase {
  type: 'book_changed';
  market: string;
  /** Whether a trade changed the book (the real market channel then also sends a `book`). */
  traded: boolean;
  changes: PriceLevelChange[];
}

/**
 * One maker fill as a print: on the taker's token at the taker's price and side, then mirrored on
 * the other token at 1 - p with the other side.
 */
export interface LastTradePriceEvent extends EventBase {
  type: 'last_trade_price';
  market: string;
  tokenId: string;
  price: Price;
  size: Shares;
  side: Side;
  feeRate: Micro;
  tradeId: string;
}

export interface BestBidAskEvent extends EventBase {
  type: 'best_bid_ask';
  market: string;
  tokenId: string;
  bestBid: Price | null;
  bestAsk: Price | null;
  /** bestAsk - bestBid, or null when a side is empty. */
  spread: Price | null;
}

export interface TickSizeChangedEvent extends EventBase {
  type: 'tick_size_changed';
  market: string;
  tokenId: string;
  oldTickSize: TickSize;
  newTickSize: TickSize;
}

export interface MarketResolvedEvent extends EventBase {
  type: 'market_resolved';
  market: string;
  tokenIds: readonly [string, string];
  winningTokenId: string;
  winningOutcome: string;
  winningOutcomeIndex: OutcomeIndex;
}

export interface CollateralDepositedEvent extends EventBase {
  type: 'collateral_deposited';
  address: string;
  amount: Usdc;
}

export interface CollateralWithdrawnEvent extends EventBase {
  type: 'collateral_withdrawn';
  address: string;
  amount: Usdc;
}

/** pUSD turned into as many YES and NO shares (CTF `PositionSplit`). */
export interface PositionsSplitEvent extends EventBase {
  type: 'positions_split';
  address: string;
  market: string;
  amount: Shares;
}

/** YES and NO shares turned back into pUSD (CTF `PositionsMerge`). */
export interface PositionsMergedEvent extends EventBase {
  type: 'positions_merged';
  address: string;
  market: string;
  amount: Shares;
}

/** Both positions of a resolved market burned, the winner's paid 1 pUSD a share (`PayoutRedemption`). */
export interface PositionsRedeemedEvent extends EventBase {
  type: 'positions_redeemed';
  address: string;
  market: string;
  /** Shares burned per outcome, YES first. */
  burned: readonly [Shares, Shares];
  payout: Usdc;
}

export type EngineEvent =
  | MarketCreatedEvent
  | MarketUpdatedEvent
  | OrderPlacedEvent
  | OrderDelayedEvent
  | OrderUpdatedEvent
  | OrderCancelledEvent
  | TradeEvent
  | BookChangedEvent
  | LastTradePriceEvent
  | BestBidAskEvent
  | TickSizeChangedEvent
  | MarketResolvedEvent
  | CollateralDepositedEvent
  | CollateralWithdrawnEvent
  | PositionsSplitEvent
  | PositionsMergedEvent
  | PositionsRedeemedEvent;

type Unstamped<E> = E extends EngineEvent ? Omit<E, 'seq' | 'timestamp'> : never;

/** An event before the engine stamps its sequence number and time. */
export type UnstampedEvent = Unstamped<EngineEvent>;
