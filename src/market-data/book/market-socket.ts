/**
 * The CLOB market channel's connection (api-reference.md §5.1), built the way the RTDS client
 * (src/polymarket/rtds/client.ts) is: one `ws` socket at a time, reconnected with capped
 * exponential backoff and jitter (`reconnects_total{source}`), a text `PING` every 10 s (the
 * server answers `PONG`), a socket with no frame at all for `deadAfterMs` cut as dead, and every
 * frame validated (frames.ts) with bad messages counted in `bad_messages_total{source}` and
 * logged with a sample, throttled.
 *
 * Silence watchdog: a subscription can lapse while the socket stays ping-alive. When no data
 * message arrives for `silenceMs` while the owner expects data, `onSilence` is called (the book
 * feed re-subscribes, which makes the server send fresh snapshots); if the next `silenceMs` is
 * silent too, the socket is cut and reconnected.
 */
import { type RawData, WebSocket } from 'ws';
import { type BackoffOptions, backoffDelayMs, DEFAULT_BACKOFF } from '../../core/backoff.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import { badMessagesTotal, reconnectsTotal } from '../../core/metrics.ts';
import type { WsMarketMessage } from '../../polymarket/clob/index.ts';
import { parseMarketFrame } from './frames.ts';

export interface MarketSocketTimings {
  /** Text `PING` interval, ms. Default 10_000 (what the server expects). */
  pingIntervalMs?: number;
  /** No data message for this long (while data is expected) is a silent lapse, ms. Default 30_000. */
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
}

export interface MarketSocketOptions extends MarketSocketTimings {
  url: string;
  clock: Clock;
  logger: Logger;
  random: () => number;
  /** The `source` label of the metrics. */
  source: string;
  /** A connection opened: subscribe now. */
  onOpen: () => void;
  /** The valid messages of one frame, in order. */
  onMessages: (messages: WsMarketMessage[], receivedAtMs: number) => void;
  /** A bad message named these token ids (possibly none): their books may have missed a change. */
  onBad: (assetIds: string[]) => void;
  /** The connection closed (a reconnect follows unless stopped). */
  onClose: () => void;
  /** No data for `silenceMs` on an open socket. */
  onSilence: () => void;
  /** Whether data is expected now (false with nothing subscribed: silence is then normal). */
  expectsData: () => boolean;
}

export interface MarketSocketHealth {
  state: 'open' | 'stale' | 'closed';
  connectedSinceMs: number | null;
  lastMessageAtMs: number | null;
  lastFrameAtMs: number | null;
  messages: number;
  ignoredMessages: number;
  badMessages: number;
  reconnects: number;
}

interface Connection {
  ws: WebSocket;
  opened: boolean;
  gotData: boolean;
  openedAtMono: number;
  closed: Promise<void>;
  cancels: (() => void)[];
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

export class MarketSocket {
  readonly #o: MarketSocketOptions;
  readonly #pingIntervalMs: number;
  readonly #silenceMs: number;
  readonly #deadAfterMs: number;
  readonly #connectTimeoutMs: number;
  readonly #backoff: BackoffOptions;
  readonly #stableAfterMs: number;
  readonly #badLogIntervalMs: number;

  #running = false;
  #conn: Connection | null = null;
  #cancelReconnect: (() => void) | null = null;
  #attempt = 0;
  #lastFrameMono = 0;
  #progressMono = 0;
  #silentStrikes = 0;
  #connectedSinceMs: number | null = null;
  #lastMessageMs: number | null = null;
  #lastFrameMs: number | null = null;
  #messages = 0;
  #ignored = 0;
  #bad = 0;
  #reconnects = 0;
  #badLoggedAtMono: number | null = null;
  #badSuppressed = 0;

  constructor(options: MarketSocketOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
      throw new TypeError(`market channel url must be ws: or wss:, got ${options.url}`);
    }
    this.#o = options;
    this.#pingIntervalMs = positive(options.pingIntervalMs ?? 10_000, 'pingIntervalMs');
    this.#silenceMs = positive(options.silenceMs ?? 30_000, 'silenceMs');
    this.#deadAfterMs = positive(options.deadAfterMs ?? 25_000, 'deadAfterMs');
    this.#connectTimeoutMs = positive(options.connectTimeoutMs ?? 10_000, 'connectTimeoutMs');
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.#stableAfterMs = options.stableAfterMs ?? 30_000;
    this.#badLogIntervalMs = options.badLogIntervalMs ?? 60_000;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#connect();
  }

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
      const cancel = this.#o.clock.setTimer(1_000, () => conn.ws.terminate());
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

