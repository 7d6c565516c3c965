/**
 * The CLOB user channel (`/ws/user`, api-reference.md §5.2): our orders' `order` events
 * (placement, partial match, cancellation) and our trades' `trade` events (MATCHED -> MINED ->
 * CONFIRMED, or FAILED), built the way the market socket and the RTDS client are.
 *
 * - Authenticates in the subscribe request with the API key, secret and passphrase (the channel
 *   takes the credentials themselves, no HMAC), for the given markets or all of them. The
 *   credentials go into that one frame and nowhere else: never into a log line, and they are
 *   scrubbed from the samples of bad messages in case a server echoes them.
 * - Sends a text `PING` right after subscribing and every 10 s; the server answers `PONG`. The first
 *   answer after the subscription confirms it (a server that refuses the credentials drops the
 *   socket instead). A socket with no frame at all for `deadAfterMs` is cut as dead.
 * - Validates every message with the ws-user schemas; a bad one is counted in
 *   `bad_messages_total{source="clob_user_ws"}`, logged with a sample (throttled) and skipped.
 * - Reconnects with capped exponential backoff and jitter (`reconnects_total{source}`).
 * - Silence watchdog: the channel is quiet whenever nothing trades, so silence is only suspect
 *   while the owner expects data (`expectsData`, e.g. an order was just sent and no PLACEMENT came).
 *   Then it reports a gap and resubscribes; a second silent period reconnects.
 *
 * Gaps. Order state must not depend on the socket having seen everything: each `gap` says when
 * messages may have been lost, and the owner reconciles by REST (execution/reconcile). Reported:
 * `reconnect` when a new subscription is confirmed after a lost connection (or a stop and start),
 * covering [the last frame of the old connection, the confirmation]; `silence` and `resumed` as in
 * the RTDS client; `bad_message` once a burst of unreadable messages settles, covering [the last
 * good frame before it, the end of the burst]. Times are epoch ms at this client. The first
 * connection reports no gap: the owner reconciles at start anyway.
 */
import { type RawData, WebSocket } from 'ws';
import { type BackoffOptions, backoffDelayMs, DEFAULT_BACKOFF } from '../../core/backoff.ts';
import { type Clock, systemClock } from '../../core/clock.ts';
import { createLogger, type Logger } from '../../core/logger.ts';
import { badMessagesTotal, reconnectsTotal } from '../../core/metrics.ts';
import type { WsUserOrderMessage, WsUserTradeMessage } from './schemas/ws-user.ts';
import {
  type OurTradePart,
  ourTradePart,
  parseUserFrame,
  type UserChannelCredentials,
  userAddMarketsRequest,
  userSubscribeRequest,
} from './user-socket-frames.ts';

export type UserSocketGapReason = 'reconnect' | 'silence' | 'resumed' | 'bad_message';

/** A window (epoch ms, at this client) in which user-channel messages may have been missed. */
export interface UserSocketGap {
  fromMs: number;
  toMs: number;
  reason: UserSocketGapReason;
}

export interface UserOrderUpdate {
  message: WsUserOrderMessage;
  receivedAtMs: number;
}

export interface UserTradeUpdate {
  message: WsUserTradeMessage;
  /** Our side of it, taker or maker, and our orders in it. */
  ours: OurTradePart;
  receivedAtMs: number;
}

/**
 * `open`: subscribed (the server answered) and not suspect. `stale`: connected, but silent while
 * data was expected, or no frame at all for `deadAfterMs`. `closed`: not (yet) subscribed.
 */
export type UserSocketState = 'open' | 'stale' | 'closed';

export interface UserSocketHealth {
  state: UserSocketState;
  connectedSinceMs: number | null;
  lastMessageAtMs: number | null;
  lastFrameAtMs: number | null;
  /** Every message up to this time was received or reported in a gap; null before the first subscription. */
  coveredUntilMs: number | null;
  messages: number;
  badMessages: number;
  reconnects: number;
  gaps: number;
}

