/**
 * One `ws` websocket kept open for a streaming channel; the owner keeps only its protocol (what to
 * send on open, how to read a frame, what counts as data).
 *
 * - Connects, calls `onOpen(send)` so the owner subscribes or authenticates, and sends `pingText`
 *   every `pingIntervalMs`; protocol pings are answered by `ws` itself.
 * - A socket that receives no frame at all (not even the answer to a ping) for `deadAfterMs` is dead
 *   though it looks open: it is cut and reconnected.
 * - Reconnects with capped exponential backoff and jitter (core/backoff.ts), counted in
 *   `reconnects_total{source}`; a connection that delivered data or stayed up `stableAfterMs`
 *   starts the backoff over.
 * - Silence watchdog: a subscription can lapse while the socket stays ping-alive. When the owner
 *   reports no data (`markData`) for `silenceMs` while it expects data, the socket reports a gap and
 *   calls `onSilence(send)` (resubscribe); if the next `silenceMs` is silent too, it reconnects.
 * - Bad messages (binary frames here, unreadable text as the owner reports them with `badMessage`)
 *   are counted, logged with a sample (throttled) and skipped (bad-messages.ts).
 *
 * Gaps (gap-ledger.ts): reported to `onGap` as `reconnect` once a new subscription takes effect
 * after one was lost (or after a stop and start), `silence` for each silent period, `resumed` when
 * data flows again after a silence or a lost connection, and, with `badGapDelayMs`, `bad_message`
 * once a burst of bad messages settles, covering [the coverage before it, the end of the burst].
 * Without `onGap` no one accounts for gaps, so a silence is forgotten once data is no longer
 * expected. A subscription takes effect on open, or with `confirmByAnswer` at the first frame the
 * server sends after it (a server that refuses it drops the socket instead).
 */
import { type RawData, WebSocket } from 'ws';
import { backoffDelayMs } from '../../core/backoff.ts';
import { type Clock, systemClock } from '../../core/clock.ts';
import { createLogger, type Logger } from '../../core/logger.ts';
import { reconnectsTotal } from '../../core/metrics.ts';
import { BadMessageLog } from './bad-messages.ts';
import { GapLedger, type SocketGap, type SocketGapReason } from './gap-ledger.ts';
import { type ResolvedTimings, resolveTimings, type SocketTimings } from './timings.ts';

/** Sends a text frame on the open socket; false when there is none. */
export type SendText = (text: string) => boolean;

/**
 * `open`: subscribed and not suspect. `stale`: connected, but silent while data was expected,
 * suspect since a silence, or with no frame at all for `deadAfterMs`. `closed`: not (yet) subscribed.
 */
export type SocketState = 'open' | 'stale' | 'closed';

export interface SocketHealth {
  state: SocketState;
  /** When the current connection opened; null when not connected. */
  connectedSinceMs: number | null;
  /** When the last data message arrived (epoch ms), null before the first. */
  lastMessageAtMs: number | null;
  /** When the last frame of any kind arrived, keepalives included. */
  lastFrameAtMs: number | null;
  /** Every message up to this time was received or reported in a gap; null before the first subscription. */
  coveredUntilMs: number | null;
  messages: number;
  badMessages: number;
  reconnects: number;
  gaps: number;
}

export interface ReconnectingSocketOptions {
  /** `ws:` or `wss:`. */
  url: string;
  /** Prefixes every log line (`<name>: reconnecting`). */
  name: string;
  /** The `source` label of `reconnects_total` and `bad_messages_total`, and of the log lines. */
  source: string;
  /** The keepalive text sent every `pingIntervalMs`. */
  pingText: string;
  timings?: SocketTimings;
  clock?: Clock;
  logger?: Logger;
  /** In [0, 1); the backoff jitter. Default Math.random. */
  random?: () => number;
  /** Whether silence is suspect now (default always). */
  expectsData?: () => boolean;
  /** The subscription takes effect at the first frame after open rather than at open. */
  confirmByAnswer?: boolean;
  /** Added to the log line of a socket closed before the subscription was answered. */
  unansweredHint?: string;
  /** With it, a burst of bad messages is reported as one `bad_message` gap this long after its first, ms. */
  badGapDelayMs?: number;
  /** A connection opened: subscribe or authenticate now. A throw is logged. */
  onOpen: (send: SendText) => void;
  /** Each text frame, after the socket noted it as a sign of life. */
  onText: (text: string, receivedAtMs: number) => void;
  /** A silent period while data was expected: resubscribe. */
  onSilence?: (send: SendText) => void;
  onGap?: (reason: SocketGapReason, fromMs: number, toMs: number) => void;
  /** A subscribed connection closed (a reconnect follows unless stopped). */
  onClose?: () => void;
  /** A binary frame arrived (already counted as a bad message). */
  onBinary?: () => void;
}

