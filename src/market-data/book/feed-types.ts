/** The BookFeed's options, events and health, apart from its machinery. */
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { Price, Shares } from '../../core/money.ts';
import type { TickSize } from '../../core/tick.ts';
import type { Inconsistency } from './consistency.ts';
import type { HashCheckMode } from './hash-tracker.ts';
import type { MarketSocketTimings } from './market-socket.ts';
import type { BookView } from './order-book.ts';

export type ResyncReason = Inconsistency | 'bad_message' | 'reconnect' | 'requested';

export interface BookUpdate {
  tokenId: string;
  book: BookView;
  /** `snapshot`: replaced whole; `delta`: level changes; `tick_size`: the tick changed. */
  kind: 'snapshot' | 'delta' | 'tick_size';
  source: 'ws' | 'rest';
  receivedAt: number;
}

export interface BookResync {
  tokenId: string;
  reason: ResyncReason;
  at: number;
}

export interface BookTrade {
  tokenId: string;
  price: Price;
  size: Shares;
  side: 'BUY' | 'SELL';
  /** Server time, epoch ms. */
  timestamp: number;
  receivedAt: number;
}

export interface BookTickSize {
  tokenId: string;
  oldTickSize: TickSize | null;
  tickSize: TickSize;
  receivedAt: number;
}

export type BookFeedEvents = {
  'book.updated': BookUpdate;
  'book.resync': BookResync;
  'book.trade': BookTrade;
  'book.tick_size': BookTickSize;
};

export interface BookFeedOptions extends MarketSocketTimings {
  /** The market channel: `wss://ws-subscriptions-clob.polymarket.com/ws/market`, or the simulator's. */
  url: string;
  /** The CLOB REST base (`https://clob.polymarket.com`): snapshot fallback and hash fields. */
  restUrl?: string;
  clock?: Clock;
  logger?: Logger;
  /** In [0, 1); backoff jitter. Default Math.random. */
  random?: () => number;
  /** Default `auto`. */
  hashCheck?: HashCheckMode;
  /** Quiet time after a change before its operation is taken as complete and checked, ms. Default 100. */
  settleMs?: number;
  /** Wait this long for a re-subscription's snapshot before asking REST, ms. Default 3000. */
  resyncTimeoutMs?: number;
  /** REST `/book` timeout, ms. Default 5000. */
  restTimeoutMs?: number;
  /** Tokens on one connection; third parties report a cap of 500. Default 500. */
  maxTokens?: number;
  /** REST `/book` requests at once. Default 4. */
  restConcurrency?: number;
  fetch?: typeof fetch;
  /** The `source` label of the metrics. Default `clob_ws`. */
  metricsSource?: string;
}

export interface TokenHealth {
  tokenId: string;
  synced: boolean;
  receivedAt: number | null;
  /** Server time of the book's state, epoch ms. */
  timestamp: number | null;
  resyncs: number;
  lastResyncReason: string | null;
  lastResyncAt: number | null;
  /** Whether every hashed field is known, so the next change's hash can be checked. */
  hashable: boolean;
}

export interface BookFeedHealth {
  /** `open`: connected, data flowing. `stale`: connected but silent. `closed`: not connected. */
  state: 'open' | 'stale' | 'closed';
  connectedSinceMs: number | null;
  lastMessageAtMs: number | null;
  lastFrameAtMs: number | null;
  messages: number;
  ignoredMessages: number;
  /** Failed validation, plus valid messages whose values a book cannot hold. */
  badMessages: number;
  reconnects: number;
  resyncs: number;
  /**
   * Resyncs after a failed check whose snapshot held exactly the levels we had: the check was
   * wrong, not the book. Should stay 0; a rising count means the venue's top of book or hash
   * differs from what this client computes.
   */
  needlessResyncs: number;
  restSnapshots: number;
  /** `enforced` once a hash was reproduced (or `strict`); `observing` before that. */
  hashCheck: 'enforced' | 'observing' | 'off';
  hashChecks: { matched: number; mismatched: number; skipped: number };
  tokens: number;
  syncedTokens: number;
  /** The oldest `receivedAt` of the synced books; null when none is synced. */
  oldestReceivedAt: number | null;
}