export interface UserSocketOptions {
  /** `wss://ws-subscriptions-clob.polymarket.com/ws/user`, or the simulator's. */
  url: string;
  credentials: UserChannelCredentials;
  /** Condition ids; empty or absent means every market of the account. */
  markets?: readonly string[];
  /** Each order event. A throw is logged and the socket carries on. */
  onOrder?: (update: UserOrderUpdate) => void;
  /** Each trade status change. */
  onTrade?: (update: UserTradeUpdate) => void;
  onGap?: (gap: UserSocketGap) => void;
  /** Whether silence is suspect now (default never: a quiet account is normal). */
  expectsData?: () => boolean;
  clock?: Clock;
  logger?: Logger;
  /** In [0, 1); the backoff jitter. Default Math.random. */
  random?: () => number;
  /** Text `PING` interval, ms. Default 10_000 (what the server expects). */
  pingIntervalMs?: number;
  /** No data message for this long while data is expected is a silent lapse, ms. Default 30_000. */
  silenceMs?: number;
  /** No frame at all (not even a `PONG`) for this long means the socket is dead, ms. Default 25_000. */
  deadAfterMs?: number;
  /** Gives up on a handshake after this long, ms. Default 10_000. */
  connectTimeoutMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** A connection open this long (or that delivered data) resets the backoff, ms. Default 30_000. */
  stableAfterMs?: number;
  /** At most one bad-message log line per this interval (the rest are counted), ms. Default 60_000. */
  badLogIntervalMs?: number;
  /** A burst of bad messages is reported as one gap this long after its first, ms. Default 1_000. */
  badGapDelayMs?: number;
  /** The `source` label of the metrics. Default `clob_user_ws`. */
  metricsSource?: string;
}

interface Connection {
  ws: WebSocket;
  opened: boolean;
  /** The server answered after our subscription. */
  confirmed: boolean;
  gotData: boolean;
  openedAtMono: number;
  closed: Promise<void>;
  cancels: (() => void)[];
}

const defaultLogger = (): Logger => createLogger({ level: 'silent', format: 'json' });

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

export class UserSocket {
  readonly #url: string;
  readonly #creds: UserChannelCredentials;
  readonly #markets: string[];
  readonly #o: UserSocketOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #random: () => number;
  readonly #expectsData: () => boolean;
  readonly #pingIntervalMs: number;
  readonly #silenceMs: number;
  readonly #deadAfterMs: number;
  readonly #connectTimeoutMs: number;
  readonly #backoff: BackoffOptions;
  readonly #stableAfterMs: number;
  readonly #badLogIntervalMs: number;
  readonly #badGapDelayMs: number;
  readonly #source: string;

  #running = false;
  #conn: Connection | null = null;
  #cancelReconnect: (() => void) | null = null;
  #attempt = 0;
  #hadSubscription = false;

  #lastFrameMono = 0;
  /** The watchdog's reference: the last data message, subscription or silence action. */
  #progressMono = 0;
  #silentStrikes = 0;
  /** Messages may be missing since `coveredUntil`: a connection was lost, or silence was reported. */
  #suspect = false;
  #coveredUntil: number | null = null;
  #connectedSinceMs: number | null = null;
  #lastMessageMs: number | null = null;
  #lastFrameMs: number | null = null;
  #badBurst: { fromMs: number; cancel: () => void } | null = null;

  #messages = 0;
  #bad = 0;
  #reconnects = 0;
  #gaps = 0;
  #badLoggedAtMono: number | null = null;
  #badSuppressed = 0;

