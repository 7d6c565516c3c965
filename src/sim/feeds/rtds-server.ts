/**
 * The RTDS websocket (`wss://ws-live-data.polymarket.com`), `activity` topic. Every published
 * trade goes out at once, one message per participant, in the real envelope: `{connection_id,
 * payload, timestamp (ms), topic, type}` with the payload in seconds and the wallet checksummed.
 * Text `ping`/`PING` is answered `pong`/`PONG`; empty text frames and protocol pings keep the
 * socket warm. Two faults: `dropAll` cuts every socket; `silence` stops data to open sockets while
 * they stay open and keep answering pings (the "silent lapse" seen on the real service).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { createRandom } from '../random.ts';
import { listenForUpgrades } from '../upgrade-server.ts';
import type { FeedsHub } from './hub.ts';
import type { FeedRecord } from './record.ts';
import { type ActivityMessageType, parseClientFrame, SubscriptionSet } from './rtds-protocol.ts';
import { rtdsTradePayload } from './wire.ts';

export interface RtdsFeedOptions {
  hub: FeedsHub;
  /** Envelope timestamps, epoch ms (default: the hub's clock). */
  now?: () => number;
  /** Interval of the empty text keepalive frames, ms; 0 turns them off. */
  keepaliveMs?: number;
  /**
   * Interval of protocol-level ping frames, ms; 0 turns them off. The official TS client answers
   * each one by sending its text `ping` after its 5 s interval, which is what paces its pings.
   */
  protocolPingMs?: number;
  /** Who gets an `orders_matched` message: the taker of each match (default) or every participant. */
  ordersMatched?: 'taker' | 'all';
  /** Seeds the connection ids. */
  seed?: number;
}

export interface SilenceOptions {
  /** Connections opened during the silence start silent too (a full outage). Default false. */
  newConnections?: boolean;
  /** A subscribe on a silent socket brings it back (a lapse cured by resubscribing). Default false. */
  endsOnResubscribe?: boolean;
}

export interface RtdsFeed {
  /** Takes over an HTTP upgrade request (for attaching to an existing server). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Fault: cuts every open socket abruptly. Returns how many were cut. */
  dropAll(): number;
  /** Fault: stops sending data to the open sockets (they stay open and ping-alive) until `resume`. */
  silence(options?: SilenceOptions): void;
  resume(): void;
  /** Fault: sends `text` as it is (malformed on purpose) to every open socket. Returns how many. */
  sendRaw(text: string): number;
  readonly connectionCount: number;
  /** Open connections with at least one subscription. */
  readonly subscriberCount: number;
  close(): Promise<void>;
}

export const DEFAULT_KEEPALIVE_MS = 10_000;
export const DEFAULT_PROTOCOL_PING_MS = 5_000;

interface Connection {
  ws: WebSocket;
  id: string;
  subs: SubscriptionSet;
  silent: boolean;
}

/** Like the captured ids ("gbeUfq-crWeIKABx0A=="): 13 random bytes, base64 with `-`/`_`. */
function connectionId(bytes: string): string {
  return Buffer.from(bytes, 'hex').toString('base64').replaceAll('+', '-').replaceAll('/', '_');
}

