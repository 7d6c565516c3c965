/**
 * Server-Sent Events: the bus's events, as they happen, to every open GET /api/events. Each frame
 * is `id`, `event` (the bus event's name) and one line of JSON (bigints as strings, known secrets
 * scrubbed). A comment line every `heartbeatMs` keeps proxies from closing an idle stream and lets
 * a client notice a dead one. A client that stops reading is dropped rather than buffered forever.
 */
import type { FastifyReply } from 'fastify';
import type { Clock } from '../../core/clock.ts';
import { describeError } from '../../core/errors.ts';
import type { EventBus } from '../../core/events.ts';
import type { Logger } from '../../core/logger.ts';
import type { ServerEvents } from './context.ts';
import { toJsonText } from './json.ts';
import type { Scrubber } from './secrets.ts';

export const STREAMED_EVENTS = [
  'leader.sighting',
  'copy.decision',
  'order.done',
  'settings.changed',
  'app.started',
  'app.stopping',
] as const satisfies readonly (keyof ServerEvents)[];

export type StreamedEvent = (typeof STREAMED_EVENTS)[number];

export const DEFAULT_HEARTBEAT_MS = 15_000;
/** Unsent bytes a client may fall behind by before it is dropped. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface EventStreamsOptions {
  bus: EventBus<ServerEvents>;
  clock: Pick<Clock, 'setTimer'>;
  logger: Logger;
  scrub: Scrubber;
  heartbeatMs?: number;
}

/** What a client is sent of an event: the sighting's raw wire message stays out (large, and no use). */
function viewOf(name: StreamedEvent, payload: unknown): unknown {
  if (name === 'leader.sighting') {
    const { sighting, ...rest } = payload as ServerEvents['leader.sighting'];
    const { raw: _raw, ...seen } = sighting as ServerEvents['leader.sighting']['sighting'] & {
      raw?: unknown;
    };
    return { ...rest, sighting: seen };
  }
  return payload;
}

export class EventStreams {
  readonly #o: EventStreamsOptions;
  readonly #open = new Set<() => void>();
  #seq = 0;

  constructor(options: EventStreamsOptions) {
    this.#o = options;
  }

  /** Open streams. */
  get clients(): number {
    return this.#open.size;
  }

  /** Takes over the reply and streams `types` until the client goes or `closeAll` is called. */
  open(reply: FastifyReply, types: readonly StreamedEvent[]): void {
    const { bus, clock, logger, scrub } = this.#o;
    const heartbeatMs = this.#o.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // The socket goes with the stream: a kept-alive socket would hold the server's close open.
      connection: 'close',
      // nginx would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 3000\n: connected; streaming ${types.join(', ')}\n\n`);

    const write = (text: string) => {
      if (res.writableEnded || res.destroyed) return;
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        logger.warn({ buffered: res.writableLength }, 'event stream client is not reading; dropping it');
        res.destroy();
        return;
      }
      res.write(text);
    };
    const unsubscribe = types.map((name) =>
      bus.on(name, (payload) => {
        let data: string;
        try {
          data = scrub(toJsonText(viewOf(name, payload)));
        } catch (err) {
          logger.warn({ event: name, err: describeError(err) }, 'event not streamable; skipped');
          return;
        }
        write(`id: ${++this.#seq}\nevent: ${name}\ndata: ${data}\n\n`);
      }),
    );
    let cancelHeartbeat = () => {};
    const beat = () => {
      write(': heartbeat\n\n');
      cancelHeartbeat = clock.setTimer(heartbeatMs, beat);
    };
    cancelHeartbeat = clock.setTimer(heartbeatMs, beat);

    let done = false;
    const cleanup = () => {
      if (done) return;
      done = true;
      for (const off of unsubscribe) off();
      cancelHeartbeat();
      this.#open.delete(end);
    };
    const end = () => {
      cleanup();
      if (!res.writableEnded) res.end();
    };
    this.#open.add(end);
    // The response's close is the connection's: a request's 'close' fires once its body is read.
    res.on('close', cleanup);
    res.on('error', cleanup);
  }

  /** Ends every open stream (the server is closing). */
  closeAll(): void {
    for (const end of [...this.#open]) end();
  }
}
