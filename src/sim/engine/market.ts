/** A registered binary market: its parameters, lifecycle flags and book. */
import { MICRO, type Micro, type Price, type Shares, type TickSize, tickSize } from '../../core/index.ts';
import { MarketBook } from './book.ts';
import { SimEngineError } from './errors.ts';
import type { MarketInfo, MarketSpec, OutcomeIndex, Side } from './types.ts';

export interface MarketState {
  readonly conditionId: string;
  readonly tokenIds: readonly [string, string];
  readonly outcomes: readonly [string, string];
  tickSize: TickSize;
  readonly minOrderSize: Shares;
  readonly negRisk: boolean;
  readonly feeRate: Micro;
  acceptingOrders: boolean;
  readonly matchDelayMs: number;
  closed: boolean;
  winner: OutcomeIndex | null;
  readonly book: MarketBook;
  /** Last fill price and taker side per token (own-token price). */
  readonly lastTrade: [LastTrade | null, LastTrade | null];
  /** When the book last changed (epoch ms): the `/book` timestamp, so its hash is stable between changes. */
  bookTimestamp: number;
}

export interface LastTrade {
  price: Price;
  side: Side;
}

export function createMarket(spec: MarketSpec, now: number): MarketState {
  const fail = (why: string): never => {
    throw new SimEngineError(`invalid market ${spec.conditionId}: ${why}`, { conditionId: spec.conditionId });
  };
  if (spec.conditionId === '') fail('empty condition id');
  if (spec.yesTokenId === '' || spec.noTokenId === '' || spec.yesTokenId === spec.noTokenId) {
    fail('needs two distinct token ids');
  }
  tickSize(spec.tickSize);
  if (!Number.isSafeInteger(spec.minOrderSize) || spec.minOrderSize < 0) fail('bad minimum order size');
  const feeRate = spec.feeRate ?? (0 as Micro);
  if (!Number.isSafeInteger(feeRate) || feeRate < 0 || feeRate > MICRO) fail('fee rate must be 0..1');
  const matchDelayMs = spec.matchDelayMs ?? 0;
  if (!Number.isSafeInteger(matchDelayMs) || matchDelayMs < 0) fail('bad matching delay');
  return {
    conditionId: spec.conditionId,
    tokenIds: [spec.yesTokenId, spec.noTokenId],
    outcomes: spec.outcomes ?? ['Yes', 'No'],
    tickSize: spec.tickSize,
    minOrderSize: spec.minOrderSize,
    negRisk: spec.negRisk ?? false,
    feeRate,
    acceptingOrders: spec.acceptingOrders ?? true,
    matchDelayMs,
    closed: false,
    winner: null,
    book: new MarketBook(),
    lastTrade: [null, null],
    bookTimestamp: now,
  };
}

export function marketInfo(m: MarketState): MarketInfo {
  return {
    conditionId: m.conditionId,
    tokenIds: m.tokenIds,
    outcomes: m.outcomes,
    tickSize: m.tickSize,
    minOrderSize: m.minOrderSize,
    negRisk: m.negRisk,
    feeRate: m.feeRate,
    acceptingOrders: m.acceptingOrders,
    matchDelayMs: m.matchDelayMs,
    closed: m.closed,
    winningTokenId: m.winner === null ? null : m.tokenIds[m.winner],
  };
}
