/**
 * The CLOB websocket (`wss://ws-subscriptions-clob.polymarket.com/ws/`): the public market
 * channel at `/ws/market` and the authenticated user channel at `/ws/user`, translating the
 * venue's events as they happen.
 *
 * Behaviour where the real service is known:
 * - text `PING` is answered `PONG` on both channels; nothing else is sent unprompted;
 * - a market subscribe sends a `book` per asset at once (one JSON array frame, as the real
 *   initial dump often is), unless `initial_dump` is false;
 * - bad user-channel credentials drop the socket without a closing handshake (clients report
 *   "Connection to remote host was lost" / `ResetWithoutClosingHandshake`);
 * - unparseable or unknown frames are ignored; any other path gets a 404.
 * Faults: `dropAll` cuts sockets abruptly; `silence` stops data on a channel (sockets stay open
 * and keep answering `PING`) until `resume`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { listenForUpgrades } from '../../upgrade-server.ts';
import type { SimVenue } from '../../venue/index.ts';
import {
  type ClientFrame,
  type MarketSubscribeFrame,
  parseMarketFrame,
  parseUserFrame,
} from './client-frames.ts';
import { type MarketAudience, marketTranslator } from './market-channel.ts';
import { subscribeBookMessage, type WsBookMessage } from './market-messages.ts';
import { MarketSubscription, UserSubscription } from './subscriptions.ts';
import { userTranslator } from './user-channel.ts';
import { authenticate } from './ws-auth.ts';

export type ClobWsChannel = 'market' | 'user';

export interface ClobWsOptions {
  venue: SimVenue;
  /** Epoch ms, for the `timestamp` of user-channel trade messages. */
  now: () => number;
  /** Send the subscribe-time books as one array frame (default) or one frame each. */
  bookDump?: 'array' | 'single';
}

export interface ClobWs {
  /** Takes over an HTTP upgrade request for `/ws/market` or `/ws/user`. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Fault: cuts the open sockets of one channel (default both) abruptly. Returns how many. */
  dropAll(channel?: ClobWsChannel): number;
  /** Fault: no data on the channel (default both) until `resume`; `PING` still gets `PONG`. */
  silence(channel?: ClobWsChannel): void;
  resume(channel?: ClobWsChannel): void;
  /** Fault: sends `text` as it is (malformed on purpose) to the channel's open sockets. Returns how many. */
  sendRaw(text: string, channel?: ClobWsChannel): number;
  connectionCount(channel?: ClobWsChannel): number;
  close(): Promise<void>;
}

const PATHS: Record<string, ClobWsChannel> = {
  '/ws/market': 'market',
  '/ws/market/': 'market',
  '/ws/user': 'user',
  '/ws/user/': 'user',
};

function channelOf(req: IncomingMessage): ClobWsChannel | undefined {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  return PATHS[path];
}

interface MarketConnection {
  ws: WebSocket;
  sub: MarketSubscription;
}

interface UserConnection {
  ws: WebSocket;
  sub: UserSubscription;
}