type TimerName = 'handshake' | 'ping' | 'watchdog';

interface Connection {
  ws: WebSocket;
  opened: boolean;
  /** The subscription took effect. */
  confirmed: boolean;
  gotData: boolean;
  openedAtMono: number;
  closed: Promise<void>;
  timers: Map<TimerName, () => void>;
}

const silentLogger = (): Logger => createLogger({ level: 'silent', format: 'json' });

export class ReconnectingSocket {
  readonly #o: ReconnectingSocketOptions;
  readonly #t: ResolvedTimings;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #random: () => number;
  readonly #expectsData: () => boolean;
  readonly #ledger: GapLedger;
  readonly #bad: BadMessageLog;
  readonly #send: SendText = (text) => this.send(text);

  #running = false;
  #conn: Connection | null = null;
  #cancelReconnect: (() => void) | null = null;
  #cancelBadBurst: (() => void) | null = null;
  #attempt = 0;
  #lastFrameMono = 0;
  /** The watchdog's reference: the last data message, subscription or silence action. */
  #progressMono = 0;
  #silentStrikes = 0;
  #connectedSinceMs: number | null = null;
  #lastMessageMs: number | null = null;
  #lastFrameMs: number | null = null;
  #messages = 0;
  #reconnects = 0;

  constructor(options: ReconnectingSocketOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
      throw new TypeError(`${options.name} url must be ws: or wss:, got ${options.url}`);
    }
    this.#o = options;
    this.#t = resolveTimings(options.timings ?? {});
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger ?? silentLogger();
    this.#random = options.random ?? Math.random;
    this.#expectsData = options.expectsData ?? (() => true);
    this.#ledger = new GapLedger((gap) => this.#onGap(gap));
    this.#bad = new BadMessageLog({
      logger: this.#log,
      name: options.name,
      source: options.source,
      intervalMs: this.#t.badLogIntervalMs,
      monoMs: () => this.#mono(),
    });
  }

  /** Connects, and keeps reconnecting until `stop`. Calling it again while running does nothing. */
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
    this.#cancelBadBurst?.();
    this.#cancelBadBurst = null;
    const conn = this.#conn;
    if (conn === null) return;
    this.#disarm(conn);
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

  get isOpen(): boolean {
    const conn = this.#conn;
    return conn?.opened === true && conn.ws.readyState === WebSocket.OPEN;
  }

  /** Sends on the open socket; false when there is none. A failed send is logged without the text. */
  send(text: string): boolean {
    const conn = this.#conn;
    if (conn === null || !this.isOpen) return false;
    conn.ws.send(text, (err) => {
      if (err) this.#log.debug({ source: this.#o.source, err: err.message }, `${this.#o.name}: send failed`);
    });
    return true;
  }

  /** Cuts the socket (a reconnect follows), e.g. when its stream can no longer be trusted. */
  reconnect(): void {
    this.#conn?.ws.terminate();
  }

  /** The owner read `count` data messages received at `receivedAtMs`: the subscription is alive. */
  markData(receivedAtMs: number, count = 1): void {
    if (this.#conn !== null) this.#conn.gotData = true;
    this.#messages += count;
    this.#lastMessageMs = receivedAtMs;
    this.#progressMono = this.#mono();
    this.#silentStrikes = 0;
    this.#ledger.data(receivedAtMs);
  }

  /** Nothing was missed up to `receivedAtMs` (a keepalive on a channel that sends what is pending first). */
  markCovered(receivedAtMs: number): void {
    this.#ledger.covered(receivedAtMs);
  }

  /** Counts and logs a bad message; `sample` is logged as given (shortened, secrets out). */
  badMessage(reason: string, sample: string): void {
    this.#bad.record(reason, sample);
    const delay = this.#o.badGapDelayMs;
    if (delay === undefined || this.#cancelBadBurst !== null) return;
    // One gap per burst: the owner reconciles once, not once per broken frame.
    const fromMs = this.#ledger.coveredUntilMs ?? this.#clock.now();
    this.#cancelBadBurst = this.#clock.setTimer(delay, () => {
      this.#cancelBadBurst = null;
      this.#ledger.report('bad_message', fromMs, this.#clock.now());
    });
  }

  /** Runs an owner's handler: a throw is logged (`<name>: <what> threw`) and the socket carries on. */
  guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#log.error({ err, source: this.#o.source }, `${this.#o.name}: ${what} threw`);
    }
  }

  health(): SocketHealth {
    const conn = this.#conn;
    let state: SocketState = 'closed';
    if (conn?.confirmed === true && conn.ws.readyState === WebSocket.OPEN) {
      const mono = this.#mono();
      const silent = this.#expectsData() && mono - this.#progressMono >= this.#t.silenceMs;
      const dead = mono - this.#lastFrameMono >= this.#t.deadAfterMs;
      state = this.#ledger.suspect || silent || dead ? 'stale' : 'open';
    }
    return {
      state,
      connectedSinceMs: state === 'closed' ? null : this.#connectedSinceMs,
      lastMessageAtMs: this.#lastMessageMs,
      lastFrameAtMs: this.#lastFrameMs,
      coveredUntilMs: this.#ledger.coveredUntilMs,
      messages: this.#messages,
      badMessages: this.#bad.count,
      reconnects: this.#reconnects,
      gaps: this.#ledger.count,
    };
  }

  #mono(): number {
    return Number(this.#clock.monotonicNs() / 1_000_000n);
  }

  #connect(): void {
    const { name, source, url } = this.#o;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, { perMessageDeflate: false });
    } catch (err) {
      this.#log.error({ err, source }, `${name}: cannot open a websocket`);
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
      timers: new Map(),
    };
    this.#conn = conn;
    this.#arm(conn, 'handshake', this.#t.connectTimeoutMs, () => {
      if (conn.opened) return;
      this.#log.warn({ source, url }, `${name}: handshake timed out`);
      ws.terminate();
    });
    ws.on('open', () => this.#onOpen(conn));
    ws.on('message', (data, isBinary) => this.#onFrame(conn, data, isBinary));
    ws.on('ping', () => this.#markFrame(conn));
    ws.on('pong', () => this.#markFrame(conn));
    // `ws` errors name the socket problem, never the frames we sent.
    ws.on('error', (err) => this.#log.warn({ source, err: err.message }, `${name}: socket error`));
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
    this.#log.info({ source: this.#o.source, url: this.#o.url }, `${this.#o.name}: connected`);
    this.guard('open handler', () => this.#o.onOpen(this.#send));
    if (this.#o.confirmByAnswer !== true) this.#confirm(conn, now);
    this.#armPing(conn);
    this.#armWatchdog(conn);
  }

  #confirm(conn: Connection, now: number): void {
    conn.confirmed = true;
    this.#ledger.subscribed(now);
    if (this.#o.confirmByAnswer === true) {
      this.#log.info({ source: this.#o.source }, `${this.#o.name}: subscribed`);
    }
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
    const text = textOf(data);
    if (isBinary) {
      this.badMessage('binary frame', `<${text.length} bytes>`);
      this.guard('binary handler', () => this.#o.onBinary?.());
      return;
    }
    this.guard('frame handler', () => this.#o.onText(text, now));
  }

  #armPing(conn: Connection): void {
    this.#arm(conn, 'ping', this.#t.pingIntervalMs, () => {
      if (conn !== this.#conn || conn.ws.readyState !== WebSocket.OPEN) return;
      if (this.#mono() - this.#lastFrameMono >= this.#t.deadAfterMs) {
        this.#log.warn(
          { source: this.#o.source },
          `${this.#o.name}: no frame (not even a PONG); reconnecting`,
        );
        conn.ws.terminate();
        return;
      }
      this.send(this.#o.pingText);
      this.#armPing(conn);
    });
  }

  #armWatchdog(conn: Connection): void {
    // Re-armed from the last progress rather than reset per message: a busy stream costs no timers.
    const due = this.#progressMono + this.#t.silenceMs - this.#mono();
    this.#arm(conn, 'watchdog', Math.max(0, due), () => this.#checkSilence(conn));
  }

  #checkSilence(conn: Connection): void {
    if (conn !== this.#conn || !this.isOpen) return;
    const { name, source } = this.#o;
    const mono = this.#mono();
    if (!conn.confirmed || !this.#expectsData()) {
      this.#progressMono = mono;
      this.#silentStrikes = 0;
      if (this.#o.onGap === undefined) this.#ledger.trust();
    }
    if (mono - this.#progressMono < this.#t.silenceMs) {
      this.#armWatchdog(conn);
      return;
    }
    this.#silentStrikes++;
    this.#progressMono = mono;
    this.#ledger.silent(this.#clock.now());
    if (this.#silentStrikes >= 2) {
      this.#log.warn({ source }, `${name}: still silent after resubscribing; reconnecting`);
      conn.ws.terminate();
      return;
    }
    this.#log.warn({ source, silenceMs: this.#t.silenceMs }, `${name}: silent; resubscribing`);
    this.guard('silence handler', () => this.#o.onSilence?.(this.#send));
    this.#armWatchdog(conn);
  }

  #onGap(gap: SocketGap): void {
    const onGap = this.#o.onGap;
    if (onGap === undefined) return;
    this.#log.info({ source: this.#o.source, ...gap }, `${this.#o.name}: gap in the stream`);
    this.guard('gap handler', () => onGap(gap.reason, gap.fromMs, gap.toMs));
  }

  #onClose(conn: Connection, code: number, reason: string): void {
    this.#disarm(conn);
    if (conn !== this.#conn) return;
    this.#conn = null;
    this.#connectedSinceMs = null;
    if (conn.confirmed) {
      // Messages sent while we are away are lost; the next subscription reports the gap.
      this.#ledger.lost();
      if (conn.gotData || this.#mono() - conn.openedAtMono >= this.#t.stableAfterMs) this.#attempt = 0;
      this.guard('close handler', () => this.#o.onClose?.());
    }
    if (!this.#running) return;
    const { name, source, unansweredHint } = this.#o;
    if (conn.opened && !conn.confirmed) {
      // A server drops the socket on a subscription it refuses, before answering anything.
      const hint = unansweredHint === undefined ? '' : ` (${unansweredHint})`;
      this.#log.warn({ source, code, reason }, `${name}: closed before the subscription was answered${hint}`);
    } else {
      this.#log.warn({ source, code, reason }, `${name}: socket closed`);
    }
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (!this.#running) return;
    const { name, source } = this.#o;
    const delay = backoffDelayMs(this.#attempt, this.#t.backoff, this.#random);
    this.#attempt++;
    this.#log.info({ source, delayMs: delay, attempt: this.#attempt }, `${name}: reconnecting`);
    this.#cancelReconnect = this.#clock.setTimer(delay, () => {
      this.#cancelReconnect = null;
      if (!this.#running) return;
      this.#reconnects++;
      reconnectsTotal.inc({ source });
      this.#connect();
    });
  }

  /** Sets one of the connection's timers, cancelling its previous one (fired or not). */
  #arm(conn: Connection, timer: TimerName, ms: number, callback: () => void): void {
    conn.timers.get(timer)?.();
    conn.timers.set(timer, this.#clock.setTimer(ms, callback));
  }

  #disarm(conn: Connection): void {
    for (const cancel of conn.timers.values()) cancel();
    conn.timers.clear();
  }
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
