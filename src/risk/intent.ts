/**
 * What the gate judges: an order intent from any source (copy trading, strategies) and a snapshot
 * of the world at decision time. Plain data, so a replay can feed the gate recorded snapshots.
 */
import type { Price, Shares, Usdc } from '../core/money.ts';
import type { BreakerState } from './breaker.ts';

export type OrderSide = 'BUY' | 'SELL';
export const ORDER_SIDES: readonly OrderSide[] = ['BUY', 'SELL'];

export interface RiskIntent {
  readonly accountId: number;
  /** The leader being copied; null for orders that copy no one (strategies). */
  readonly leaderAddress: string | null;
  readonly conditionId: string;
  readonly tokenId: string;
  readonly side: OrderSide;
  readonly size: Shares;
  readonly limitPrice: Price;
  /** Cash the order commits: size * limitPrice, rounded up for a buy. */
  readonly notional: Usdc;
  /** The leader's fill price; null when there is no leader trade. */
  readonly leaderPrice: Price | null;
  /** The leader's trade size in USDC; null when there is no leader trade. */
  readonly leaderTradeUsdc: Usdc | null;
}

export interface RiskMarket {
  readonly conditionId: string;
  readonly slug?: string | null;
  /** When the market is expected to end (epoch ms); null if unknown. */
  readonly endAt: number | null;
}

/** The book for the token we trade, as the quote cache saw it. */
export interface RiskQuote {
  readonly bestBid: Price | null;
  readonly bestAsk: Price | null;
  /** Epoch ms when the book was last updated from the venue. */
  readonly receivedAt: number;
  /** Liquidity on the side we take (asks for a buy, bids for a sell) within our limit price. */
  readonly depthUsdc: Usdc;
  /** Average price of walking the book for our size; null when the book cannot fill it. */
  readonly expectedAvgPrice: Price | null;
}

/** Cost basis of what we hold plus open buy orders. */
export interface RiskExposure {
  readonly marketUsdc: Usdc;
  readonly leaderUsdc: Usdc;
  readonly totalUsdc: Usdc;
}

export interface RiskSnapshot {
  /** Epoch ms from the injected clock: the gate never reads the time itself. */
  readonly now: number;
  readonly market: RiskMarket;
  /** null means no order book exists for the token (not "not loaded yet"). */
  readonly quote: RiskQuote | null;
  readonly exposure: RiskExposure;
  readonly todayPnlUsdc: Usdc;
  readonly breaker: BreakerState;
}