  /** Sends on the open socket; false when there is none. */
  send(text: string): boolean {
    const conn = this.#conn;
    if (conn === null || !this.isOpen) return false;
    conn.ws.send(text, (err) => {
      if (err) this.#o.logger.debug({ source: this.#o.source, err: err.message }, 'clob ws: send failed');
    });
    return true;
  }

  /** Cuts the socket (a reconnect follows), e.g. when its stream can no longer be trusted. */
  reconnect(): void {
    this.#conn?.ws.terminate();
  }

  health(): MarketSocketHealth {
    let state: MarketSocketHealth['state'] = 'closed';
    if (this.isOpen) {
      const mono = this.#mono();
      const silent = this.#o.expectsData() && mono - this.#progressMono >= this.#silenceMs;
      const dead = mono - this.#lastFrameMono >= this.#deadAfterMs;
      state = this.#silentStrikes > 0 || silent || dead ? 'stale' : 'open';
    }
    return {
      state,
      connectedSinceMs: state === 'closed' ? null : this.#connectedSinceMs,
      lastMessageAtMs: this.#lastMessageMs,
      lastFrameAtMs: this.#lastFrameMs,
      messages: this.#messages,
      ignoredMessages: this.#ignored,
      badMessages: this.#bad,
      reconnects: this.#reconnects,
    };
  }

  #mono(): number {
    return Number(this.#o.clock.monotonicNs() / 1_000_000n);
  }

