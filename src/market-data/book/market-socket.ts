/**
 * The CLOB market channel's connection (api-reference.md §5.1): the shared reconnecting socket
 * (src/polymarket/ws/) with a text `PING` every 10 s (the server answers `PONG`), every frame
 * validated (frames.ts) and bad messages counted in `bad_messages_total{source}`, logged with a
 * sample (throttled) and handed to the owner with the token ids they name.
 *
 * Silence watchdog: a subscription can lapse while the socket stays ping-alive. When no data
 * message arrives for `silenceMs` while the owner expects data, `onSilence` is called (the book
 * feed re-subscribes, which makes the server send fresh snapshots); if the next `silenceMs` is
 * silent too, the socket is cut and reconnected. The feed resyncs books itself, so no gaps are kept.
 */
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { WsMarketMessage } from '../../polymarket/clob/index.ts';
import { ReconnectingSocket, type SocketHealth, type SocketTimings } from '../../polymarket/ws/index.ts';
import { parseMarketFrame } from './frames.ts';

/** Defaults: `PING` every 10 s (what the server expects), dead after 25 s without a frame, silent after 30 s. */
export type MarketSocketTimings = SocketTimings;

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

/** The shared socket's health without gaps (the feed resyncs books instead), plus ignored messages. */
export interface MarketSocketHealth extends Omit<SocketHealth, 'coveredUntilMs' | 'gaps'> {
  /** Well-formed messages of kinds the feed does not use. */
  ignoredMessages: number;
}

export class MarketSocket {
  readonly #o: MarketSocketOptions;
  readonly #socket: ReconnectingSocket;
  #ignored = 0;

  constructor(options: MarketSocketOptions) {
    this.#o = options;
    this.#socket = new ReconnectingSocket({
      url: options.url,
      name: 'clob ws',
      source: options.source,
      pingText: 'PING',
      timings: options,
      clock: options.clock,
      logger: options.logger,
      random: options.random,
      expectsData: options.expectsData,
      onOpen: options.onOpen,
      onText: (text, receivedAtMs) => this.#onText(text, receivedAtMs),
      onSilence: options.onSilence,
      onClose: options.onClose,
      onBinary: () => options.onBad([]),
    });
  }

  start(): void {
    this.#socket.start();
  }

  stop(): Promise<void> {
    return this.#socket.stop();
  }

  get isOpen(): boolean {
    return this.#socket.isOpen;
  }

  /** Sends on the open socket; false when there is none. */
  send(text: string): boolean {
    return this.#socket.send(text);
  }

  /** Cuts the socket (a reconnect follows), e.g. when its stream can no longer be trusted. */
  reconnect(): void {
    this.#socket.reconnect();
  }

  health(): MarketSocketHealth {
    const { coveredUntilMs: _covered, gaps: _gaps, ...health } = this.#socket.health();
    return { ...health, ignoredMessages: this.#ignored };
  }

  #onText(text: string, receivedAtMs: number): void {
    const frame = parseMarketFrame(text);
    if (frame.kind === 'keepalive') return;
    const messages: WsMarketMessage[] = [];
    for (const item of frame.items) {
      if (item.kind === 'message') messages.push(item.message);
      else if (item.kind === 'ignored') this.#ignored++;
      else {
        this.#socket.badMessage(item.reason, item.sample);
        this.#socket.guard('bad-message handler', () => this.#o.onBad(item.assetIds));
      }
    }
    if (messages.length === 0 && frame.items.every((i) => i.kind === 'bad')) return;
    // Any well-formed message, even an ignored kind, shows the subscription is alive.
    this.#socket.markData(receivedAtMs, messages.length);
    if (messages.length > 0) {
      this.#socket.guard('message handler', () => this.#o.onMessages(messages, receivedAtMs));
    }
  }
}
