/** The simulator's markets: what it invents once per seed and every API renders from. */
import type { Price, Shares } from '../../core/money.ts';
import type { TickSize } from '../../core/tick.ts';

export type Hex = `0x${string}`;

export interface SimToken {
  /** uint256 as a decimal string, as the CLOB and Gamma give it. */
  tokenId: string;
  outcome: 'Yes' | 'No';
}

/** Gamma's `feeSchedule`, with rates in micro-units (0.04 -> 40_000). */
export interface FeeSchedule {
  rate: number;
  exponent: number;
  takerOnly: boolean;
  rebateRate: number;
}

export interface SimMarket {
  /** Gamma's numeric market id, as a string. */
  id: string;
  conditionId: Hex;
  questionId: Hex;
  question: string;
  slug: string;
  description: string;
  /** YES first, then NO: the order of Gamma's `outcomes` and `clobTokenIds`. */
  tokens: readonly [SimToken, SimToken];
  tickSize: TickSize;
  minSize: Shares;
  negRisk: boolean;
  negRiskMarketId: Hex | null;
  negRiskRequestId: Hex | null;
  /** The outcome's name inside a neg-risk event ("Candidate A"); empty for a plain binary. */
  groupItemTitle: string;
  eventId: string;
  feeSchedule: FeeSchedule;
  createdAt: number;
  startDate: number;
  endDate: number;
  active: boolean;
  closed: boolean;
  /** The YES price the synthetic traders start from. */
  initialFairValue: Price;
}

export interface SimEvent {
  id: string;
  slug: string;
  ticker: string;
  title: string;
  description: string;
  negRisk: boolean;
  negRiskMarketId: Hex | null;
  marketIds: readonly string[];
  createdAt: number;
  startDate: number;
  endDate: number;
}

export interface Catalog {
  markets: readonly SimMarket[];
  events: readonly SimEvent[];
}

/** A market's live figures for rendering (best prices, last trade, volume), from the engine. */
export interface MarketSnapshot {
  bestBid: Price | null;
  bestAsk: Price | null;
  lastTradePrice: Price | null;
  /** Traded notional in pUSD micro-units. */
  volume: number;
  /** Once resolved, the first outcome's payout (1 or 0): Gamma then shows it as the price. */
  payoutFirst?: Price | null;
}
