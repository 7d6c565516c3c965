/**
 * A scripted JSON-RPC websocket node for cases the simulator's chain never produces: malformed
 * frames and logs, logs without a block time, a node that ignores topic filters. It records every
 * request and lets the test push any notification.
 */
import type { AddressInfo } from 'node:net';
import { type Hex, keccak256, numberToHex, toHex } from 'viem';
import { type WebSocket, WebSocketServer } from 'ws';

interface Subscription {
  id: string;
  params: unknown[];
  ws: WebSocket;
}

export interface FakeBlock {
  number: number;
  hash: Hex;
  timestamp: number;
}

export function fakeBlock(number: number, label = 'main'): FakeBlock {
  return { number, hash: keccak256(toHex(`${label}-${number}`)), timestamp: 1_790_000_000 + number * 2 };
}

export class FakeNode {
  readonly requests: { method: string; params: unknown[] }[] = [];
  readonly subscriptions: Subscription[] = [];
  readonly blocks = new Map<number, FakeBlock>();
  latest = 0;
  /** What eth_getLogs answers, per block hash. */
  readonly logsByBlock = new Map<string, unknown[]>();
  readonly #wss: WebSocketServer;
  #nextId = 1;

  private constructor(wss: WebSocketServer) {
    this.#wss = wss;
    wss.on('connection', (ws) => {
      ws.on('message', (data) => this.#answer(ws, String(data)));
      ws.on('close', () => {
        for (let i = this.subscriptions.length - 1; i >= 0; i--) {
          if (this.subscriptions[i]!.ws === ws) this.subscriptions.splice(i, 1);
        }
      });
    });
  }

  static async start(): Promise<FakeNode> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    return new FakeNode(wss);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.#wss.address() as AddressInfo).port}`;
  }

  addBlock(block: FakeBlock): void {
    this.blocks.set(block.number, block);
    this.latest = Math.max(this.latest, block.number);
  }

  logSubscriptions(): Subscription[] {
    return this.subscriptions.filter((s) => s.params[0] === 'logs');
  }

  /** Sends `result` on every logs subscription (the first only with `once`). */
  pushLog(result: unknown, options: { once?: boolean } = {}): void {
    const subs = this.logSubscriptions();
    for (const sub of options.once ? subs.slice(0, 1) : subs) this.#notify(sub, result);
  }

  pushHead(header: unknown): void {
    for (const sub of this.subscriptions) if (sub.params[0] === 'newHeads') this.#notify(sub, header);
  }

  /** Sends a raw text frame to every connection. */
  sendRaw(text: string): void {
    for (const ws of this.#wss.clients) ws.send(text);
  }

  count(method: string, firstParam?: unknown): number {
    return this.requests.filter(
      (r) => r.method === method && (firstParam === undefined || r.params[0] === firstParam),
    ).length;
  }

  async close(): Promise<void> {
    for (const ws of this.#wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #notify(sub: Subscription, result: unknown): void {
    sub.ws.send(
      JSON.stringify({
        jsonrpc: '2.0',
        method: 'eth_subscription',
        params: { subscription: sub.id, result },
      }),
    );
  }

  #answer(ws: WebSocket, text: string): void {
    const req = JSON.parse(text) as { id: number; method: string; params?: unknown[] };
    const params = req.params ?? [];
    this.requests.push({ method: req.method, params });
    const reply = (result: unknown) => ws.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, result }));
    switch (req.method) {
      case 'eth_subscribe': {
        const id = numberToHex(this.#nextId++, { size: 16 });
        reply(id);
        this.subscriptions.push({ id, params, ws });
        return;
      }
      case 'eth_unsubscribe': {
        const i = this.subscriptions.findIndex((s) => s.id === params[0]);
        if (i >= 0) this.subscriptions.splice(i, 1);
        reply(i >= 0);
        return;
      }
      case 'eth_getBlockByNumber': {
        const tag = params[0];
        const n = tag === 'latest' ? this.latest : Number(BigInt(tag as string));
        reply(this.#blockJson(this.blocks.get(n)));
        return;
      }
      case 'eth_getBlockByHash': {
        reply(this.#blockJson([...this.blocks.values()].find((b) => b.hash === params[0])));
        return;
      }
      case 'eth_getLogs': {
        const filter = params[0] as { blockHash: string };
        reply(this.logsByBlock.get(filter.blockHash) ?? []);
        return;
      }
      default:
        ws.send(
          JSON.stringify({ jsonrpc: '2.0', id: req.id, error: { code: -32601, message: 'no such method' } }),
        );
    }
  }

  #blockJson(b: FakeBlock | undefined): unknown {
    if (!b) return null;
    return {
      number: numberToHex(b.number),
      hash: b.hash,
      timestamp: numberToHex(b.timestamp),
      transactions: [],
    };
  }
}
