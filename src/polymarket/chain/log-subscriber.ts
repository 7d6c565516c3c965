/**
 * The leaders' `OrderFilled` logs, live from a Polygon node over one websocket.
 *
 * Per connection: a `newHeads` subscription (block times, and the staleness watchdog) and one
 * `logs` subscription per exchange (V2 standard and neg-risk, the V1 pair), each filtered to
 * topic0 = OrderFilled and maker (topic 2) = any leader. Every message is validated; a bad one is
 * counted (`bad_messages_total{source="chain"}`), logged with a sample and skipped.
 *
 * A drop (or a stale socket: no new block for `staleAfterMs`) reconnects with backoff and jitter.
 * After a reconnect the blocks mined meanwhile are gap-filled one block at a time
 * (`eth_getLogs` by block hash, never a block range), and fills delivered from blocks that a reorg
 * took away while the socket was down are retracted. A gap longer than `maxGapBlocks` (or any gap
 * when the gap fill is off) is reported through `onGap` for another source to cover.
 *
 * Delivery is in arrival order, one event at a time (awaiting `onLog`), at most once per
 * (block hash, log index) and state, so overlapping subscriptions and repeated logs collapse.
 */
import { type Hex, numberToHex } from 'viem';
import { type BackoffOptions, backoffDelayMs, DEFAULT_BACKOFF } from '../../core/backoff.ts';
import { type Clock, systemClock } from '../../core/clock.ts';
import { describeError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { badMessagesTotal, reconnectsTotal } from '../../core/metrics.ts';
import { logBlockTimestamp, parseBlockStamp } from './block-schema.ts';
import { type BlockFetcher, type BlockStamp, BlockTimes } from './block-times.ts';
import { decodeOrderFilled, type OrderFilledEvent } from './decode.ts';
import { DeliveredLogs } from './delivered-logs.ts';
import { ChainRpcError, openRpcSocket, type RpcSocket, redactUrl } from './rpc-socket.ts';
import {
  normalizeLeaders,
  ORDER_FILLED_EMITTERS,
  type OrderFilledEmitter,
  orderFilledBlockFilter,
  orderFilledSubscriptions,
} from './subscription-filters.ts';

/** An `OrderFilled` that sits in a block (every log a subscription or `eth_getLogs` returns). */
export type MinedOrderFilled = OrderFilledEvent & {
  blockNumber: number;
  blockHash: Hex;
  transactionHash: Hex;
  logIndex: number;
};

export interface ChainFillLog {
  kind: 'fill';
  fill: MinedOrderFilled;
  /** The block's time (epoch ms). */
  blockTimeMs: number;
  /** True when the block's time could not be had and `blockTimeMs` is the time of receipt. */
  blockTimeEstimated: boolean;
  /** When the log arrived (epoch ms, injected clock). */
  receivedAtMs: number;
  /** Found by a reconnect's gap fill rather than delivered live. */
  backfill: boolean;
  /** The log as received. */
  raw: unknown;
}

export interface ChainRemovedLog {
  kind: 'removed';
  /** The log taken back (`removed` is true). */
  fill: MinedOrderFilled;
  receivedAtMs: number;
  /** `node`: a `removed: true` log. `reconnect`: its block was found orphaned after a drop. */
  detectedBy: 'node' | 'reconnect';
  raw: unknown;
}

export type ChainLogEvent = ChainFillLog | ChainRemovedLog;

/** Blocks whose logs this source did not fetch: another source (the API) must cover them. */
export interface ChainGap {
  fromBlock: number;
  toBlock: number;
  /** The last block seen before the drop (epoch ms). */
  fromTimeMs: number;
  /** The first block covered again, when known (epoch ms). */
  toTimeMs: number | null;
  reason: 'gap-fill-off' | 'gap-too-long';
}

export type ChainConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'stopped';

export interface ChainLogHealth {
  state: ChainConnectionState;
  /** Socket open and not stale. */
  healthy: boolean;
  /** Open, but no new block for longer than `staleAfterMs`. */
  stale: boolean;
  leaders: number;
  logSubscriptions: number;
  connectedAtMs: number | null;
  lastHeadNumber: number | null;
  lastHeadAtMs: number | null;
  lastLogAtMs: number | null;
  reconnects: number;
  /** Gaps handed to `onGap` so far. */
  uncoveredGaps: number;
  /** The last connection or handling error (kept after recovery; `healthy` says the present). */
  lastError: string | null;
  lastErrorAtMs: number | null;
}

export interface ChainLogSubscriberOptions {
  /** The node's websocket JSON-RPC URL (may hold an API key: only its origin is ever logged). */
  url: string;
  /** Leader (profile / proxy) wallets; more or fewer later with `setLeaders`. */
  leaders?: readonly string[];
  /** Each fill and retraction, in order. Awaited; a throw is logged and the next event goes on. */
  onLog(event: ChainLogEvent): void | Promise<void>;
  /** Blocks this source could not cover (see ChainGap). */
  onGap?(gap: ChainGap): void | Promise<void>;
  clock?: Clock;
  logger?: Logger;
  /** [0, 1) for the backoff jitter; default Math.random. */
  random?: () => number;
  /** No new block for this long while open: stale, reconnect. Default 30 s; Infinity turns it off. */
  staleAfterMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** Per JSON-RPC request. Default 10 s. */
  requestTimeoutMs?: number;
  /** Fetch the blocks missed while reconnecting (default true). */
  gapFill?: boolean;
  /** The longest gap fetched block by block; older blocks go to `onGap`. Default 900 (30 min). */
  maxGapBlocks?: number;
  /** Heights below the last head re-checked for reorgs after a reconnect. Default 16. */
  reorgRecheckBlocks?: number;
  /** Which contracts to watch; default all four exchanges. */
  emitters?: readonly OrderFilledEmitter[];
}

interface Delivered {
  fill: MinedOrderFilled;
  raw: unknown;
}

const DEFAULTS = {
  staleAfterMs: 30_000,
  requestTimeoutMs: 10_000,
  maxGapBlocks: 900,
  reorgRecheckBlocks: 16,
} as const;

/** Blocks fetched ahead by a gap fill. */
const GAP_FETCH_CONCURRENCY = 8;

/** Checked at least this often while open (and at half the stale limit when that is shorter). */
const WATCHDOG_MAX_INTERVAL_MS = 5_000;

export class ChainLogSubscriber {
  readonly #url: string;
  readonly #onLog: ChainLogSubscriberOptions['onLog'];
  readonly #onGap: ChainLogSubscriberOptions['onGap'];
  readonly #clock: Clock;
  readonly #logger: Logger | undefined;
  readonly #random: () => number;
  readonly #staleAfterMs: number;
  readonly #backoff: BackoffOptions;
  readonly #timeoutMs: number;
  readonly #gapFillOn: boolean;
  readonly #maxGapBlocks: number;
  readonly #reorgRecheckBlocks: number;
  readonly #emitters: readonly OrderFilledEmitter[];

  #leaders: Hex[];
  #leaderSet: Set<string>;
  #state: ChainConnectionState = 'idle';
  #socket: RpcSocket | null = null;
  #logSubIds: string[] = [];
  #run: Promise<void> | null = null;
  #stopping: Promise<void> | null = null;
  readonly #abort = new AbortController();
  /** Incoming messages and gap fills, handled one at a time in arrival order. */
  #queue: Promise<void> = Promise.resolve();
  /** Serializes subscription changes (connect, leader-set changes). */
  #ops: Promise<void> = Promise.resolve();
  #cancelWatchdog: (() => void) | null = null;
  #openWaiters: { resolve(): void; reject(e: Error): void }[] = [];

  /** The last block handled: where the next gap fill starts. */
  #lastHead: BlockStamp | null = null;
  /** A gap fill's start that has not completed yet (kept across failed attempts). */
  #pendingGapFrom: number | null = null;
  #connectedAtMs: number | null = null;
  #lastHeadAtMs: number | null = null;
  #headsReceived = 0;
  #lastLogAtMs: number | null = null;
  #reconnects = 0;
  #uncoveredGaps = 0;
  #lastError: string | null = null;
  #lastErrorAtMs: number | null = null;

  readonly #blockTimes = new BlockTimes();
  readonly #delivered = new DeliveredLogs<Delivered>();

  constructor(options: ChainLogSubscriberOptions) {
    this.#url = options.url;
    this.#onLog = options.onLog;
    this.#onGap = options.onGap;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger?.child({ source: 'chain', node: redactUrl(options.url) });
    this.#random = options.random ?? Math.random;
    this.#staleAfterMs = options.staleAfterMs ?? DEFAULTS.staleAfterMs;
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.#timeoutMs = options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;
    this.#gapFillOn = options.gapFill ?? true;
    this.#maxGapBlocks = options.maxGapBlocks ?? DEFAULTS.maxGapBlocks;
    this.#reorgRecheckBlocks = options.reorgRecheckBlocks ?? DEFAULTS.reorgRecheckBlocks;
    this.#emitters = options.emitters ?? ORDER_FILLED_EMITTERS;
    if (!(this.#staleAfterMs > 0)) throw new RangeError('staleAfterMs must be > 0');
    if (!Number.isInteger(this.#maxGapBlocks) || this.#maxGapBlocks < 1)
      throw new RangeError('maxGapBlocks must be an integer >= 1');
    this.#leaders = normalizeLeaders(options.leaders ?? []);
    this.#leaderSet = new Set(this.#leaders);
  }

  /** Starts connecting (and reconnecting until `stop`); returns at once. */
  start(): void {
    if (this.#run || this.#stopping) return;
    this.#run = this.#loop();
  }

  /** Resolves when the subscriptions are in place (at once if they are); rejects on stop. */
  whenOpen(): Promise<void> {
    if (this.#state === 'open') return Promise.resolve();
    if (this.#stopping) return Promise.reject(new Error('the chain log subscriber is stopped'));
    return new Promise((resolve, reject) => this.#openWaiters.push({ resolve, reject }));
  }

  /**
   * Follows exactly these wallets from now on (no history is fetched for new ones). While open,
   * subscribes the new filters before unsubscribing the old, so no block falls between them.
   */
  setLeaders(leaders: readonly string[]): Promise<void> {
    const next = normalizeLeaders(leaders);
    return this.#exclusive(async () => {
      if (sameList(next, this.#leaders)) return;
      this.#leaders = next;
      this.#leaderSet = new Set(next);
      const socket = this.#socket;
      if (!socket?.open) return;
      try {
        const ids = await this.#subscribeLogs(socket);
        const old = this.#logSubIds;
        this.#logSubIds = ids;
        for (const id of old) {
          await socket.unsubscribe(id).catch((err: unknown) => {
            this.#logger?.debug({ err: describeError(err) }, 'chain: unsubscribe failed');
          });
        }
        this.#logger?.info({ leaders: next.length }, 'chain: leader set changed, resubscribed');
      } catch (err) {
        // A fresh connection subscribes with the new set.
        this.#setError(describeError(err));
        this.#logger?.warn({ err: this.#lastError }, 'chain: resubscribing failed; reconnecting');
        socket.close();
      }
    });
  }

  health(): ChainLogHealth {
    const stale = this.#isStale();
    return {
      state: this.#state,
      healthy: this.#state === 'open' && !stale,
      stale,
      leaders: this.#leaders.length,
      logSubscriptions: this.#logSubIds.length,
      connectedAtMs: this.#connectedAtMs,
      lastHeadNumber: this.#lastHead?.number ?? null,
      lastHeadAtMs: this.#lastHeadAtMs,
      lastLogAtMs: this.#lastLogAtMs,
      reconnects: this.#reconnects,
      uncoveredGaps: this.#uncoveredGaps,
      lastError: this.#lastError,
      lastErrorAtMs: this.#lastErrorAtMs,
    };
  }

  /** Closes the socket, stops reconnecting, and waits for the events in hand to be delivered. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#abort.abort();
      this.#cancelWatchdog?.();
      this.#socket?.close();
      await this.#run;
      await this.#ops;
      await this.#queue;
      this.#state = 'stopped';
      for (const w of this.#openWaiters.splice(0)) w.reject(new Error('the chain log subscriber is stopped'));
    })();
    return this.#stopping;
  }

  // --- connection -------------------------------------------------------------------------

  async #loop(): Promise<void> {
    let attempt = 0;
    while (!this.#stopping) {
      if (attempt > 0) {
        this.#state = 'reconnecting';
        try {
          await this.#clock.sleep(
            backoffDelayMs(attempt - 1, this.#backoff, this.#random),
            this.#abort.signal,
          );
        } catch {
          break;
        }
        if (this.#stopping) break;
        this.#reconnects++;
        reconnectsTotal.inc({ source: 'chain' });
      } else this.#state = 'connecting';
      attempt++;
      let socket: RpcSocket | null = null;
      try {
        socket = await openRpcSocket({
          url: this.#url,
          timeoutMs: this.#timeoutMs,
          onBadFrame: (sample, reason) => this.#bad(sample, reason),
          signal: this.#abort.signal,
        });
        if (this.#stopping) break;
        const opened = socket;
        await this.#exclusive(() => this.#establish(opened));
        const headsBefore = this.#headsReceived;
        this.#markOpen(opened);
        await opened.closed;
        // A connection that delivered blocks earns a fresh backoff; a flapping one does not.
        if (this.#headsReceived > headsBefore) attempt = 1;
        if (!this.#stopping) this.#logger?.warn('chain: socket closed; reconnecting');
      } catch (err) {
        if (this.#stopping) break;
        this.#setError(describeError(err));
        this.#logger?.warn({ err: this.#lastError, attempt }, 'chain: connection failed');
      } finally {
        this.#cancelWatchdog?.();
        this.#cancelWatchdog = null;
        if (this.#socket === socket) {
          this.#socket = null;
          this.#logSubIds = [];
        }
        socket?.close();
      }
    }
    this.#state = 'stopped';
  }

  /** Subscribes heads and logs on a new socket; queues the gap fill in front of its messages. */
  async #establish(socket: RpcSocket): Promise<void> {
    let releaseGap: (go: boolean) => void = () => {};
    if (this.#lastHead) {
      const gate = new Promise<boolean>((resolve) => {
        releaseGap = resolve;
      });
      // Queued before anything the new subscriptions deliver, so missed blocks come out first.
      this.#enqueue('gap fill', async () => {
        if (await gate) await this.#fillGap(socket);
      });
    }
    try {
      await socket.subscribe(['newHeads'], (header) => this.#onHeadMessage(header));
      const ids = await this.#subscribeLogs(socket);
      if (!this.#lastHead) {
        // The first connection: live from here (no history), and a baseline for the next gap fill.
        const head = await this.#fetchBlock(socket, 'latest');
        if (head) {
          this.#blockTimes.remember(head);
          this.#lastHead ??= head;
        }
      }
      this.#socket = socket;
      this.#logSubIds = ids;
      releaseGap(true);
    } catch (err) {
      releaseGap(false);
      throw err;
    }
  }

  async #subscribeLogs(socket: RpcSocket): Promise<string[]> {
    const ids: string[] = [];
    for (const filter of orderFilledSubscriptions(this.#leaders, this.#emitters)) {
      ids.push(await socket.subscribe(['logs', filter], (log) => this.#onLogMessage(log)));
    }
    return ids;
  }

  #markOpen(socket: RpcSocket): void {
    this.#state = 'open';
    this.#connectedAtMs = this.#clock.now();
    this.#logger?.info(
      { leaders: this.#leaders.length, subscriptions: this.#logSubIds.length },
      'chain: subscribed',
    );
    for (const w of this.#openWaiters.splice(0)) w.resolve();
    if (!Number.isFinite(this.#staleAfterMs)) return;
    const interval = Math.max(10, Math.min(this.#staleAfterMs / 2, WATCHDOG_MAX_INTERVAL_MS));
    const check = (): void => {
      if (this.#stopping || this.#socket !== socket) return;
      if (this.#isStale()) {
        this.#setError(`stale: no new block for more than ${this.#staleAfterMs} ms`);
        this.#logger?.warn(this.#lastError);
        socket.close();
        return;
      }
      this.#cancelWatchdog = this.#clock.setTimer(interval, check);
    };
    this.#cancelWatchdog = this.#clock.setTimer(interval, check);
  }

  #isStale(): boolean {
    if (this.#state !== 'open' || this.#connectedAtMs === null) return false;
    const since = Math.max(this.#connectedAtMs, this.#lastHeadAtMs ?? 0);
    return this.#clock.now() - since > this.#staleAfterMs;
  }

  // --- messages ---------------------------------------------------------------------------

  #onHeadMessage(header: unknown): void {
    // Checked on arrival: only a well-formed head proves the node alive (the watchdog reads it).
    const parsed = parseBlockStamp(header);
    if (!parsed.success) {
      this.#bad(header, `bad newHeads header: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return;
    }
    this.#lastHeadAtMs = this.#clock.now();
    this.#headsReceived++;
    const head = parsed.data;
    this.#enqueue('head', async () => {
      this.#blockTimes.remember(head);
      this.#lastHead = head;
    });
  }

  #onLogMessage(log: unknown): void {
    const receivedAtMs = this.#clock.now();
    this.#lastLogAtMs = receivedAtMs;
    this.#enqueue('log', async () => {
      await this.#handleLog(log, receivedAtMs, false);
    });
  }

  /** Validates, dedupes and delivers one log; true when it delivered a fill. */
  async #handleLog(raw: unknown, receivedAtMs: number, backfill: boolean): Promise<boolean> {
    let fill: OrderFilledEvent;
    try {
      fill = decodeOrderFilled(raw);
    } catch (err) {
      this.#bad(raw, describeError(err));
      return false;
    }
    if (fill.exchangeKind === null) {
      this.#bad(raw, `OrderFilled from ${fill.exchange}, not a Polymarket exchange of that version`);
      return false;
    }
    if (!isMined(fill)) {
      this.#bad(raw, 'log without block number, block hash, transaction hash or log index');
      return false;
    }
    // An old subscription still open during a leader-set change, or a node ignoring topic filters.
    if (!this.#leaderSet.has(fill.maker.toLowerCase())) return false;

    if (fill.removed) {
      if (!this.#delivered.recordRetraction(fill.blockNumber, fill.blockHash, fill.logIndex)) return false;
      await this.#emit({ kind: 'removed', fill, receivedAtMs, detectedBy: 'node', raw });
      return false;
    }
    if (this.#delivered.state(fill.blockHash, fill.logIndex) === 'fill') return false;
    const time = await this.#blockTime(fill, raw, receivedAtMs);
    if (!this.#delivered.recordFill(fill.blockNumber, fill.blockHash, fill.logIndex, { fill, raw }))
      return false;
    await this.#emit({
      kind: 'fill',
      fill,
      blockTimeMs: time.ms,
      blockTimeEstimated: time.estimated,
      receivedAtMs,
      backfill,
      raw,
    });
    return true;
  }

  async #blockTime(
    fill: MinedOrderFilled,
    raw: unknown,
    receivedAtMs: number,
  ): Promise<{ ms: number; estimated: boolean }> {
    const own = logBlockTimestamp(raw) ?? this.#blockTimes.known(fill.blockHash);
    if (own !== undefined) return { ms: own * 1000, estimated: false };
    const socket = this.#socket;
    if (socket?.open) {
      try {
        const seconds = await this.#blockTimes.timeOf(
          fill.blockNumber,
          fill.blockHash,
          this.#fetcher(socket),
        );
        return { ms: seconds * 1000, estimated: false };
      } catch (err) {
        this.#logger?.warn({ err: describeError(err), block: fill.blockNumber }, 'chain: block time unknown');
      }
    }
    // Live logs arrive within seconds of their block; better an estimate than a lost fill.
    return { ms: receivedAtMs, estimated: true };
  }

  // --- gap fill ---------------------------------------------------------------------------

  /**
   * After a reconnect: retracts fills from blocks no longer canonical, then fetches the leaders'
   * logs of every block from the last one handled to the head, block by block (by hash).
   */
  async #fillGap(socket: RpcSocket): Promise<void> {
    const last = this.#lastHead;
    if (!last) return;
    const from = Math.min(this.#pendingGapFrom ?? last.number, last.number);
    this.#pendingGapFrom = from;
    const head = await this.#fetchBlock(socket, 'latest');
    if (!head) throw new ChainRpcError('the node has no latest block');
    this.#blockTimes.remember(head);

    let start = from;
    let gap: ChainGap | null = null;
    if (!this.#gapFillOn) {
      start = head.number + 1;
      gap = {
        fromBlock: from,
        toBlock: head.number,
        fromTimeMs: last.timestamp * 1000,
        toTimeMs: null,
        reason: 'gap-fill-off',
      };
    } else if (head.number - from + 1 > this.#maxGapBlocks) {
      start = head.number - this.#maxGapBlocks + 1;
      gap = {
        fromBlock: from,
        toBlock: start - 1,
        fromTimeMs: last.timestamp * 1000,
        toTimeMs: null,
        reason: 'gap-too-long',
      };
    }

    const recheck = this.#delivered.blocksWithFills(
      Math.max(0, from - this.#reorgRecheckBlocks),
      head.number,
    );
    const heights = new Set<number>(recheck.map((b) => b.number));
    for (let n = start; n <= head.number; n++) heights.add(n);

    // Fetched a few blocks ahead, handled strictly in height order.
    const fetchHeight = async (n: number) => {
      const block = n === head.number ? head : await this.#fetchBlock(socket, n);
      if (!block) return null;
      const orphans = recheck.filter((old) => old.number === n && old.hash !== block.hash);
      const scan = this.#gapFillOn && (n >= start || orphans.length > 0);
      const filter = scan ? orderFilledBlockFilter(block.hash, this.#leaders, this.#emitters) : null;
      const logs = filter ? await socket.request<unknown>('eth_getLogs', [filter]) : [];
      return { n, block, orphans, logs };
    };
    const queue = [...heights].sort((x, y) => x - y);
    const window: Promise<Awaited<ReturnType<typeof fetchHeight>>>[] = [];
    const refill = (): void => {
      while (window.length < GAP_FETCH_CONCURRENCY && queue.length > 0) {
        const fetching = fetchHeight(queue.shift()!);
        // Awaited below in order; this only keeps a failure ahead of its turn from going unhandled.
        fetching.catch(() => {});
        window.push(fetching);
      }
    };
    refill();
    let backfilled = 0;
    while (window.length > 0) {
      const fetched = await window.shift()!;
      refill();
      if (!fetched) continue;
      const { n, block, orphans, logs } = fetched;
      this.#blockTimes.remember(block);
      if (gap && n === start) gap.toTimeMs = block.timestamp * 1000;
      for (const old of orphans) await this.#retractOrphaned(old.fills);
      if (!Array.isArray(logs)) {
        this.#bad(logs, 'eth_getLogs did not answer a list');
        continue;
      }
      for (const raw of logs) if (await this.#handleLog(raw, this.#clock.now(), true)) backfilled++;
    }
    if (!this.#lastHead || head.number >= this.#lastHead.number) this.#lastHead = head;
    this.#pendingGapFrom = null;
    this.#logger?.info({ from, head: head.number, backfilled }, 'chain: gap filled after reconnect');
    if (gap) await this.#reportGap(gap);
  }

  async #retractOrphaned(fills: readonly Delivered[]): Promise<void> {
    for (const { fill, raw } of fills) {
      if (!this.#delivered.recordRetraction(fill.blockNumber, fill.blockHash, fill.logIndex)) continue;
      const removed = { ...fill, removed: true };
      const rawRemoved = typeof raw === 'object' && raw !== null ? { ...raw, removed: true } : raw;
      await this.#emit({
        kind: 'removed',
        fill: removed,
        receivedAtMs: this.#clock.now(),
        detectedBy: 'reconnect',
        raw: rawRemoved,
      });
    }
  }

  async #reportGap(gap: ChainGap): Promise<void> {
    this.#uncoveredGaps++;
    this.#logger?.error({ gap }, 'chain: blocks not covered by this source; another source must fill them');
    try {
      await this.#onGap?.(gap);
    } catch (err) {
      this.#logger?.error({ err: describeError(err) }, 'chain: onGap failed');
    }
  }

  // --- helpers ----------------------------------------------------------------------------

  #fetcher(socket: RpcSocket): BlockFetcher {
    return {
      byNumber: (n) => this.#fetchBlock(socket, n),
      byHash: async (hash) =>
        this.#parseBlock(await socket.request<unknown>('eth_getBlockByHash', [hash, false])),
    };
  }

  async #fetchBlock(socket: RpcSocket, tag: number | 'latest'): Promise<BlockStamp | null> {
    const param = tag === 'latest' ? 'latest' : numberToHex(tag);
    return this.#parseBlock(await socket.request<unknown>('eth_getBlockByNumber', [param, false]));
  }

  #parseBlock(block: unknown): BlockStamp | null {
    if (block === null) return null;
    const parsed = parseBlockStamp(block);
    if (!parsed.success) {
      this.#bad(block, `bad block: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      throw new ChainRpcError('the node answered a malformed block');
    }
    return parsed.data;
  }

  async #emit(event: ChainLogEvent): Promise<void> {
    try {
      await this.#onLog(event);
    } catch (err) {
      this.#logger?.error(
        { err: describeError(err), tx: event.fill.transactionHash, logIndex: event.fill.logIndex },
        'chain: onLog failed',
      );
    }
  }

  #enqueue(what: string, task: () => Promise<void>): void {
    this.#queue = this.#queue.then(task).catch((err: unknown) => {
      this.#setError(describeError(err));
      this.#logger?.warn({ err: this.#lastError, what }, 'chain: handling failed');
    });
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#ops.then(fn);
    this.#ops = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  #setError(message: string): void {
    this.#lastError = message;
    this.#lastErrorAtMs = this.#clock.now();
  }

  #bad(sample: unknown, reason: string): void {
    badMessagesTotal.inc({ source: 'chain' });
    this.#logger?.warn({ reason, sample: sampleOf(sample) }, 'chain: bad message skipped');
  }
}

/** Creates a subscriber and starts it. */
export function startChainLogSubscriber(options: ChainLogSubscriberOptions): ChainLogSubscriber {
  const subscriber = new ChainLogSubscriber(options);
  subscriber.start();
  return subscriber;
}

function isMined(fill: OrderFilledEvent): fill is MinedOrderFilled {
  return (
    fill.blockNumber !== null &&
    fill.blockHash !== null &&
    fill.transactionHash !== null &&
    fill.logIndex !== null
  );
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function sampleOf(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return text.length > 500 ? `${text.slice(0, 500)}...` : text;
}
