/**
 * The CLOB user channel (`/ws/user`, api-reference.md §5.2): our orders' `order` events
 * (placement, partial match, cancellation) and our trades' `trade` events (MATCHED -> MINED ->
 * CONFIRMED, or FAILED): the user-channel protocol on the shared reconnecting socket (../ws/),
 * which pings, cuts dead sockets, reconnects with backoff and jitter (`reconnects_total{source}`),
 * watches for silence and keeps the gap account.
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
 * connection reports no gap: the owner reconciles at start anyway. A `PONG` shows that nothing
 * was pending, so it moves the coverage on unless messages are already suspect.
 */
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import {
  ReconnectingSocket,
  type SocketGap,
  type SocketGapReason,
  type SocketHealth,
  type SocketState,
  type SocketTimings,
} from '../ws/index.ts';
import type { WsUserOrderMessage, WsUserTradeMessage } from './schemas/ws-user.ts';
import {
  type OurTradePart,
  ourTradePart,
  parseUserFrame,
  scrubCredentials,
  type UserChannelCredentials,
  userAddMarketsRequest,
  userSubscribeRequest,
} from './user-socket-frames.ts';

export type UserSocketGapReason = SocketGapReason;

/** A window (epoch ms, at this client) in which user-channel messages may have been missed. */
export type UserSocketGap = SocketGap;

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
export type UserSocketState = SocketState;

export type UserSocketHealth = SocketHealth;

/** Timings default to a `PING` every 10 s (what the server expects), dead after 25 s, silent after 30 s. */
export interface UserSocketOptions extends SocketTimings {
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
  /** A burst of bad messages is reported as one gap this long after its first, ms. Default 1_000. */
  badGapDelayMs?: number;
  /** The `source` label of the metrics. Default `clob_user_ws`. */
  metricsSource?: string;
}

export class UserSocket {
  readonly #socket: ReconnectingSocket;
  readonly #creds: UserChannelCredentials;
  readonly #markets: string[];
  readonly #o: UserSocketOptions;

  constructor(options: UserSocketOptions) {
    this.#socket = new ReconnectingSocket({
      url: options.url,
      name: 'clob user ws',
      source: options.metricsSource ?? 'clob_user_ws',
      pingText: 'PING',
      timings: options,
      clock: options.clock,
      logger: options.logger,
      random: options.random,
      expectsData: options.expectsData ?? (() => false),
      confirmByAnswer: true,
      unansweredHint: 'are the API credentials valid?',
      badGapDelayMs: options.badGapDelayMs ?? 1_000,
      onOpen: (send) => {
        send(userSubscribeRequest(this.#creds, this.#markets));
        // The answer to this PING, sent after the subscription, proves the server took it.
        send('PING');
      },
      onText: (text, receivedAtMs) => this.#onText(text, receivedAtMs),
      onSilence: (send) => send(userSubscribeRequest(this.#creds, this.#markets)),
      onGap: (reason, fromMs, toMs) => options.onGap?.({ fromMs, toMs, reason }),
    });
    const { key, secret, passphrase } = options.credentials;
    if (!key || !secret || !passphrase)
      throw new TypeError('user channel needs an API key, secret and passphrase');
    this.#creds = { key, secret, passphrase };
    this.#markets = [...new Set(options.markets ?? [])];
    this.#o = options;
  }

  /** Connects, and keeps reconnecting until `stop`. Started again after a stop, it reports the stopped time as a gap. */
  start(): void {
    this.#socket.start();
  }

  /** Closes the socket and cancels every timer; resolves once the socket has closed. */
  stop(): Promise<void> {
    return this.#socket.stop();
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
    this.#socket.send(userAddMarketsRequest(added));
  }

  /** Cuts the socket (a reconnect and a gap follow), e.g. when its stream can no longer be trusted. */
  reconnect(): void {
    this.#socket.reconnect();
  }

  health(): UserSocketHealth {
    return this.#socket.health();
  }

  #onText(text: string, receivedAtMs: number): void {
    const socket = this.#socket;
    const frame = parseUserFrame(text, (t) => scrubCredentials(t, this.#creds));
    if (frame.kind === 'keepalive') {
      socket.markCovered(receivedAtMs);
      return;
    }
    for (const item of frame.items) {
      if (item.kind === 'bad') {
        socket.badMessage(item.reason, item.sample);
        continue;
      }
      socket.markData(receivedAtMs);
      const message = item.message;
      if (message.event_type === 'order') {
        socket.guard('order handler', () => this.#o.onOrder?.({ message, receivedAtMs }));
      } else {
        const ours = ourTradePart(message, this.#creds.key);
        socket.guard('trade handler', () => this.#o.onTrade?.({ message, ours, receivedAtMs }));
      }
    }
  }
}
