/**
 * `BookFeed`: live order books from the CLOB market channel (api-reference.md §5.1), one
 * OrderBook per subscribed token, kept equal to the server's.
 *
 * - `book` messages replace a token's book; `price_change` entries set one level's aggregate size
 *   (both formats); `tick_size_change` and `last_trade_price` update what the hash covers. Unknown
 *   event types are ignored; invalid messages are counted in `bad_messages_total{source}`, logged
 *   with a sample and skipped (a skipped message that named a token resyncs that token).
 * - Consistency: once an operation's changes have all arrived (a change with another hash or
 *   time, or `settleMs` of quiet), the book is checked against the last change's top of book and
 *   hash (consistency.ts). The hash is only enforced once this connection has reproduced one
 *   (`hashCheck: 'auto'`): the simulator's hashes are reproducible, the real service's websocket
 *   hashes are not known to be (book-hash.ts), and a check that always fails would resync forever.
 * - Resync (a failed check, a bad message, a reconnect): the token is marked unsynced, re-subscribed
 *   on the open socket (the server answers with a `book` in stream order, so no change is lost or
 *   applied twice), and if no snapshot comes within `resyncTimeoutMs`, fetched from REST `/book`
 *   with the changes received meanwhile replayed over it. Retries back off.
 * - The socket (market-socket.ts) pings, reconnects with backoff and jitter and re-subscribes
 *   everything; its silence watchdog re-subscribes (fresh snapshots) and then reconnects.
 * - `getBook` answers only for a synced book; each book carries `receivedAt` so callers can
 *   refuse quotes older than they accept.
 */
import { backoffDelayMs } from '../../core/backoff.ts';
import { type Clock, systemClock } from '../../core/clock.ts';
import { parsePrice, parseShares } from '../../core/decimal.ts';
import { TimeoutError } from '../../core/errors.ts';
import { EventBus, type EventHandler } from '../../core/events.ts';
import { createLogger, type Logger } from '../../core/logger.ts';
import { badMessagesTotal } from '../../core/metrics.ts';
import type { Price, Shares } from '../../core/money.ts';
import { parseTickSize, type TickSize } from '../../core/tick.ts';
import type {
  ClobBook,
  WsBookMessage,
  WsLastTradePriceMessage,
  WsLegacyPriceChangeMessage,
  WsMarketMessage,
  WsPriceChangeMessage,
  WsTickSizeChangeMessage,
} from '../../polymarket/clob/index.ts';
import { sampleOf } from '../../polymarket/rtds/index.ts';
import { priceChanges, priceChangeTokens, type TokenChange } from './changes.ts';
import { checkBook, compareHash, type Expectation } from './consistency.ts';
import type {
  BookFeedEvents,
  BookFeedHealth,
  BookFeedOptions,
  BookUpdate,
  ResyncReason,
  TokenHealth,
} from './feed-types.ts';
import { HashTracker } from './hash-tracker.ts';
import { MarketSocket } from './market-socket.ts';
import type { BookView } from './order-book.ts';
import { RestBooks } from './rest-book.ts';
import {
  applyRestMeta,
  applyRestSnapshot,
  applyWsSnapshot,
  bufferChange,
  createTokenState,
  type LevelChange,
  sameLevelsAs,
  type TokenState,
} from './token-state.ts';
import { lastTradePriceText } from './wire.ts';

const silentLogger = (): Logger => createLogger({ level: 'silent', format: 'json' });

/** How often a snapshot that contradicts known hash fields may trigger a REST refresh of them, ms. */
const META_REFRESH_MS = 60_000;

export class BookFeed {
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #random: () => number;
  readonly #source: string;
  readonly #rest: RestBooks | null;
  readonly #hashes: HashTracker;
  readonly #settleMs: number;
  readonly #resyncTimeoutMs: number;
  readonly #maxTokens: number;
  readonly #socket: MarketSocket;
  readonly #bus = new EventBus<BookFeedEvents>();
  readonly #tokens = new Map<string, TokenState>();
  /** Tokens with an unchecked operation. */
  readonly #pending = new Set<TokenState>();
  #cancelSettle: (() => void) | null = null;
  #running = false;
  /** The open connection has had its first subscribe (later ones use `operation`). */
  #subscribedOnConnection = false;
  #resyncs = 0;
  #needlessResyncs = 0;
  #restSnapshots = 0;
  #badValues = 0;
  #badValuesLoggedAtMono: number | null = null;

