/**
 * A scripted RTDS stand-in on 127.0.0.1 for client tests: records what each connection sends,
 * answers `ping` with `pong` (unless told not to) and lets a test send any frame or cut a socket.
 */
import type { AddressInfo } from 'node:net';
import { vi } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';

export interface ScriptConnection {
  ws: WebSocket;
  /** Text frames received, in order. */
  received: string[];
  closed: boolean;
}

export class ScriptServer {
  readonly connections: ScriptConnection[] = [];
  /** Answer the text `ping` with `pong`. */
  answerPings = true;
  readonly #wss: WebSocketServer;

  private constructor(wss: WebSocketServer) {
    this.#wss = wss;
    wss.on('connection', (ws) => {
      const c: ScriptConnection = { ws, received: [], closed: false };
      this.connections.push(c);
      ws.on('message', (data) => {
        const text = data.toString();
        c.received.push(text);
        if (text === 'ping' && this.answerPings) ws.send('pong');
      });
      ws.on('close', () => {
        c.closed = true;
      });
      ws.on('error', () => ws.terminate());
    });
  }

  static async start(port = 0): Promise<ScriptServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    return new ScriptServer(wss);
  }

  get port(): number {
    return (this.#wss.address() as AddressInfo).port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** The n-th connection (0-based), once it exists. */
  async connection(n: number): Promise<ScriptConnection> {
    await vi.waitFor(() => {
      if (this.connections.length <= n) throw new Error(`waiting for connection ${n}`);
    });
    return this.connections[n]!;
  }

  /** Waits until connection `n` has received at least `count` frames matching `test`. */
  async received(n: number, test: (text: string) => boolean, count = 1): Promise<string[]> {
    const c = await this.connection(n);
    let hits: string[] = [];
    await vi.waitFor(() => {
      hits = c.received.filter(test);
      if (hits.length < count) throw new Error(`connection ${n}: ${hits.length}/${count} frames`);
    });
    return hits;
  }

  send(n: number, text: string): void {
    this.connections[n]!.ws.send(text);
  }

  /** Cuts every socket without a close frame. */
  dropAll(): void {
    for (const c of this.connections) c.ws.terminate();
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}

/** A frame in RTDS's envelope. */
export function frame(
  payload: Record<string, unknown>,
  type = 'trades',
  timestamp = 1_790_272_257_115,
): string {
  return JSON.stringify({ connection_id: 'test', payload, timestamp, topic: 'activity', type });
}
