/**
 * The matching engine's vocabulary: markets, order requests, order snapshots and trades, as plain
 * data. Amounts are micro-unit integers (src/core/money.ts); prices are per share of the token
 * named, 0..1_000_000.
 */
import type { Micro, Price, Shares, TickSize, Usdc } from '../../core/index.ts';

export type Side = 'BUY' | 'SELL';
export type OrderType = 'GTC' | 'GTD' | 'FOK' | 'FAK';
/** 0 = the first outcome (YES), 1 = the second (NO): the order of Gamma's `clobTokenIds`. */
export type OutcomeIndex = 0 | 1;
/** How a maker fill settles, named as the CTF exchange's `_deriveMatchType` names it. */
export type MatchType = 'COMPLEMENTARY' | 'MINT' | 'MERGE';

export interface MarketSpec {
  conditionId: string;
  /** uint256 token ids as decimal strings. */
  yesTokenId: string;
  noTokenId: string;
  /** Outcome labels carried into trades and orders; default `['Yes', 'No']`. */
  outcomes?: readonly [string, string];
  tickSize: TickSize;
  minOrderSize: Shares;
  negRisk?: boolean;
  /** Taker fee rate in micro-units (0.05 -> 50_000); fee = shares x rate x p x (1 - p). Default 0. */
  feeRate?: Micro;
  /** `accepting_orders`; default true. */
  acceptingOrders?: boolean;
  /** Matching delay for marketable orders (sports `seconds_delay`, in ms); default 0. */
  matchDelayMs?: number;
}

export interface MarketInfo {
  conditionId: string;
  tokenIds: readonly [string, string];
  outcomes: readonly [string, string];
  tickSize: TickSize;
  minOrderSize: Shares;
  negRisk: boolean;
  feeRate: Micro;
  acceptingOrders: boolean;
  matchDelayMs: number;
  closed: boolean;
  /** The winning token once resolved. */
  winningTokenId: string | null;
}

/** A signed order as the REST layer hands it over, its amounts already parsed to micro-units. */
export interface OrderRequest {
  /** The EIP-712 order hash (0x...): the order's id everywhere. */
  id: string;
  /** The API key that placed it: the user channel's `owner`. */
  owner: string;
  /** The funder address whose balances pay and receive (the signed order's `maker`). */
  maker: string;
  tokenId: string;
  side: Side;
  /** What the order gives: pUSD for a BUY, shares for a SELL. */
  makerAmount: Micro;
  /** What the order receives: shares for a BUY, pUSD for a SELL. */
  takerAmount: Micro;
  orderType: OrderType;
  /** Unix seconds, 0 for none; only GTD orders expire. */
  expiration: number;
  postOnly?: boolean;
}

/**
 * The states of an order the user channel and `/data/order` report. `CANCELED` covers user
 * cancels, expiry and killed FOK/FAK orders; `cancelReason` says which.
 */
export type OrderStatus = 'LIVE' | 'DELAYED' | 'MATCHED' | 'CANCELED' | 'CANCELED_MARKET_RESOLVED';

export type CancelReason =
  | 'USER'
  | 'EXPIRED'
  | 'FOK_NOT_FILLED'
  | 'FAK_NO_MATCH'
  /** What a FAK order could not fill at once. */
  | 'FAK_REMAINDER'
  /** A remainder too small to settle exactly at its price (only after a tick-size change). */
  | 'UNFILLABLE_REMAINDER'
  | 'TICK_SIZE_CHANGE'
  | 'MARKET_CLOSED'
  | 'MARKET_RESOLVED';

/**
 * A resting or finished order at one moment. Limit orders (GTC, GTD) and SELLs are sized in
 * shares; a FOK or FAK BUY is a market order sized in pUSD (its makerAmount), as the CLOB sizes
 * market buys in dollars.
 */
export interface OrderSnapshot {
  id: string;
  owner: string;
  /** Lower-case funder address. */
  maker: string;
  market: string;
  tokenId: string;
  outcome: string;
  outcomeIndex: OutcomeIndex;
  side: Side;
  orderType: OrderType;
  postOnly: boolean;
  /** Limit price of the order's own token: a BUY's makerAmount/takerAmount rounded down, a SELL's takerAmount/makerAmount rounded up. */
  price: Price;
  sizeUnit: 'shares' | 'usdc';
  originalSize: Micro;
  sizeMatched: Micro;
  matchedShares: Shares;
  /** pUSD paid (BUY) or received before fees (SELL). */
  matchedUsdc: Usdc;
  feesPaid: Usdc;
  makerAmount: Micro;
  takerAmount: Micro;
  expiration: number;
  /** Epoch ms. */
  createdAt: number;
  status: OrderStatus;
  cancelReason: CancelReason | null;
  tradeIds: readonly string[];
}

/** One resting order's part in a match, seen from that maker order. */
export interface MakerFill {
  orderId: string;
  owner: string;
  maker: string;
  side: Side;
  tokenId: string;
  outcome: string;
  outcomeIndex: OutcomeIndex;
  matchType: MatchType;
  /** The maker's own price: every fill executes at the resting order's price. */
  price: Price;
  shares: Shares;
  /** pUSD the maker paid (BUY) or received (SELL). */
  usdc: Usdc;
  /** Always 0: V2 fees are taker-only. */
  fee: Usdc;
  /** OrderFilled amounts from this maker order's point of view (BUY: pUSD then shares; SELL: shares then pUSD). */
  makerAmountFilled: Micro;
  takerAmountFilled: Micro;
  /** What the taker paid or received for this fill, at its own token's price, and the taker fee on it. */
  takerPrice: Price;
  takerUsdc: Usdc;
  takerFee: Usdc;
}

/** The taker order's side of a match: the totals of its one OrderFilled row. */
export interface TakerFill {
  orderId: string;
  owner: string;
  maker: string;
  side: Side;
  tokenId: string;
  outcome: string;
  outcomeIndex: OutcomeIndex;
  orderType: OrderType;
  /** The taker's limit price (see OrderSnapshot.price). */
  limitPrice: Price;
  shares: Shares;
  /** pUSD paid (BUY, before the fee) or received (SELL, before the fee). */
  usdc: Usdc;
  fee: Usdc;
  feeRate: Micro;
  makerAmountFilled: Micro;
  takerAmountFilled: Micro;
}

/** One taker order matched against one or more resting orders: one `matchOrders` call. */
export interface Trade {
  id: string;
  market: string;
  /** Epoch ms. */
  matchTime: number;
  taker: TakerFill;
  makers: readonly MakerFill[];
}

/** A level of one token's book in micro-units, as `/book` lists it (best last). */
export interface BookLevel {
  price: Price;
  size: Shares;
}

export interface BookLevels {
  bids: readonly BookLevel[];
  asks: readonly BookLevel[];
}

/** `GET /book`'s `OrderBookSummary`, key for key and string for string. */
export interface BookSummary {
  market: string;
  asset_id: string;
  timestamp: string;
  hash: string;
  bids: { price: string; size: string }[];
  asks: { price: string; size: string }[];
  min_order_size: string;
  tick_size: string;
  neg_risk: boolean;
  last_trade_price: string;
}