export function createClobWsServer(options: ClobWsOptions): ClobWs {
  const { venue } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
  const markets = new Set<MarketConnection>();
  const users = new Set<UserConnection>();
  const silent: Record<ClobWsChannel, boolean> = { market: false, user: false };

  const send = (ws: WebSocket, text: string) => {
    if (ws.readyState === ws.OPEN) ws.send(text);
  };

  const toMarkets = (to: MarketAudience, text: () => string) => {
    if (silent.market) return;
    let built: string | undefined;
    for (const c of markets) {
      if (!to(c.sub)) continue;
      built ??= text();
      if (built !== '') send(c.ws, built);
    }
  };

  const toUsers = (apiKey: string, market: string, text: () => string) => {
    if (silent.user) return;
    let built: string | undefined;
    for (const c of users) {
      if (!c.sub.wants(apiKey, market)) continue;
      built ??= text();
      send(c.ws, built);
    }
  };

  const listeners = [
    marketTranslator(venue, { send: toMarkets }),
    userTranslator({ send: toUsers }, options.now),
  ];
  const unsubscribeVenue = venue.on((event) => {
    for (const listener of listeners) listener(event);
  });

  /** The subscribe-time books, read before the subscription takes effect (a read may expire orders). */
  const booksFor = (frame: MarketSubscribeFrame): WsBookMessage[] => {
    if (frame.operation !== 'subscribe' || !frame.initialDump || silent.market) return [];
    const books: WsBookMessage[] = [];
    for (const id of frame.assetIds) {
      const book = venue.engine.bookFor(id);
      if (book !== undefined) books.push(subscribeBookMessage(book));
    }
    return books;
  };

  const onMarketFrame = (c: MarketConnection, frame: ClientFrame) => {
    if (frame.kind === 'ping') send(c.ws, 'PONG');
    if (frame.kind !== 'market') return;
    const books = booksFor(frame);
    c.sub.apply(frame);
    if (books.length === 0) return;
    if (options.bookDump === 'single') for (const b of books) send(c.ws, JSON.stringify(b));
    else send(c.ws, JSON.stringify(books));
  };

  const onUserFrame = (c: UserConnection, frame: ClientFrame) => {
    if (frame.kind === 'ping') send(c.ws, 'PONG');
    if (frame.kind !== 'user') return;
    // The first frame must authenticate; later ones may omit `auth` but must not name another key.
    const key = frame.auth === undefined ? c.sub.apiKey : authenticate(venue.apiKeys, frame.auth);
    if (key === null || key === undefined || (c.sub.apiKey !== null && key !== c.sub.apiKey)) {
      c.ws.terminate();
      return;
    }
    if (c.sub.apiKey === null) c.sub.start(key, frame.markets);
    else if (frame.operation === 'subscribe') c.sub.subscribe(frame.markets);
    else c.sub.unsubscribe(frame.markets);
  };

  const guard = (handle: (text: string) => void) => (data: RawData, isBinary: boolean) => {
    if (isBinary) return;
    try {
      handle(data.toString());
    } catch {
      // A frame we cannot handle is dropped; the socket lives on.
    }
  };

  const onConnection = (ws: WebSocket, channel: ClobWsChannel) => {
    ws.on('error', () => ws.terminate());
    if (channel === 'market') {
      const c: MarketConnection = { ws, sub: new MarketSubscription() };
      markets.add(c);
      ws.on(
        'message',
        guard((text) => onMarketFrame(c, parseMarketFrame(text))),
      );
      ws.on('close', () => markets.delete(c));
    } else {
      const c: UserConnection = { ws, sub: new UserSubscription() };
      users.add(c);
      ws.on(
        'message',
        guard((text) => onUserFrame(c, parseUserFrame(text))),
      );
      ws.on('close', () => users.delete(c));
    }
  };

  const sockets = (channel?: ClobWsChannel): WebSocket[] => [
    ...(channel === 'user' ? [] : [...markets].map((c) => c.ws)),
    ...(channel === 'market' ? [] : [...users].map((c) => c.ws)),
  ];
  const channels = (channel?: ClobWsChannel): ClobWsChannel[] => (channel ? [channel] : ['market', 'user']);

  let closed = false;
  return {
    handleUpgrade(req, socket, head) {
      const channel = channelOf(req);
      if (closed) {
        socket.destroy();
        return;
      }
      if (channel === undefined) {
        socket.once('finish', () => socket.destroy());
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, channel));
    },
    dropAll(channel) {
      const all = sockets(channel);
      for (const ws of all) ws.terminate();
      return all.length;
    },
    silence(channel) {
      for (const ch of channels(channel)) silent[ch] = true;
    },
    resume(channel) {
      for (const ch of channels(channel)) silent[ch] = false;
    },
    sendRaw(text, channel) {
      const open = sockets(channel).filter((w) => w.readyState === w.OPEN);
      for (const w of open) w.send(text);
      return open.length;
    },
    connectionCount(channel) {
      return sockets(channel).length;
    },
    async close() {
      if (closed) return;
      closed = true;
      unsubscribeVenue();
      for (const ws of sockets()) ws.terminate();
      markets.clear();
      users.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

export interface ClobWsServer extends ClobWs {
  readonly port: number;
  /** `ws://127.0.0.1:<port>/ws`: clients add `/market` or `/user`. */
  readonly url: string;
  readonly marketUrl: string;
  readonly userUrl: string;
}

/** The CLOB websocket on its own HTTP server, bound to `host` (default 127.0.0.1); port 0 picks a free one. */
export async function startClobWsServer(
  options: ClobWsOptions & { port?: number; host?: string },
): Promise<ClobWsServer> {
  const ws = createClobWsServer(options);
  const server = await listenForUpgrades(ws.handleUpgrade, options);
  const { host, port } = server;
  const url = `ws://${host}:${port}/ws`;
  return {
    port,
    url,
    marketUrl: `${url}/market`,
    userUrl: `${url}/user`,
    handleUpgrade: ws.handleUpgrade,
    dropAll: ws.dropAll,
    silence: ws.silence,
    resume: ws.resume,
    sendRaw: ws.sendRaw,
    connectionCount: ws.connectionCount,
    async close() {
      await ws.close();
      await server.close();
    },
  };
}