  constructor(options: BookFeedOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger ?? silentLogger();
    this.#random = options.random ?? Math.random;
    this.#source = options.metricsSource ?? 'clob_ws';
    this.#rest =
      options.restUrl === undefined
        ? null
        : new RestBooks({
            baseUrl: options.restUrl,
            timeoutMs: options.restTimeoutMs ?? 5_000,
            concurrency: options.restConcurrency ?? 4,
            ...(options.fetch ? { fetch: options.fetch } : {}),
          });
    this.#hashes = new HashTracker(options.hashCheck ?? 'auto', () =>
      this.#log.info({ source: this.#source }, 'clob ws: book hashes are reproducible here; enforcing them'),
    );
    this.#settleMs = options.settleMs ?? 100;
    this.#resyncTimeoutMs = options.resyncTimeoutMs ?? 3_000;
    this.#maxTokens = options.maxTokens ?? 500;
    this.#socket = new MarketSocket({
      ...options,
      clock: this.#clock,
      logger: this.#log,
      random: this.#random,
      source: this.#source,
      onOpen: () => this.#onOpen(),
      onMessages: (messages, receivedAt) => this.#onMessages(messages, receivedAt),
      onBad: (assetIds) => this.#onBadMessage(assetIds),
      onClose: () => this.#onClose(),
      onSilence: () => this.#onSilence(),
      expectsData: () => this.#tokens.size > 0,
    });
  }

  /** Connects and keeps the books until `stop`. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#socket.start();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#rest?.abort();
    this.#cancelSettle?.();
    this.#cancelSettle = null;
    for (const state of this.#tokens.values()) this.#cancelResyncTimer(state);
    await this.#socket.stop();
  }

  /** Adds tokens; their books arrive as snapshots (await `waitForBook`). Throws RangeError past `maxTokens`. */
  subscribe(tokenIds: Iterable<string>): void {
    const added: TokenState[] = [];
    for (const id of tokenIds) {
      if (this.#tokens.has(id) || added.some((s) => s.tokenId === id)) continue;
      added.push(createTokenState(id));
    }
    if (added.length === 0) return;
    if (this.#tokens.size + added.length > this.#maxTokens) {
      throw new RangeError(`a book feed holds at most ${this.#maxTokens} tokens`);
    }
    for (const state of added) this.#tokens.set(state.tokenId, state);
    if (this.#socket.isOpen) this.#sendSubscribe(added.map((s) => s.tokenId));
    for (const state of added) {
      if (this.#socket.isOpen) this.#armResyncTimer(state);
      this.#queueMeta(state);
    }
  }

  unsubscribe(tokenIds: Iterable<string>): void {
    const removed: string[] = [];
    for (const id of tokenIds) {
      const state = this.#tokens.get(id);
      if (state === undefined) continue;
      this.#cancelResyncTimer(state);
      this.#pending.delete(state);
      this.#tokens.delete(id);
      removed.push(id);
    }
    if (removed.length > 0 && this.#subscribedOnConnection) {
      this.#socket.send(JSON.stringify({ operation: 'unsubscribe', assets_ids: removed }));
    }
  }

  get tokenIds(): string[] {
    return [...this.#tokens.keys()];
  }

  /** The token's book while it is synced with the server; undefined before the first snapshot and during a resync. */
  getBook(tokenId: string): BookView | undefined {
    const state = this.#tokens.get(tokenId);
    return state?.synced ? state.book : undefined;
  }

  /** Resolves with the book once synced; rejects with TimeoutError after `timeoutMs`. */
  waitForBook(tokenId: string, timeoutMs: number): Promise<BookView> {
    const ready = this.getBook(tokenId);
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const off = this.#bus.on('book.updated', (u) => {
        if (u.tokenId !== tokenId || this.getBook(tokenId) === undefined) return;
        off();
        cancel();
        resolve(u.book);
      });
      const cancel = this.#clock.setTimer(timeoutMs, () => {
        off();
        reject(
          new TimeoutError(`no book for token ${tokenId} within ${timeoutMs} ms`, { context: { tokenId } }),
        );
      });
    });
  }

  /** Subscribes to feed events; returns the unsubscribe function. Handlers run synchronously. */
  on<K extends keyof BookFeedEvents & string>(name: K, handler: EventHandler<BookFeedEvents[K]>): () => void {
    return this.#bus.on(name, handler);
  }

  /** Forces a resync of the given tokens (all when omitted). */
  resync(tokenIds?: Iterable<string>): void {
    const states = [...(tokenIds ?? this.#tokens.keys())].flatMap((id) => this.#tokens.get(id) ?? []);
    this.#resync(states, 'requested');
  }

  tokenHealth(tokenId: string): TokenHealth | undefined {
    const s = this.#tokens.get(tokenId);
    if (s === undefined) return undefined;
    const m = s.meta;
    return {
      tokenId,
      synced: s.synced,
      receivedAt: s.book.receivedAt,
      timestamp: s.book.timestamp,
      resyncs: s.resyncs,
      lastResyncReason: s.lastResyncReason,
      lastResyncAt: s.lastResyncAt,
      hashable:
        s.book.market !== null &&
        m.minOrderSize !== null &&
        m.negRisk !== null &&
        m.tickSize !== null &&
        m.lastTradePrice !== null,
    };
  }

  /** The connection's state alone: cheap, where `health()` walks every token (for hot paths). */
  get connectionState(): BookFeedHealth['state'] {
    return this.#socket.health().state;
  }

  health(): BookFeedHealth {
    const socket = this.#socket.health();
    let synced = 0;
    let oldest: number | null = null;
    for (const s of this.#tokens.values()) {
      if (!s.synced) continue;
      synced++;
      const at = s.book.receivedAt;
      if (at !== null && (oldest === null || at < oldest)) oldest = at;
    }
    return {
      ...socket,
      badMessages: socket.badMessages + this.#badValues,
      resyncs: this.#resyncs,
      needlessResyncs: this.#needlessResyncs,
      restSnapshots: this.#restSnapshots,
      hashCheck: this.#hashes.status(),
      hashChecks: {
        matched: this.#hashes.matched,
        mismatched: this.#hashes.mismatched,
        skipped: this.#hashes.skipped,
      },
      tokens: this.#tokens.size,
      syncedTokens: synced,
      oldestReceivedAt: oldest,
    };
  }

  // --- connection ---

  #onOpen(): void {
    this.#subscribedOnConnection = false;
    if (this.#tokens.size === 0) return;
    this.#sendSubscribe([...this.#tokens.keys()]);
    for (const state of this.#tokens.values()) this.#armResyncTimer(state);
  }

  #sendSubscribe(ids: string[]): void {
    const frame = this.#subscribedOnConnection
      ? { operation: 'subscribe', assets_ids: ids }
      : { assets_ids: ids, type: 'market', initial_dump: true, level: 2 };
    if (this.#socket.send(JSON.stringify(frame))) this.#subscribedOnConnection = true;
  }

  #onClose(): void {
    this.#subscribedOnConnection = false;
    const now = this.#clock.now();
    for (const state of this.#tokens.values()) {
      this.#pending.delete(state);
      state.pending = null;
      this.#cancelResyncTimer(state);
      if (!state.synced) continue;
      if (this.#running) this.#markUnsynced(state, 'reconnect', now);
      else state.synced = false;
    }
  }

  /** A silent socket: ask again for every book; the answer proves the subscription alive. */
  #onSilence(): void {
    if (this.#tokens.size > 0) this.#sendSubscribe([...this.#tokens.keys()]);
  }

  // --- messages ---

  #onMessages(messages: WsMarketMessage[], receivedAt: number): void {
    for (const m of messages) {
      switch (m.event_type) {
        case 'book':
          this.#onBook(m, receivedAt);
          break;
        case 'price_change':
          this.#onPriceChange(m, receivedAt);
          break;
        case 'tick_size_change':
          this.#onTickSize(m, receivedAt);
          break;
        case 'last_trade_price':
          this.#onLastTrade(m, receivedAt);
          break;
        default:
          // best_bid_ask, new_market, market_resolved: valid, not the books' business.
          break;
      }
    }
  }

  #onBook(m: WsBookMessage, receivedAt: number): void {
    const state = this.#tokens.get(m.asset_id);
    if (state === undefined) return;
    if (state.resyncAfterCheck && !state.synced) {
      state.resyncAfterCheck = false;
      if (sameLevelsAs(state.book, m)) {
        this.#needlessResyncs++;
        this.#log.warn(
          { source: this.#source, tokenId: state.tokenId, reason: state.lastResyncReason },
          'clob ws: resync snapshot equals the book the check refused; the check was wrong',
        );
      }
    }
    try {
      applyWsSnapshot(state, m, receivedAt);
    } catch (err) {
      this.#unusableValues(err, m, [state]);
      return;
    }
    this.#pending.delete(state);
    this.#checkSnapshotHash(state, m);
    if (!state.synced) {
      state.synced = true;
      state.resyncAttempt = 0;
      state.buffer = null;
      this.#cancelResyncTimer(state);
    }
    this.#emitUpdate(state, 'snapshot', 'ws', receivedAt);
  }

  /**
   * A snapshot's hash tells whether the hashed fields we hold are current. The post-trade `book`
   * has no `last_trade_price`: a mismatch then means the trade's price has not arrived, so hash
   * checks wait for it. A full snapshot that mismatches once hashes are known to be reproducible
   * means the REST-only fields went stale: they are fetched again.
   */
  #checkSnapshotHash(state: TokenState, m: WsBookMessage): void {
    if (this.#hashes.mode === 'off') return;
    const verdict = compareHash(state.book, state.meta, m.hash, m.timestamp);
    if (verdict === 'mismatch' && m.last_trade_price === undefined) {
      // Expected after a trade whose print has not arrived: not evidence of anything wrong.
      state.meta.lastTradePrice = null;
      this.#hashes.record('skipped');
      return;
    }
    this.#hashes.record(verdict);
    if (verdict === 'mismatch' && this.#hashes.policy() === 'enforce') this.#refreshMeta(state);
  }

  #onPriceChange(m: WsPriceChangeMessage | WsLegacyPriceChangeMessage, receivedAt: number): void {
    let changes: TokenChange[];
    try {
      changes = priceChanges(m, (id) => this.#tokens.has(id));
    } catch (err) {
      const named = new Set(priceChangeTokens(m).flatMap((id) => this.#tokens.get(id) ?? []));
      this.#unusableValues(err, m, [...named]);
      return;
    }
    const touched = new Set<TokenState>();
    for (const { tokenId, change, expectation } of changes) {
      const state = this.#tokens.get(tokenId)!;
      if (this.#applyChange(state, change, expectation, receivedAt)) touched.add(state);
    }
    for (const state of touched) this.#emitUpdate(state, 'delta', 'ws', receivedAt);
  }

  /** Applies one level change to a synced book (checking the previous operation first). */
  #applyChange(
    state: TokenState,
    change: LevelChange,
    expectation: Expectation,
    receivedAt: number,
  ): boolean {
    if (!state.synced) {
      bufferChange(state, change);
      return false;
    }
    const book = state.book;
    // Older than the snapshot we hold (one fetched over REST while this was in flight).
    if (book.timestamp !== null && change.timestamp < book.timestamp) return false;
    const key = `${expectation.timestamp}|${expectation.hash ?? ''}`;
    if (state.pending !== null && state.pendingKey !== key && !this.#verify(state)) {
      // The previous operation left the book wrong; the resync's snapshot will cover this change.
      bufferChange(state, change);
      return false;
    }
    book.setLevel(change.side, change.price, change.size);
    book.timestamp = change.timestamp;
    book.receivedAt = receivedAt;
    state.pending = expectation;
    state.pendingKey = key;
    state.pendingAtMono = this.#mono();
    this.#pending.add(state);
    this.#armSettle();
    return true;
  }

  #onTickSize(m: WsTickSizeChangeMessage, receivedAt: number): void {
    const state = this.#tokens.get(m.asset_id);
    if (state === undefined) return;
    let tick: TickSize;
    try {
      tick = parseTickSize(m.new_tick_size);
    } catch (err) {
      this.#unusableValues(err, m, [state]);
      return;
    }
    // A new operation: the one pending was complete and is checked against the old tick.
    if (state.pending !== null) this.#verify(state);
    const old = state.book.tickSize;
    state.book.tickSize = tick;
    state.book.receivedAt = receivedAt;
    state.book.version++;
    state.meta.tickSize = m.new_tick_size;
    this.#bus.emit('book.tick_size', {
      tokenId: state.tokenId,
      oldTickSize: old,
      tickSize: tick,
      receivedAt,
    });
    if (state.synced) this.#emitUpdate(state, 'tick_size', 'ws', receivedAt);
  }

  #onLastTrade(m: WsLastTradePriceMessage, receivedAt: number): void {
    const state = this.#tokens.get(m.asset_id);
    if (state === undefined) return;
    let price: Price;
    let size: Shares;
    try {
      price = parsePrice(m.price);
      size = parseShares(m.size);
    } catch (err) {
      this.#unusableValues(err, m, []);
      return;
    }
    // The print opens a new operation (or follows one): check the pending one with the old price.
    if (state.pending !== null) this.#verify(state);
    state.meta.lastTradePrice = lastTradePriceText(price);
    this.#bus.emit('book.trade', {
      tokenId: state.tokenId,
      price,
      size,
      side: m.side,
      timestamp: Number(m.timestamp),
      receivedAt,
    });
  }

  /** A message that failed validation named these tokens: they may have missed a change. */
  #onBadMessage(assetIds: string[]): void {
    const states = assetIds.flatMap((id) => this.#tokens.get(id) ?? []);
    if (states.length > 0) this.#resync(states, 'bad_message');
  }

  /** A valid message whose values a book cannot hold (more than 6 decimals, a repeated level). */
  #unusableValues(err: unknown, message: WsMarketMessage, states: TokenState[]): void {
    this.#badValues++;
    badMessagesTotal.inc({ source: this.#source });
    // Logged at most once a minute, as the socket logs invalid frames.
    const mono = this.#mono();
    if (this.#badValuesLoggedAtMono === null || mono - this.#badValuesLoggedAtMono >= 60_000) {
      this.#badValuesLoggedAtMono = mono;
      this.#log.warn(
        { source: this.#source, err: String(err), sample: sampleOf(JSON.stringify(message)) },
        'clob ws: message with unusable values skipped',
      );
    }
    if (states.length > 0) this.#resync(states, 'bad_message');
  }

  // --- consistency ---

  /** Checks the completed operation of `state`; resyncs and returns false when the book is wrong. */
  #verify(state: TokenState): boolean {
    const expected = state.pending;
    state.pending = null;
    state.pendingKey = null;
    this.#pending.delete(state);
    if (expected === null || !state.synced) return state.synced;
    const outcome = checkBook(state.book, expected, state.meta, this.#hashes.policy());
    this.#hashes.record(outcome.hash);
    if (outcome.problem === null) return true;
    this.#log.warn(
      {
        source: this.#source,
        tokenId: state.tokenId,
        problem: outcome.problem,
        expected: { bestBid: expected.bestBid, bestAsk: expected.bestAsk, hash: expected.hash },
        actual: { bestBid: state.book.bestBidPrice(), bestAsk: state.book.bestAskPrice() },
      },
      'clob ws: book check failed',
    );
    this.#resync([state], outcome.problem);
    state.resyncAfterCheck = true;
    return false;
  }

  #armSettle(): void {
    if (this.#cancelSettle !== null) return;
    this.#cancelSettle = this.#clock.setTimer(this.#settleMs, () => {
      this.#cancelSettle = null;
      const now = this.#mono();
      for (const state of [...this.#pending]) {
        if (now - state.pendingAtMono >= this.#settleMs) this.#verify(state);
      }
      if (this.#pending.size > 0) this.#armSettle();
    });
  }

  // --- resync ---

  #markUnsynced(state: TokenState, reason: ResyncReason, at: number): void {
    state.synced = false;
    state.pending = null;
    state.pendingKey = null;
    this.#pending.delete(state);
    state.resyncs++;
    state.lastResyncReason = reason;
    state.lastResyncAt = at;
    this.#resyncs++;
    this.#bus.emit('book.resync', { tokenId: state.tokenId, reason, at });
  }

  #resync(states: TokenState[], reason: ResyncReason): void {
    const now = this.#clock.now();
    const fresh: TokenState[] = [];
    for (const state of states) {
      // Already waiting for a snapshot: the one on its way covers this too.
      if (!state.synced && state.cancelResync !== null) continue;
      if (state.synced) this.#markUnsynced(state, reason, now);
      fresh.push(state);
    }
    if (fresh.length === 0) return;
    this.#log.warn(
      { source: this.#source, reason, tokens: fresh.map((s) => s.tokenId).slice(0, 10), count: fresh.length },
      'clob ws: resyncing books',
    );
    this.#requestSnapshots(fresh);
  }

  /** Re-subscribes (the server answers with snapshots in stream order) and arms the REST fallback. */
  #requestSnapshots(states: TokenState[]): void {
    if (this.#socket.isOpen) this.#sendSubscribe(states.map((s) => s.tokenId));
    for (const state of states) this.#armResyncTimer(state);
  }

  #armResyncTimer(state: TokenState): void {
    // Without a socket the next connection's subscription asks for every book anyway.
    if (state.synced || state.cancelResync !== null || !this.#socket.isOpen) return;
    const delay =
      state.resyncAttempt === 0
        ? this.#resyncTimeoutMs
        : backoffDelayMs(
            state.resyncAttempt,
            { initialMs: this.#resyncTimeoutMs, maxMs: 30_000 },
            this.#random,
          );
    state.cancelResync = this.#clock.setTimer(delay, () => {
      state.cancelResync = null;
      this.#onResyncTimeout(state);
    });
  }

  #cancelResyncTimer(state: TokenState): void {
    state.cancelResync?.();
    state.cancelResync = null;
  }

  #onResyncTimeout(state: TokenState): void {
    if (!this.#running || state.synced || this.#tokens.get(state.tokenId) !== state) return;
    state.resyncAttempt++;
    if (this.#rest !== null && this.#socket.isOpen) {
      if (!state.restInFlight) void this.#restSnapshot(state, this.#rest);
      return;
    }
    // No REST to fall back on (or no socket to follow it with): ask the socket again.
    this.#requestSnapshots([state]);
  }

  async #restSnapshot(state: TokenState, rest: RestBooks): Promise<void> {
    state.restInFlight = true;
    state.buffer = [];
    state.bufferOverflowed = false;
    try {
      const reply = await rest.get(state.tokenId);
      if (!this.#running || this.#tokens.get(state.tokenId) !== state) return;
      if (state.synced) {
        // A websocket snapshot won the race; it is the one in stream order. Keep the REST-only fields.
        applyRestMeta(state, reply, false);
        return;
      }
      if (state.bufferOverflowed || !this.#socket.isOpen) return;
      this.#applyRest(state, reply);
    } catch (err) {
      if (this.#running) {
        this.#log.warn(
          { source: this.#source, tokenId: state.tokenId, err: String(err) },
          'clob ws: REST book failed',
        );
      }
    } finally {
      state.restInFlight = false;
      state.buffer = null;
      if (this.#running && !state.synced && this.#tokens.get(state.tokenId) === state) {
        this.#requestSnapshots([state]);
      }
    }
  }

  #applyRest(state: TokenState, reply: ClobBook): void {
    const receivedAt = this.#clock.now();
    applyRestSnapshot(state, reply, receivedAt);
    state.metaFetch = 'done';
    state.metaFetchedAtMono = this.#mono();
    state.synced = true;
    state.resyncAttempt = 0;
    this.#cancelResyncTimer(state);
    this.#restSnapshots++;
    this.#log.info({ source: this.#source, tokenId: state.tokenId }, 'clob ws: book resynced from REST');
    this.#emitUpdate(state, 'snapshot', 'rest', receivedAt);
  }

  // --- REST-only hash fields ---

  /** Fetches the fields only REST has (min order size, neg risk), once per token unless refreshed. */
  #queueMeta(state: TokenState): void {
    const rest = this.#rest;
    if (rest === null || this.#hashes.mode === 'off' || state.metaFetch === 'fetching') return;
    state.metaFetch = 'fetching';
    rest.get(state.tokenId).then(
      (reply) => {
        state.metaFetch = 'done';
        state.metaFetchedAtMono = this.#mono();
        applyRestMeta(state, reply, false);
        state.book.tickSize ??= parseTickSize(reply.tick_size);
      },
      (err: unknown) => {
        state.metaFetch = 'idle';
        if (!this.#running) return;
        this.#log.warn(
          { source: this.#source, tokenId: state.tokenId, err: String(err) },
          'clob ws: REST book (hash fields) failed',
        );
      },
    );
  }

  #refreshMeta(state: TokenState): void {
    const last = state.metaFetchedAtMono;
    if (last !== null && this.#mono() - last < META_REFRESH_MS) return;
    this.#queueMeta(state);
  }

  // --- misc ---

  #emitUpdate(
    state: TokenState,
    kind: BookUpdate['kind'],
    source: BookUpdate['source'],
    receivedAt: number,
  ): void {
    this.#bus.emit('book.updated', { tokenId: state.tokenId, book: state.book, kind, source, receivedAt });
  }

  #mono(): number {
    return Number(this.#clock.monotonicNs() / 1_000_000n);
  }
}
