/**
 * What the feed keeps per subscribed token, and the state changes a message makes to it, without
 * I/O: apply a snapshot (websocket `book` or REST `/book`), apply a level change, and replay the
 * changes buffered while a REST snapshot was in flight.
 */
import { parseTickSize } from '../../core/tick.ts';
import type { ClobBook, WsBookMessage } from '../../polymarket/clob/index.ts';
import type { Expectation, TokenMeta } from './consistency.ts';
import { type BookSide, type Level, OrderBook } from './order-book.ts';
import { levelsFromWire } from './wire.ts';

/** A level change as received: the server time of its operation and the level's new size. */
export interface LevelChange {
  timestamp: number;
  side: BookSide;
  price: Level['price'];
  size: Level['size'];
}

/** Changes kept while a REST snapshot is fetched; more means the stream outran it (retry). */
export const MAX_BUFFERED_CHANGES = 10_000;

export interface TokenState {
  readonly tokenId: string;
  readonly book: OrderBook;
  readonly meta: TokenMeta;
  /** The book matches the server (a snapshot arrived and no check has failed since). */
  synced: boolean;
  /** The last applied change's claims about the book once its operation is complete. */
  pending: Expectation | null;
  /** `timestamp|hash` of the operation `pending` belongs to. */
  pendingKey: string | null;
  /** Monotonic ms when `pending` was set. */
  pendingAtMono: number;
  /** Changes received since a REST snapshot was requested; null when none is in flight. */
  buffer: LevelChange[] | null;
  bufferOverflowed: boolean;
  restInFlight: boolean;
  /** Cancels the timer that falls back to REST (or asks again) when no snapshot comes. */
  cancelResync: (() => void) | null;
  resyncAttempt: number;
  metaFetch: 'idle' | 'fetching' | 'done';
  metaFetchedAtMono: number | null;
  resyncs: number;
  /** A failed check started the resync under way: its snapshot tells whether the check was right. */
  resyncAfterCheck: boolean;
  lastResyncReason: string | null;
  lastResyncAt: number | null;
}

export function createTokenState(tokenId: string): TokenState {
  return {
    tokenId,
    book: new OrderBook(tokenId),
    meta: { minOrderSize: null, negRisk: null, tickSize: null, lastTradePrice: null },
    synced: false,
    pending: null,
    pendingKey: null,
    pendingAtMono: 0,
    buffer: null,
    bufferOverflowed: false,
    restInFlight: false,
    cancelResync: null,
    resyncAttempt: 0,
    metaFetch: 'idle',
    metaFetchedAtMono: null,
    resyncs: 0,
    resyncAfterCheck: false,
    lastResyncReason: null,
    lastResyncAt: null,
  };
}

/** Parsed snapshot values; throws MoneyError/ValidationError for values a book cannot hold. */
function snapshotLevels(snapshot: WsBookMessage | ClobBook): { bids: Level[]; asks: Level[] } {
  return { bids: levelsFromWire(snapshot.bids), asks: levelsFromWire(snapshot.asks) };
}

/**
 * Replaces the book with a websocket `book`. Throws (leaving the state unchanged) when a value
 * cannot be represented. A `book` without `last_trade_price` (the one sent after a trade) keeps
 * the known price: the caller checks it against the hash.
 */
export function applyWsSnapshot(state: TokenState, message: WsBookMessage, receivedAt: number): void {
  const { bids, asks } = snapshotLevels(message);
  const tick = message.tick_size === undefined ? undefined : parseTickSize(message.tick_size);
  state.book.replace(bids, asks);
  setSnapshotFields(state, message, receivedAt);
  if (tick !== undefined && message.tick_size !== undefined) {
    state.book.tickSize = tick;
    state.meta.tickSize = message.tick_size;
  }
  // Parsed "" is null: no trade yet, which the hash writes as "".
  if (message.last_trade_price !== undefined) state.meta.lastTradePrice = message.last_trade_price ?? '';
}

/** Replaces the book with a REST `/book` reply, then replays buffered changes from its time on. */
export function applyRestSnapshot(state: TokenState, reply: ClobBook, receivedAt: number): void {
  const { bids, asks } = snapshotLevels(reply);
  const tick = parseTickSize(reply.tick_size);
  state.book.replace(bids, asks);
  setSnapshotFields(state, reply, receivedAt);
  state.book.tickSize = tick;
  applyRestMeta(state, reply, true);
  const snapshotTime = Number(reply.timestamp);
  // Changes stamped before the snapshot are in it; those at or after it are replayed in stream
  // order (at the same millisecond they may already be in it, and replaying sizes is harmless
  // because any later change to the same level follows in the buffer).
  for (const c of state.buffer ?? []) {
    if (c.timestamp < snapshotTime) continue;
    state.book.setLevel(c.side, c.price, c.size);
    state.book.timestamp = c.timestamp;
  }
}

/**
 * The hashed fields only REST gives (min order size, neg risk). With `all`, also the tick and last
 * trade price (a REST snapshot); otherwise those only while unknown, since the stream's are newer.
 */
export function applyRestMeta(state: TokenState, reply: ClobBook, all: boolean): void {
  state.meta.minOrderSize = reply.min_order_size;
  state.meta.negRisk = reply.neg_risk;
  if (all || state.meta.tickSize === null) state.meta.tickSize = reply.tick_size;
  if (all || state.meta.lastTradePrice === null) state.meta.lastTradePrice = reply.last_trade_price ?? '';
}

function setSnapshotFields(state: TokenState, snapshot: WsBookMessage | ClobBook, receivedAt: number): void {
  state.book.market = snapshot.market;
  state.book.timestamp = Number(snapshot.timestamp);
  state.book.receivedAt = receivedAt;
  state.pending = null;
  state.pendingKey = null;
}

/** Whether a websocket snapshot holds exactly the levels of `book` (unparseable: false). */
export function sameLevelsAs(book: OrderBook, message: WsBookMessage): boolean {
  try {
    const { bids, asks } = snapshotLevels(message);
    const other = new OrderBook(book.tokenId);
    other.replace(bids, asks);
    return book.sameLevels(other);
  } catch {
    return false;
  }
}

/** Keeps a change for replay over a REST snapshot; on overflow the snapshot will be retried. */
export function bufferChange(state: TokenState, change: LevelChange): void {
  if (state.buffer === null || state.bufferOverflowed) return;
  if (state.buffer.length >= MAX_BUFFERED_CHANGES) {
    state.bufferOverflowed = true;
    state.buffer = [];
    return;
  }
  state.buffer.push(change);
}
