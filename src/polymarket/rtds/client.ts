/**
 * A reusable client for the Real-Time Data Socket (api-reference.md §6), written on `ws`.
 *
 * - Subscribes on every (re)connection and sends the text `ping` every 5 s; `pong` and the
 *   server's empty frames are keepalives; protocol pings are answered by `ws` itself.
 * - Validates every frame (frames.ts); a bad one is counted in `bad_messages_total{source}`,
 *   logged with a truncated sample (throttled, so a flood cannot flood the log) and skipped.
 * - Reconnects with capped exponential backoff and jitter, counted in `reconnects_total{source}`.
 * - A socket that receives no frame at all (not even the pong to our ping) for `deadAfterMs` is
 *   dead though it looks open: it is cut and reconnected.
 * - Silence watchdog: the subscription can lapse while the socket stays ping-alive. When no data
 *   message arrives for `silenceMs` on an open socket, the client reports a gap and resubscribes;
 *   if the next `silenceMs` is silent too, it reconnects.
 *
 * Gaps. The client keeps `coveredUntil`: the time up to which every message was either received
 * or reported missing. Each `gap` event reports `[coveredUntil, now]` and moves it to `now`, so
 * consecutive gaps tile the lost time without holes or overlaps. A gap is reported when silence is
 * detected (and again each further silent period), when data flows again after a silence (the
 * lapse may have ended before the first message), and when a new connection has subscribed after
 * one was lost. Gap times are wall-clock ms at this client; a caller filling them from an API whose
 * trade times are seconds and lag delivery by about a second should widen them a little.
 */
import { type RawData, WebSocket } from 'ws';
import { type BackoffOptions, backoffDelayMs, DEFAULT_BACKOFF } from '../../core/backoff.ts';
import { type Clock, systemClock } from '../../core/clock.ts';
import { createLogger, type Logger } from '../../core/logger.ts';
import { badMessagesTotal, reconnectsTotal } from '../../core/metrics.ts';
import { classifyRtdsFrame, type RtdsFrame, sampleOf } from './frames.ts';

export interface RtdsSubscription {
  topic: string;
  /** A message type of the topic, or `*` for all. */
  type: string;
  /** A JSON document as a string, e.g. `{"event_slug":"..."}`; omitted means everything. */
  filters?: string;
}

/** A validated data message, as the client delivers it. */
export type RtdsDataFrame = Extract<RtdsFrame, { kind: 'activity_trade' | 'data' }>;

export type RtdsGapReason = 'silence' | 'resumed' | 'reconnect';

/** A window (epoch ms, at this client) in which messages may have been missed. */
export interface RtdsGap {
  fromMs: number;
  toMs: number;
  reason: RtdsGapReason;
}

/**
 * `open`: connected and data flowing. `stale`: connected, but silent for `silenceMs` (or with no
 * frame at all for `deadAfterMs`); messages may be missing. `closed`: not connected (connecting,
 * waiting to reconnect, stopped).
 */
export type RtdsHealthState = 'open' | 'stale' | 'closed';

export interface RtdsHealth {
  state: RtdsHealthState;
  /** When the last valid data message arrived (epoch ms), null before the first. */
  lastMessageAtMs: number | null;
  /** When the last frame of any kind arrived, keepalives included. */
  lastFrameAtMs: number | null;
  /** When the current connection opened; null when not connected. */
  connectedSinceMs: number | null;
  /** Valid data messages received. */
  messages: number;
  reconnects: number;
  gaps: number;
  badMessages: number;
}