  constructor(options: UserSocketOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
      throw new TypeError(`user channel url must be ws: or wss:, got ${options.url}`);
    }
    const { key, secret, passphrase } = options.credentials;
    if (!key || !secret || !passphrase)
      throw new TypeError('user channel needs an API key, secret and passphrase');
    this.#url = options.url;
    this.#creds = { key, secret, passphrase };
    this.#markets = [...new Set(options.markets ?? [])];
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger ?? defaultLogger();
    this.#random = options.random ?? Math.random;
    this.#expectsData = options.expectsData ?? (() => false);
    this.#pingIntervalMs = positive(options.pingIntervalMs ?? 10_000, 'pingIntervalMs');
    this.#silenceMs = positive(options.silenceMs ?? 30_000, 'silenceMs');
    this.#deadAfterMs = positive(options.deadAfterMs ?? 25_000, 'deadAfterMs');
    this.#connectTimeoutMs = positive(options.connectTimeoutMs ?? 10_000, 'connectTimeoutMs');
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.#stableAfterMs = options.stableAfterMs ?? 30_000;
    this.#badLogIntervalMs = options.badLogIntervalMs ?? 60_000;
    this.#badGapDelayMs = options.badGapDelayMs ?? 1_000;
    this.#source = options.metricsSource ?? 'clob_user_ws';
  }

  /** Connects, and keeps reconnecting until `stop`. Started again after a stop, it reports the stopped time as a gap. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#connect();
  }

  /** Closes the socket and cancels every timer; resolves once the socket has closed. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#cancelReconnect?.();
    this.#cancelReconnect = null;
    this.#badBurst?.cancel();
    this.#badBurst = null;
    const conn = this.#conn;
    if (conn === null) return;
    for (const cancel of conn.cancels.splice(0)) cancel();
    if (conn.ws.readyState === WebSocket.OPEN) {
      conn.ws.close(1000, 'client stop');
      // A peer that never answers the close frame must not hold the stop up.
      const cancel = this.#clock.setTimer(1_000, () => conn.ws.terminate());
      await conn.closed;
      cancel();
    } else {
      conn.ws.terminate();
      await conn.closed;
    }
  }

  /**
   * Follows more markets, now and after every reconnect. With no market list (every market) there
   * is nothing to add.
   */
  subscribe(markets: readonly string[]): void {
    if (this.#markets.length === 0) return;
    const added = markets.filter((m) => !this.#markets.includes(m));
    if (added.length === 0) return;
    this.#markets.push(...added);
    const conn = this.#conn;
    if (conn?.opened === true) this.#send(conn, userAddMarketsRequest(added));
  }

  /** Cuts the socket (a reconnect and a gap follow), e.g. when its stream can no longer be trusted. */
  reconnect(): void {
    this.#conn?.ws.terminate();
  }

  health(): UserSocketHealth {
    const conn = this.#conn;
    let state: UserSocketState = 'closed';
    if (conn?.confirmed === true && conn.ws.readyState === WebSocket.OPEN) {
      const mono = this.#mono();
      const silent = this.#expectsData() && mono - this.#progressMono >= this.#silenceMs;
      const dead = mono - this.#lastFrameMono >= this.#deadAfterMs;
      state = this.#suspect || silent || dead ? 'stale' : 'open';
    }
    return {
      state,
      connectedSinceMs: state === 'closed' ? null : this.#connectedSinceMs,
      lastMessageAtMs: this.#lastMessageMs,
      lastFrameAtMs: this.#lastFrameMs,
      coveredUntilMs: this.#coveredUntil,
      messages: this.#messages,
      badMessages: this.#bad,
      reconnects: this.#reconnects,
      gaps: this.#gaps,
    };
  }

  #mono(): number {
    return Number(this.#clock.monotonicNs() / 1_000_000n);
  }

  #connect(): void {
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.#url, { perMessageDeflate: false });
    } catch (err) {
      this.#log.error({ err, source: this.#source }, 'clob user ws: cannot open a websocket');
      this.#scheduleReconnect();
      return;
    }
    const conn: Connection = {
      ws,
      opened: false,
      confirmed: false,
      gotData: false,
      openedAtMono: 0,
      closed: new Promise<void>((resolve) => ws.once('close', () => resolve())),
      cancels: [],
    };
    this.#conn = conn;
    conn.cancels.push(
      this.#clock.setTimer(this.#connectTimeoutMs, () => {
        if (conn.opened) return;
        this.#log.warn({ source: this.#source, url: this.#url }, 'clob user ws: handshake timed out');
        ws.terminate();
      }),
    );
    ws.on('open', () => this.#onOpen(conn));
    ws.on('message', (data, isBinary) => this.#onFrame(conn, data, isBinary));
    ws.on('ping', () => this.#markFrame(conn));
    ws.on('pong', () => this.#markFrame(conn));
    // `ws` errors name the socket problem, never the frames we sent.
    ws.on('error', (err) =>
      this.#log.warn({ source: this.#source, err: err.message }, 'clob user ws: socket error'),
    );
    ws.on('close', (code, reason) => this.#onClose(conn, code, reason.toString('utf8')));
  }

  #onOpen(conn: Connection): void {
    if (conn !== this.#conn) return;
    conn.opened = true;
    conn.openedAtMono = this.#mono();
    this.#connectedSinceMs = this.#clock.now();
    this.#lastFrameMono = conn.openedAtMono;
    this.#progressMono = conn.openedAtMono;
    this.#silentStrikes = 0;
    this.#send(conn, userSubscribeRequest(this.#creds, this.#markets));
    // The answer to this PING, sent after the subscription, proves the server took it.
    this.#send(conn, 'PING');
    this.#log.info(
      {
        source: this.#source,
        url: this.#url,
        markets: this.#markets.length === 0 ? 'all' : this.#markets.length,
      },
      'clob user ws: connected, subscribing',
    );
    this.#armPing(conn);
    this.#armWatchdog(conn);
  }

  #markFrame(conn: Connection): void {
    if (conn !== this.#conn) return;
    this.#lastFrameMono = this.#mono();
    this.#lastFrameMs = this.#clock.now();
  }

  #onFrame(conn: Connection, data: RawData, isBinary: boolean): void {
    if (conn !== this.#conn) return;
    this.#markFrame(conn);
    const now = this.#clock.now();
    if (!conn.confirmed) this.#confirm(conn, now);
    if (isBinary) {
      this.#badMessage('binary frame', `<${textOf(data).length} bytes>`, now);
      return;
    }
    const frame = parseUserFrame(textOf(data), (text) => this.#scrub(text));
    if (frame.kind === 'keepalive') {
      if (!this.#suspect) this.#coveredUntil = now;
      return;
    }
    let good = 0;
    for (const item of frame.items) {
      if (item.kind === 'bad') {
        this.#badMessage(item.reason, item.sample, now);
        continue;
      }
      good++;
      this.#messages++;
      if (good === 1) this.#onProgress(conn, now);
      const message = item.message;
      if (message.event_type === 'order') {
        this.#safely('order handler', () => this.#o.onOrder?.({ message, receivedAtMs: now }));
      } else {
        const ours = ourTradePart(message, this.#creds.key);
        this.#safely('trade handler', () => this.#o.onTrade?.({ message, ours, receivedAtMs: now }));
      }
    }
  }

  /** The first frame after our subscription: from now on messages reach us. */
  #confirm(conn: Connection, now: number): void {
    conn.confirmed = true;
    if (this.#hadSubscription) {
      // Everything between the old connection's last frame and this subscription may be lost.
      this.#emitGap('reconnect', now);
    } else {
      this.#coveredUntil = now;
    }
    this.#suspect = false;
    this.#hadSubscription = true;
    this.#log.info({ source: this.#source }, 'clob user ws: subscribed');
  }

  #onProgress(conn: Connection, now: number): void {
    conn.gotData = true;
    this.#lastMessageMs = now;
    this.#progressMono = this.#mono();
    this.#silentStrikes = 0;
    if (this.#suspect) {
      // The lapse may have ended before this first message: report up to now.
      this.#emitGap('resumed', now);
      this.#suspect = false;
    }
    this.#coveredUntil = now;
  }

  #badMessage(reason: string, sample: string, now: number): void {
    this.#bad++;
    badMessagesTotal.inc({ source: this.#source });
    if (this.#badBurst === null) {
      // One gap per burst: the owner reconciles once, not once per broken frame.
      const fromMs = this.#coveredUntil ?? now;
      const cancel = this.#clock.setTimer(this.#badGapDelayMs, () => {
        this.#badBurst = null;
        this.#emitGap('bad_message', this.#clock.now(), fromMs);
      });
      this.#badBurst = { fromMs, cancel };
    }
    const mono = this.#mono();
    if (this.#badLoggedAtMono !== null && mono - this.#badLoggedAtMono < this.#badLogIntervalMs) {
      this.#badSuppressed++;
      return;
    }
    this.#log.warn(
      { source: this.#source, reason, sample, suppressedSinceLast: this.#badSuppressed },
      'clob user ws: bad message skipped',
    );
    this.#badLoggedAtMono = mono;
    this.#badSuppressed = 0;
  }

  /** A received text with our credentials taken out, for log samples. */
  #scrub(text: string): string {
    let out = text;
    const { secret, passphrase, key } = this.#creds;
    for (const [value, label] of [
      [secret, '[secret]'],
      [passphrase, '[passphrase]'],
      [key, '[api-key]'],
    ] as const) {
      out = out.replaceAll(value, label);
    }
    return out;
  }

  #armPing(conn: Connection): void {
    conn.cancels.push(
      this.#clock.setTimer(this.#pingIntervalMs, () => {
        if (conn !== this.#conn || conn.ws.readyState !== WebSocket.OPEN) return;
        if (this.#mono() - this.#lastFrameMono >= this.#deadAfterMs) {
          this.#log.warn({ source: this.#source }, 'clob user ws: no frame (not even a PONG); reconnecting');
          conn.ws.terminate();
          return;
        }
        this.#send(conn, 'PING');
        this.#armPing(conn);
      }),
    );
  }

  #armWatchdog(conn: Connection): void {
    // Re-armed from the last progress rather than reset per message: a busy stream costs no timers.
    const due = this.#progressMono + this.#silenceMs - this.#mono();
    conn.cancels.push(this.#clock.setTimer(Math.max(0, due), () => this.#checkSilence(conn)));
  }

  #checkSilence(conn: Connection): void {
    if (conn !== this.#conn || !conn.opened || conn.ws.readyState !== WebSocket.OPEN) return;
    const mono = this.#mono();
    if (!conn.confirmed || !this.#expectsData()) {
      this.#progressMono = mono;
      this.#silentStrikes = 0;
    }
    if (mono - this.#progressMono < this.#silenceMs) {
      this.#armWatchdog(conn);
      return;
    }
    this.#silentStrikes++;
    this.#suspect = true;
    this.#progressMono = mono;
    this.#emitGap('silence', this.#clock.now());
    if (this.#silentStrikes >= 2) {
      this.#log.warn(
        { source: this.#source },
        'clob user ws: still silent after resubscribing; reconnecting',
      );
      conn.ws.terminate();
      return;
    }
    this.#log.warn(
      { source: this.#source, silenceMs: this.#silenceMs },
      'clob user ws: silent; resubscribing',
    );
    this.#send(conn, userSubscribeRequest(this.#creds, this.#markets));
    this.#armWatchdog(conn);
  }

  #emitGap(reason: UserSocketGapReason, now: number, from: number | null = this.#coveredUntil): void {
    if (from === null) return;
    const gap: UserSocketGap = { fromMs: from, toMs: Math.max(from, now), reason };
    if (reason !== 'bad_message') this.#coveredUntil = Math.max(this.#coveredUntil ?? gap.toMs, gap.toMs);
    this.#gaps++;
    this.#log.info({ source: this.#source, ...gap }, 'clob user ws: gap in the stream');
    this.#safely('gap handler', () => this.#o.onGap?.(gap));
  }

  #onClose(conn: Connection, code: number, reason: string): void {
    for (const cancel of conn.cancels.splice(0)) cancel();
    if (conn !== this.#conn) return;
    this.#conn = null;
    this.#connectedSinceMs = null;
    if (conn.confirmed) {
      // Messages sent while we are away are lost; the next subscription reports the gap.
      this.#suspect = true;
      if (conn.gotData || this.#mono() - conn.openedAtMono >= this.#stableAfterMs) this.#attempt = 0;
    }
    if (!this.#running) return;
    if (conn.opened && !conn.confirmed) {
      // The server drops the socket on credentials it refuses, before answering anything.
      this.#log.warn(
        { source: this.#source, code, reason },
        'clob user ws: closed before the subscription was answered (are the API credentials valid?)',
      );
    } else {
      this.#log.warn({ source: this.#source, code, reason }, 'clob user ws: socket closed');
    }
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (!this.#running) return;
    const delay = backoffDelayMs(this.#attempt, this.#backoff, this.#random);
    this.#attempt++;
    this.#log.info(
      { source: this.#source, delayMs: delay, attempt: this.#attempt },
      'clob user ws: reconnecting',
    );
    this.#cancelReconnect = this.#clock.setTimer(delay, () => {
      this.#cancelReconnect = null;
      if (!this.#running) return;
      this.#reconnects++;
      reconnectsTotal.inc({ source: this.#source });
      this.#connect();
    });
  }

  #send(conn: Connection, text: string): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    conn.ws.send(text, (err) => {
      // The error, never the frame: the subscription carries the secret.
      if (err) this.#log.debug({ source: this.#source, err: err.message }, 'clob user ws: send failed');
    });
  }

  #safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#log.error({ err, source: this.#source }, `clob user ws: ${what} threw`);
    }
  }
}
