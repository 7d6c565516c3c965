/**
 * A reusable client for the Real-Time Data Socket (api-reference.md §6): the RTDS protocol on the
 * shared reconnecting socket (../ws/), which pings, cuts dead sockets, reconnects with backoff and
 * jitter (`reconnects_total{source}`), watches for silence and keeps the gap account.
 *
 * - Subscribes on every (re)connection and sends the text `ping` every 5 s; `pong` and the
 *   server's empty frames are keepalives, not data.
 * - Validates every frame (frames.ts); a bad one is counted in `bad_messages_total{source}`,
 *   logged with a truncated sample (throttled, so a flood cannot flood the log) and skipped.
 * - Silence: when no data message arrives for `silenceMs` on an open socket, the client reports a
 *   gap and resubscribes; if the next `silenceMs` is silent too, it reconnects.
 *
 * Gaps. The client keeps `coveredUntil`: the time up to which every message was either received
 * or reported missing. Each `gap` event reports `[coveredUntil, now]` and moves it to `now`, so
 * consecutive gaps tile the lost time without holes or overlaps. A gap is reported when silence is
 * detected (and again each further silent period), when data flows again after a silence (the
 * lapse may have ended before the first message), and when a new connection has subscribed after
 * one was lost. Gap times are wall-clock ms at this client; a caller filling them from an API whose
 * trade times are seconds and lag delivery by about a second should widen them a little.
 */
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import {
  ReconnectingSocket,
  type SocketGapReason,
  type SocketHealth,
  type SocketState,
  type SocketTimings,
} from '../ws/index.ts';
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
export type RtdsHealthState = SocketState;

/** The shared socket's health; `messages` counts valid data messages, keepalives aside. */
export type RtdsHealth = Omit<SocketHealth, 'coveredUntilMs'>;

export interface RtdsClientOptions extends SocketTimings {
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
  /** No frame at all for this long means the socket is dead, ms. Default 20_000. */
  deadAfterMs?: number;
  /** The `source` label of the metrics. Default `rtds`. */
  metricsSource?: string;
}

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

export class RtdsClient {
  readonly #socket: ReconnectingSocket;
  readonly #subscriptions: readonly RtdsSubscription[];
  readonly #onMessage: RtdsClientOptions['onMessage'];
  readonly #onGap: ((gap: RtdsGap) => void) | undefined;

  constructor(options: RtdsClientOptions) {
    this.#socket = new ReconnectingSocket({
      url: options.url,
      name: 'rtds',
      source: options.metricsSource ?? 'rtds',
      pingText: 'ping',
      timings: {
        ...options,
        pingIntervalMs: options.pingIntervalMs ?? 5_000,
        deadAfterMs: options.deadAfterMs ?? 20_000,
      },
      clock: options.clock,
      logger: options.logger,
      random: options.random,
      onOpen: (send) => send(subscriptionRequest('subscribe', this.#subscriptions)),
      onText: (text, receivedAtMs) => this.#onText(text, receivedAtMs),
      onSilence: () => this.resubscribe(),
      onGap: (reason, fromMs, toMs) => this.#gap(reason, fromMs, toMs),
    });
    if (options.subscriptions.length === 0)
      throw new TypeError('RTDS client needs at least one subscription');
    this.#subscriptions = options.subscriptions;
    this.#onMessage = options.onMessage;
    this.#onGap = options.onGap;
  }

  /**
   * Connects (and keeps reconnecting until `stop`). Calling it again while running does nothing.
   * Started again after a stop, it reports the stopped time as a `reconnect` gap.
   */
  start(): void {
    this.#socket.start();
  }

  /** Closes the socket and cancels every timer; resolves once the socket has closed. */
  stop(): Promise<void> {
    return this.#socket.stop();
  }

  /**
   * Sends unsubscribe then subscribe on the open socket. Unsubscribing first means a server that
   * stacks subscriptions cannot start delivering every message twice.
   */
  resubscribe(): void {
    if (!this.#socket.isOpen) return;
    this.#socket.send(subscriptionRequest('unsubscribe', this.#subscriptions));
    this.#socket.send(subscriptionRequest('subscribe', this.#subscriptions));
  }

  health(): RtdsHealth {
    const { coveredUntilMs: _covered, ...health } = this.#socket.health();
    return health;
  }

  #onText(text: string, receivedAtMs: number): void {
    const frame = classifyRtdsFrame(text);
    if (frame.kind === 'keepalive') return;
    if (frame.kind === 'bad') {
      this.#socket.badMessage(frame.reason, sampleOf(text));
      return;
    }
    this.#socket.markData(receivedAtMs);
    this.#socket.guard('message handler', () => this.#onMessage(frame, receivedAtMs));
  }

  #gap(reason: SocketGapReason, fromMs: number, toMs: number): void {
    // No `badGapDelayMs`: a bad frame here is someone else's trade, not a gap in ours.
    if (reason === 'bad_message') return;
    this.#onGap?.({ fromMs, toMs, reason });
  }
}