export interface RtdsClientOptions {
  /** `wss://ws-live-data.polymarket.com`, or the simulator's. */
  url: string;
  subscriptions: readonly RtdsSubscription[];
  /** Each valid data message. A throw is logged and the client carries on. */
  onMessage: (frame: RtdsDataFrame, receivedAtMs: number) => void;
  onGap?: (gap: RtdsGap) => void;
  clock?: Clock;
  logger?: Logger;
  /** In [0, 1); the backoff jitter. Default Math.random. */
  random?: () => number;
  /** Text `ping` interval, ms. Default 5000 (the reference client's). */
  pingIntervalMs?: number;
  /** No data message for this long on an open socket is a silent lapse, ms. Default 30_000. */
  silenceMs?: number;
  /** No frame at all for this long means the socket is dead, ms. Default 20_000. */
  deadAfterMs?: number;
  /** Gives up on a handshake after this long, ms. Default 10_000. */
  connectTimeoutMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** A connection open this long (or that delivered data) resets the backoff, ms. Default 30_000. */
  stableAfterMs?: number;
  /** The `source` label of the metrics. Default `rtds`. */
  metricsSource?: string;
  /** At most one bad-message log line per this interval (the rest are counted), ms. Default 60_000. */
  badLogIntervalMs?: number;
}

interface Connection {
  ws: WebSocket;
  opened: boolean;
  gotData: boolean;
  openedAtMono: number;
  closed: Promise<void>;
  cancels: (() => void)[];
}

const defaultLogger = (): Logger => createLogger({ level: 'silent', format: 'json' });