  #connect(): void {
    const { logger: log, source } = this.#o;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.#o.url, { perMessageDeflate: false });
    } catch (err) {
      log.error({ err, source }, 'clob ws: cannot open a websocket');
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
      this.#o.clock.setTimer(this.#connectTimeoutMs, () => {
        if (conn.opened) return;
        log.warn({ source, url: this.#o.url }, 'clob ws: handshake timed out');
        ws.terminate();
      }),
    );
    ws.on('open', () => this.#onOpen(conn));
    ws.on('message', (data, isBinary) => this.#onFrame(conn, data, isBinary));
    ws.on('ping', () => this.#markFrame(conn));
    ws.on('pong', () => this.#markFrame(conn));
    ws.on('error', (err) => log.warn({ source, err: err.message }, 'clob ws: socket error'));
    ws.on('close', (code, reason) => this.#onClose(conn, code, reason.toString('utf8')));
  }

  #onOpen(conn: Connection): void {
    if (conn !== this.#conn) return;
    conn.opened = true;
    conn.openedAtMono = this.#mono();
    this.#connectedSinceMs = this.#o.clock.now();
    this.#lastFrameMono = conn.openedAtMono;
    this.#progressMono = conn.openedAtMono;
    this.#silentStrikes = 0;
    this.#o.logger.info({ source: this.#o.source, url: this.#o.url }, 'clob ws: connected');
    this.#armPing(conn);
    this.#armWatchdog(conn);
    this.#safely('open handler', () => this.#o.onOpen());
  }

  #markFrame(conn: Connection): void {
    if (conn !== this.#conn) return;
    this.#lastFrameMono = this.#mono();
    this.#lastFrameMs = this.#o.clock.now();
  }

  #onFrame(conn: Connection, data: RawData, isBinary: boolean): void {
    if (conn !== this.#conn) return;
    this.#markFrame(conn);
    const text = textOf(data);
    if (isBinary) {
      this.#badMessage('binary frame', `<${text.length} bytes>`, []);
      return;
    }
    const frame = parseMarketFrame(text);
    if (frame.kind === 'keepalive') return;
    const messages: WsMarketMessage[] = [];
    for (const item of frame.items) {
      if (item.kind === 'message') messages.push(item.message);
      else if (item.kind === 'ignored') this.#ignored++;
      else this.#badMessage(item.reason, item.sample, item.assetIds);
    }
    if (messages.length === 0 && frame.items.every((i) => i.kind === 'bad')) return;
    // Any well-formed message, even an ignored kind, shows the subscription is alive.
    const now = this.#o.clock.now();
    conn.gotData = true;
    this.#messages += messages.length;
    this.#lastMessageMs = now;
    this.#progressMono = this.#mono();
    this.#silentStrikes = 0;
    if (messages.length > 0) this.#safely('message handler', () => this.#o.onMessages(messages, now));
  }

  #badMessage(reason: string, sample: string, assetIds: string[]): void {
    this.#bad++;
    badMessagesTotal.inc({ source: this.#o.source });
    this.#safely('bad-message handler', () => this.#o.onBad(assetIds));
    const mono = this.#mono();
    if (this.#badLoggedAtMono !== null && mono - this.#badLoggedAtMono < this.#badLogIntervalMs) {
      this.#badSuppressed++;
      return;
    }
    this.#o.logger.warn(
      { source: this.#o.source, reason, sample, suppressedSinceLast: this.#badSuppressed },
      'clob ws: bad message skipped',
    );
    this.#badLoggedAtMono = mono;
    this.#badSuppressed = 0;
  }

  #armPing(conn: Connection): void {
    conn.cancels.push(
      this.#o.clock.setTimer(this.#pingIntervalMs, () => {
        if (conn !== this.#conn || conn.ws.readyState !== WebSocket.OPEN) return;
        if (this.#mono() - this.#lastFrameMono >= this.#deadAfterMs) {
          this.#o.logger.warn(
            { source: this.#o.source },
            'clob ws: no frame (not even a PONG); reconnecting',
          );
          conn.ws.terminate();
          return;
        }
        this.send('PING');
        this.#armPing(conn);
      }),
    );
  }

  #armWatchdog(conn: Connection): void {
    // Re-armed from the last progress rather than reset per message: a busy stream costs no timers.
    const due = this.#progressMono + this.#silenceMs - this.#mono();
    conn.cancels.push(this.#o.clock.setTimer(Math.max(0, due), () => this.#checkSilence(conn)));
  }

  #checkSilence(conn: Connection): void {
    if (conn !== this.#conn || !conn.opened || conn.ws.readyState !== WebSocket.OPEN) return;
    const mono = this.#mono();
    if (!this.#o.expectsData()) {
      this.#progressMono = mono;
      this.#silentStrikes = 0;
    }
    if (mono - this.#progressMono < this.#silenceMs) {
      this.#armWatchdog(conn);
      return;
    }
    this.#silentStrikes++;
    this.#progressMono = mono;
    if (this.#silentStrikes >= 2) {
      this.#o.logger.warn(
        { source: this.#o.source },
        'clob ws: still silent after resubscribing; reconnecting',
      );
      conn.ws.terminate();
      return;
    }
    this.#o.logger.warn(
      { source: this.#o.source, silenceMs: this.#silenceMs },
      'clob ws: silent; resubscribing',
    );
    this.#safely('silence handler', () => this.#o.onSilence());
    this.#armWatchdog(conn);
  }

  #onClose(conn: Connection, code: number, reason: string): void {
    for (const cancel of conn.cancels.splice(0)) cancel();
    if (conn !== this.#conn) return;
    this.#conn = null;
    this.#connectedSinceMs = null;
    if (conn.opened) {
      if (conn.gotData || this.#mono() - conn.openedAtMono >= this.#stableAfterMs) this.#attempt = 0;
      this.#safely('close handler', () => this.#o.onClose());
    }
    if (!this.#running) return;
    this.#o.logger.warn({ source: this.#o.source, code, reason }, 'clob ws: socket closed');
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (!this.#running) return;
    const delay = backoffDelayMs(this.#attempt, this.#backoff, this.#o.random);
    this.#attempt++;
    this.#o.logger.info(
      { source: this.#o.source, delayMs: delay, attempt: this.#attempt },
      'clob ws: reconnecting',
    );
    this.#cancelReconnect = this.#o.clock.setTimer(delay, () => {
      this.#cancelReconnect = null;
      if (!this.#running) return;
      this.#reconnects++;
      reconnectsTotal.inc({ source: this.#o.source });
      this.#connect();
    });
  }

  #safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#o.logger.error({ err, source: this.#o.source }, `clob ws: ${what} threw`);
    }
  }
}