export function createRtdsFeed(options: RtdsFeedOptions): RtdsFeed {
  const now = options.now ?? options.hub.now;
  const random = createRandom(options.seed ?? 0).fork('rtds-connection-ids');
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const connections = new Set<Connection>();
  let silenceNew = false;
  let reviveOnSubscribe = false;

  const send = (c: Connection, text: string) => {
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(text);
  };

  const typesFor = (r: FeedRecord): ActivityMessageType[] =>
    options.ordersMatched === 'all' || r.isTaker ? ['trades', 'orders_matched'] : ['trades'];

  const unsubscribeHub = options.hub.subscribe((records) => {
    for (const record of records) {
      if (record.type !== 'TRADE') continue;
      const payload = rtdsTradePayload(record);
      for (const c of connections) {
        if (c.silent) continue;
        for (const type of typesFor(record)) {
          if (!c.subs.wants(type, record)) continue;
          send(
            c,
            JSON.stringify({ connection_id: c.id, payload, timestamp: now(), topic: 'activity', type }),
          );
        }
      }
    }
  });

  const onMessage = (c: Connection, data: RawData, isBinary: boolean) => {
    if (isBinary) return;
    const frame = parseClientFrame(data.toString());
    switch (frame.kind) {
      case 'ping':
        send(c, frame.reply);
        return;
      case 'subscribe':
      case 'unsubscribe':
        c.subs.apply(frame);
        if (frame.kind === 'subscribe' && reviveOnSubscribe) c.silent = false;
        return;
      case 'ignored':
        return;
    }
  };

  wss.on('connection', (ws: WebSocket) => {
    const c: Connection = {
      ws,
      id: connectionId(random.hex(13)),
      subs: new SubscriptionSet(),
      silent: silenceNew,
    };
    connections.add(c);
    ws.on('message', (data, isBinary) => {
      try {
        onMessage(c, data, isBinary);
      } catch {
        // A frame we cannot handle is dropped; the socket lives on.
      }
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => connections.delete(c));
  });

  const timers: NodeJS.Timeout[] = [];
  const keepaliveMs = options.keepaliveMs ?? DEFAULT_KEEPALIVE_MS;
  if (keepaliveMs > 0) {
    // Keepalives flow even to silent sockets: the lapse is in the subscription, not the socket.
    timers.push(
      setInterval(() => {
        for (const c of connections) send(c, '');
      }, keepaliveMs),
    );
  }
  const pingMs = options.protocolPingMs ?? DEFAULT_PROTOCOL_PING_MS;
  if (pingMs > 0) {
    // Clients that never answer (the official TS client) are not dropped for it.
    timers.push(
      setInterval(() => {
        for (const c of connections) if (c.ws.readyState === c.ws.OPEN) c.ws.ping();
      }, pingMs),
    );
  }

  let closed = false;
  return {
    handleUpgrade(req, socket, head) {
      if (closed) {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    dropAll() {
      const n = connections.size;
      for (const c of connections) c.ws.terminate();
      return n;
    },
    silence(opts = {}) {
      for (const c of connections) c.silent = true;
      silenceNew = opts.newConnections ?? false;
      reviveOnSubscribe = opts.endsOnResubscribe ?? false;
    },
    resume() {
      for (const c of connections) c.silent = false;
      silenceNew = false;
      reviveOnSubscribe = false;
    },
    sendRaw(text) {
      let n = 0;
      for (const c of connections) {
        if (c.ws.readyState !== c.ws.OPEN) continue;
        c.ws.send(text);
        n++;
      }
      return n;
    },
    get connectionCount() {
      return connections.size;
    },
    get subscriberCount() {
      let n = 0;
      for (const c of connections) if (c.subs.size > 0) n++;
      return n;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearInterval(t);
      unsubscribeHub();
      for (const c of connections) c.ws.terminate();
      connections.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

export interface RtdsServer extends RtdsFeed {
  readonly port: number;
  /** `ws://127.0.0.1:<port>`. */
  readonly url: string;
}

/** The RTDS feed on its own HTTP server, bound to `host` (default 127.0.0.1); port 0 picks a free one. */
export async function startRtdsServer(
  options: RtdsFeedOptions & { port?: number; host?: string },
): Promise<RtdsServer> {
  const feed = createRtdsFeed(options);
  const server = await listenForUpgrades(feed.handleUpgrade, options);
  const { host, port } = server;
  return {
    port,
    url: `ws://${host}:${port}`,
    handleUpgrade: feed.handleUpgrade,
    dropAll: feed.dropAll,
    silence: feed.silence,
    resume: feed.resume,
    sendRaw: feed.sendRaw,
    get connectionCount() {
      return feed.connectionCount;
    },
    get subscriberCount() {
      return feed.subscriberCount;
    },
    async close() {
      await feed.close();
      await server.close();
    },
  };
}