/** The subscribe/unsubscribe request, in the shape the reference client sends. */
export function subscriptionRequest(
  action: 'subscribe' | 'unsubscribe',
  subscriptions: readonly RtdsSubscription[],
): string {
  return JSON.stringify({
    action,
    subscriptions: subscriptions.map((s) => ({
      topic: s.topic,
      type: s.type,
      ...(s.filters !== undefined ? { filters: s.filters } : {}),
    })),
  });
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

export class RtdsClient {
  readonly #url: string;
  readonly #subscriptions: readonly RtdsSubscription[];
  readonly #onMessage: RtdsClientOptions['onMessage'];
  readonly #onGap: ((gap: RtdsGap) => void) | undefined;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #random: () => number;
  readonly #pingIntervalMs: number;
  readonly #silenceMs: number;
  readonly #deadAfterMs: number;
  readonly #connectTimeoutMs: number;
  readonly #backoff: BackoffOptions;
  readonly #stableAfterMs: number;
  readonly #source: string;
  readonly #badLogIntervalMs: number;

  #running = false;
  #conn: Connection | null = null;
  #cancelReconnect: (() => void) | null = null;
  #attempt = 0;
  #hadConnection = false;

  #lastDataMs: number | null = null;
  #lastFrameMs: number | null = null;
  #lastFrameMono = 0;
  /** The watchdog's reference: the last data message, subscription or silence action. */
  #progressMono = 0;
  #connectedSinceMs: number | null = null;
  #silentStrikes = 0;
  /** Silence was reported and no data has come since. */
  #suspect = false;
  #coveredUntil: number | null = null;

  #messages = 0;
  #reconnects = 0;
  #gaps = 0;
  #bad = 0;
  #badLoggedAtMono: number | null = null;
  #badSuppressed = 0;

  constructor(options: RtdsClientOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
      throw new TypeError(`RTDS url must be ws: or wss:, got ${options.url}`);
    }
    if (options.subscriptions.length === 0)
      throw new TypeError('RTDS client needs at least one subscription');
    this.#url = options.url;
    this.#subscriptions = options.subscriptions;
    this.#onMessage = options.onMessage;
    this.#onGap = options.onGap;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger ?? defaultLogger();
    this.#random = options.random ?? Math.random;
    this.#pingIntervalMs = positive(options.pingIntervalMs ?? 5_000, 'pingIntervalMs');
    this.#silenceMs = positive(options.silenceMs ?? 30_000, 'silenceMs');
    this.#deadAfterMs = positive(options.deadAfterMs ?? 20_000, 'deadAfterMs');
    this.#connectTimeoutMs = positive(options.connectTimeoutMs ?? 10_000, 'connectTimeoutMs');
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.#stableAfterMs = options.stableAfterMs ?? 30_000;
    this.#source = options.metricsSource ?? 'rtds';
    this.#badLogIntervalMs = options.badLogIntervalMs ?? 60_000;
  }

  /**
   * Connects (and keeps reconnecting until `stop`). Calling it again while running does nothing.
   * Started again after a stop, it reports the stopped time as a `reconnect` gap.
   */
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
   * Sends unsubscribe then subscribe on the open socket. Unsubscribing first means a server that
   * stacks subscriptions cannot start delivering every message twice.
   */
  resubscribe(): void {
    const conn = this.#conn;
    if (conn === null || !conn.opened) return;
    this.#send(conn, subscriptionRequest('unsubscribe', this.#subscriptions));
    this.#send(conn, subscriptionRequest('subscribe', this.#subscriptions));
  }

  health(): RtdsHealth {
    const conn = this.#conn;
    let state: RtdsHealthState = 'closed';
    if (conn?.opened === true && conn.ws.readyState === WebSocket.OPEN) {
      const mono = this.#mono();
      const silent = mono - this.#progressMono >= this.#silenceMs;
      const dead = mono - this.#lastFrameMono >= this.#deadAfterMs;
      state = this.#suspect || silent || dead ? 'stale' : 'open';
    }
    return {
      state,
      lastMessageAtMs: this.#lastDataMs,
      lastFrameAtMs: this.#lastFrameMs,
      connectedSinceMs: state === 'closed' ? null : this.#connectedSinceMs,
      messages: this.#messages,
      reconnects: this.#reconnects,
      gaps: this.#gaps,
      badMessages: this.#bad,
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
      this.#log.error({ err, source: this.#source }, 'rtds: cannot open a websocket');
      this.#scheduleReconnect();
      return;
    }
    const conn: Connection = {
      ws,
      opened: false,
      gotData: false,
      openedAtMono: 0,
      closed: new Promise<void>((resolve) => ws.once('close', () => resolve())),
      cancels: [],
    };
    this.#conn = conn;
    conn.cancels.push(
      this.#clock.setTimer(this.#connectTimeoutMs, () => {
        if (!conn.opened) {
          this.#log.warn({ source: this.#source, url: this.#url }, 'rtds: handshake timed out');
          ws.terminate();
        }
      }),
    );
    ws.on('open', () => this.#onOpen(conn));
    ws.on('message', (data, isBinary) => this.#onFrame(conn, data, isBinary));
    ws.on('ping', () => this.#markFrame(conn));
    ws.on('pong', () => this.#markFrame(conn));
    ws.on('error', (err) => {
      this.#log.warn({ source: this.#source, err: err.message }, 'rtds: socket error');
    });
    ws.on('close', (code, reason) => this.#onClose(conn, code, reason.toString('utf8')));
  }

  #onOpen(conn: Connection): void {
    if (conn !== this.#conn) return;
    const now = this.#clock.now();
    conn.opened = true;
    conn.openedAtMono = this.#mono();
    this.#connectedSinceMs = now;
    this.#lastFrameMono = conn.openedAtMono;
    this.#progressMono = conn.openedAtMono;
    this.#silentStrikes = 0;
    this.#send(conn, subscriptionRequest('subscribe', this.#subscriptions));
    this.#log.info({ source: this.#source, url: this.#url }, 'rtds: connected and subscribed');
    if (this.#hadConnection) {
      // Everything between the last covered moment and this subscription may be lost.
      this.#emitGap('reconnect', now);
      this.#suspect = false;
    } else {
      this.#coveredUntil = now;
    }
    this.#hadConnection = true;
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
    if (isBinary) {
      this.#badFrame('binary frame', `<${textOf(data).length} bytes>`);
      return;
    }
    const text = textOf(data);
    const frame = classifyRtdsFrame(text);
    switch (frame.kind) {
      case 'keepalive':
        return;
      case 'bad':
        this.#badFrame(frame.reason, text);
        return;
      default:
        this.#onData(conn, frame);
    }
  }

  #onData(conn: Connection, frame: RtdsDataFrame): void {
    const now = this.#clock.now();
    conn.gotData = true;
    this.#messages++;
    this.#lastDataMs = now;
    this.#progressMono = this.#mono();
    this.#silentStrikes = 0;
    if (this.#suspect) {
      // The lapse may have ended before this first message: report up to now.
      this.#emitGap('resumed', now);
      this.#suspect = false;
    }
    this.#coveredUntil = now;
    try {
      this.#onMessage(frame, now);
    } catch (err) {
      this.#log.error({ err, source: this.#source }, 'rtds: message handler threw');
    }
  }

  #badFrame(reason: string, text: string): void {
    this.#bad++;
    badMessagesTotal.inc({ source: this.#source });
    const mono = this.#mono();
    if (this.#badLoggedAtMono !== null && mono - this.#badLoggedAtMono < this.#badLogIntervalMs) {
      this.#badSuppressed++;
      return;
    }
    this.#log.warn(
      { source: this.#source, reason, sample: sampleOf(text), suppressedSinceLast: this.#badSuppressed },
      'rtds: bad message skipped',
    );
    this.#badLoggedAtMono = mono;
    this.#badSuppressed = 0;
  }

  #armPing(conn: Connection): void {
    conn.cancels.push(
      this.#clock.setTimer(this.#pingIntervalMs, () => {
        if (conn !== this.#conn || conn.ws.readyState !== WebSocket.OPEN) return;
        if (this.#mono() - this.#lastFrameMono >= this.#deadAfterMs) {
          this.#log.warn(
            { source: this.#source },
            'rtds: no frame (not even a pong) for too long; reconnecting',
          );
          conn.ws.terminate();
          return;
        }
        this.#send(conn, 'ping');
        this.#armPing(conn);
      }),
    );
  }

  #armWatchdog(conn: Connection): void {
    const due = this.#progressMono + this.#silenceMs - this.#mono();
    // Re-armed from the last progress rather than reset per message: a firehose costs no timers.
    conn.cancels.push(this.#clock.setTimer(Math.max(0, due), () => this.#checkSilence(conn)));
  }

  #checkSilence(conn: Connection): void {
    if (conn !== this.#conn || !conn.opened || conn.ws.readyState !== WebSocket.OPEN) return;
    const mono = this.#mono();
    if (mono - this.#progressMono < this.#silenceMs) {
      this.#armWatchdog(conn);
      return;
    }
    this.#silentStrikes++;
    this.#suspect = true;
    this.#progressMono = mono;
    this.#emitGap('silence', this.#clock.now());
    if (this.#silentStrikes >= 2) {
      this.#log.warn({ source: this.#source }, 'rtds: still silent after resubscribing; reconnecting');
      conn.ws.terminate();
      return;
    }
    this.#log.warn({ source: this.#source, silenceMs: this.#silenceMs }, 'rtds: silent; resubscribing');
    this.resubscribe();
    this.#armWatchdog(conn);
  }

  #emitGap(reason: RtdsGapReason, now: number): void {
    const from = this.#coveredUntil;
    if (from === null) return;
    const gap: RtdsGap = { fromMs: from, toMs: Math.max(from, now), reason };
    this.#coveredUntil = gap.toMs;
    this.#gaps++;
    this.#log.info({ source: this.#source, ...gap }, 'rtds: gap in the stream');
    try {
      this.#onGap?.(gap);
    } catch (err) {
      this.#log.error({ err, source: this.#source }, 'rtds: gap handler threw');
    }
  }

  #onClose(conn: Connection, code: number, reason: string): void {
    for (const cancel of conn.cancels.splice(0)) cancel();
    if (conn !== this.#conn) return;
    this.#conn = null;
    this.#connectedSinceMs = null;
    if (!this.#running) return;
    if (conn.opened) {
      // Messages sent while we were away are lost; the next subscription reports the gap.
      this.#suspect = true;
      if (conn.gotData || this.#mono() - conn.openedAtMono >= this.#stableAfterMs) this.#attempt = 0;
    }
    this.#log.warn({ source: this.#source, code, reason }, 'rtds: socket closed');
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (!this.#running) return;
    const delay = backoffDelayMs(this.#attempt, this.#backoff, this.#random);
    this.#attempt++;
    this.#log.info({ source: this.#source, delayMs: delay, attempt: this.#attempt }, 'rtds: reconnecting');
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
      if (err) this.#log.debug({ source: this.#source, err: err.message }, 'rtds: send failed');
    });
  }
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}
