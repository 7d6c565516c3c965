/**
 * The chain's JSON-RPC endpoint on 127.0.0.1: HTTP POST and websocket on one port, as a Polygon
 * RPC provider serves them. HTTP answers requests and batches; the websocket also carries
 * subscriptions. Malformed input gets a JSON-RPC error, never a crash or a dropped connection.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { errorResponse, RPC_ERROR } from './jsonrpc.ts';
import type { HandledMessage, RpcHandler } from './rpc-handler.ts';
import type { NotificationSink, SubscriptionHub } from './subscriptions.ts';

const HOST = '127.0.0.1';
/** Largest request body or websocket message accepted. */
const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;
/** A websocket client this far behind on notifications is dropped (geth drops slow subscribers too). */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export interface RpcServer {
  port: number;
  httpUrl: string;
  wsUrl: string;
  /** Cuts every websocket connection without a close frame (a fault); returns how many. */
  dropAll(): number;
  close(): Promise<void>;
}

export async function startRpcServer(options: {
  port: number;
  handler: RpcHandler;
  hub: SubscriptionHub;
}): Promise<RpcServer> {
  const { handler, hub } = options;
  const http = createServer((req, res) => {
    serveHttp(handler, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  http.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => serveWebSocket(handler, hub, ws));
  });
  wss.on('error', () => {});

  await listen(http, options.port);
  const port = (http.address() as AddressInfo).port;
  return {
    port,
    httpUrl: `http://${HOST}:${port}`,
    wsUrl: `ws://${HOST}:${port}`,
    dropAll() {
      // terminate() destroys the socket: clients see an abnormal close (1006), as on a network cut.
      const count = wss.clients.size;
      for (const ws of wss.clients) ws.terminate();
      return count;
    },
    close: () => close(http, wss),
  };
}

function listen(http: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, HOST, () => {
      http.off('error', reject);
      resolve();
    });
  });
}

async function close(http: Server, wss: WebSocketServer): Promise<void> {
  for (const ws of wss.clients) ws.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  const closed = new Promise<void>((resolve) => http.close(() => resolve()));
  http.closeAllConnections();
  await closed;
}

async function serveHttp(handler: RpcHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST' }).end();
    return;
  }
  const body = await readBody(req);
  if (body === null) {
    sendJson(res, 413, errorResponse(null, { code: RPC_ERROR.invalidRequest, message: 'request too large' }));
    return;
  }
  const handled = await handler.handleText(body, null);
  if (handled.reply === null) {
    res.writeHead(204).end();
    return;
  }
  sendJson(res, 200, handled.reply);
}

/** The body as text, or null when it exceeds the limit. */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_MESSAGE_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function serveWebSocket(handler: RpcHandler, hub: SubscriptionHub, ws: WebSocket): void {
  const sink: NotificationSink = {
    send(message) {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        ws.terminate();
        return;
      }
      ws.send(message);
    },
  };
  ws.on('message', (data: RawData) => {
    handler
      .handleText(rawText(data), sink)
      .then((handled) => reply(ws, sink, handled))
      .catch(() => {
        sink.send(
          JSON.stringify(errorResponse(null, { code: RPC_ERROR.internal, message: 'internal error' })),
        );
      });
  });
  ws.on('close', () => hub.removeSink(sink));
  // A protocol error (e.g. an oversized frame) closes this connection only.
  ws.on('error', () => ws.terminate());
}

function reply(ws: WebSocket, sink: NotificationSink, handled: HandledMessage): void {
  if (ws.readyState !== WebSocket.OPEN) return;
  if (handled.reply !== null) sink.send(JSON.stringify(handled.reply));
  for (const start of handled.afterReply) start();
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
