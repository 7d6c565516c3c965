/**
 * Test world for the trade feeds: a generated catalog, a hand-driven clock, a hub, builders for
 * matches (one fill per participant, as the engine reports them), and the Data API on a real
 * HTTP server on 127.0.0.1.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { WebSocket } from 'ws';
import {
  MICRO,
  notional,
  type Price,
  price,
  type Shares,
  shares,
  type Usdc,
} from '../../../src/core/money.ts';
import { generateCatalog } from '../../../src/sim/catalog/generate.ts';
import type { Catalog, Hex, SimMarket } from '../../../src/sim/catalog/model.ts';
import { type DataApiOptions, registerDataApiRoutes } from '../../../src/sim/feeds/data-api.ts';
import type { ParticipantFill, Side, TradeFill } from '../../../src/sim/feeds/fill.ts';
import { FeedsHub } from '../../../src/sim/feeds/hub.ts';
import { type ProfileKind, profileFor } from '../../../src/sim/feeds/profile.ts';
import { createRandom } from '../../../src/sim/random.ts';

export const START = Date.UTC(2026, 10, 21, 12, 0, 0, 250);
export const SEED = 11;
export const LAG_MS = 4_000;

export class TestClock {
  ms: number;
  constructor(ms = START) {
    this.ms = ms;
  }
  now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface World {
  catalog: Catalog;
  clock: TestClock;
  hub: FeedsHub;
  fills: FillBuilder;
}

export function makeWorld(options: { lagMs?: number } = {}): World {
  const catalog = generateCatalog({ seed: SEED, now: START, binaryMarkets: 3, negRiskEvents: [3] });
  const clock = new TestClock();
  const hub = new FeedsHub({ catalog, now: clock.now, seed: SEED, lagMs: options.lagMs ?? LAG_MS });
  return { catalog, clock, hub, fills: new FillBuilder(clock, catalog) };
}

const walletRandom = createRandom(SEED).fork('test-wallets');
/** A fresh random wallet, lower case. */
export function wallet(): Hex {
  return `0x${walletRandom.hex(20)}`;
}

/** A fresh wallet whose invented profile is of `kind` (profiles depend on the hub's seed only). */
export function walletOfKind(kind: ProfileKind): Hex {
  for (;;) {
    const w = wallet();
    if (profileFor(w, { seed: SEED, epochMs: START }).kind === kind) return w;
  }
}

export interface Leg {
  wallet: Hex;
  side: Side;
  /** 0 = YES, 1 = NO. */
  outcome: 0 | 1;
  /** Whole shares (decimals allowed, as micro-exact as the number is). */
  size: number;
  /** Price in micro-units. */
  price: number;
  fee?: number;
}

export class FillBuilder {
  #seq = 0;
  #tx = createRandom(SEED).fork('test-tx');
  readonly #clock: TestClock;
  readonly #catalog: Catalog;

  constructor(clock: TestClock, catalog: Catalog) {
    this.#clock = clock;
    this.#catalog = catalog;
  }

  market(i = 0): SimMarket {
    return this.#catalog.markets[i]!;
  }

  txHash(): Hex {
    return `0x${this.#tx.hex(32)}`;
  }

  /**
   * One match: the first leg is the taker, the rest are makers; all share one tx hash and the
   * clock's time. Returns one fill per leg.
   */
  match(market: SimMarket, legs: readonly Leg[], options: { tx?: Hex; timeMs?: number } = {}): TradeFill[] {
    const tx = options.tx ?? this.txHash();
    return legs.map((leg, i) => {
      const size = shares(Math.round(leg.size * MICRO)) as Shares;
      const p = price(leg.price) as Price;
      return {
        type: 'TRADE',
        seq: ++this.#seq,
        proxyWallet: leg.wallet,
        side: leg.side,
        tokenId: market.tokens[leg.outcome].tokenId,
        conditionId: market.conditionId,
        size,
        price: p,
        usdcSize: notional(size, p, 'halfEven'),
        ...(leg.fee !== undefined ? { fee: leg.fee as Usdc } : {}),
        isTaker: i === 0,
        transactionHash: tx,
        timeMs: options.timeMs ?? this.#clock.now(),
      };
    });
  }

  /** A single fill of `w` (a taker with no recorded counterparty). */
  trade(market: SimMarket, w: Hex, side: Side, size: number, p: number, outcome: 0 | 1 = 0): TradeFill {
    return this.match(market, [{ wallet: w, side, outcome, size, price: p }])[0]!;
  }

  redeem(market: SimMarket, w: Hex, outcome: 0 | 1, size: number, payout: number): ParticipantFill {
    return {
      type: 'REDEEM',
      seq: ++this.#seq,
      proxyWallet: w,
      tokenId: market.tokens[outcome].tokenId,
      conditionId: market.conditionId,
      size: shares(Math.round(size * MICRO)),
      usdcSize: Math.round(payout * MICRO) as Usdc,
      transactionHash: this.txHash(),
      timeMs: this.#clock.now(),
    };
  }
}

/** The Data API on a real server on 127.0.0.1; `get` returns status, headers and parsed body. */
export async function startDataApi(hub: FeedsHub, options: DataApiOptions = {}) {
  const app: FastifyInstance = Fastify();
  registerDataApiRoutes(app, hub, options);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const get = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${base}${path}`, init);
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
  };
  return { app, base, get, close: () => app.close() };
}

/** A raw websocket client that records every text frame and protocol ping. */
export class WsProbe {
  readonly ws: WebSocket;
  readonly frames: string[] = [];
  protocolPings = 0;
  closed = false;
  #waiters: (() => void)[] = [];

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (data, isBinary) => {
      if (!isBinary) this.frames.push(data.toString());
      this.#wake();
    });
    this.ws.on('ping', () => {
      this.protocolPings++;
      this.#wake();
    });
    this.ws.on('close', () => {
      this.closed = true;
      this.#wake();
    });
    this.ws.on('error', () => {});
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState === this.ws.OPEN) resolve();
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  send(text: string): void {
    this.ws.send(text);
  }

  subscribe(subscriptions: object[], action: 'subscribe' | 'unsubscribe' = 'subscribe'): void {
    this.ws.send(JSON.stringify({ action, subscriptions }));
  }

  /** Parsed data messages (frames with a payload). */
  messages(): { topic: string; type: string; timestamp: number; payload: Record<string, unknown> }[] {
    return this.frames.filter((f) => f.includes('payload')).map((f) => JSON.parse(f));
  }

  /** Resolves once `test()` holds; rejects after `timeoutMs`. */
  async until(test: () => boolean, timeoutMs = 2_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting on the websocket');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** A round trip: after the pong, the server has handled every frame sent before the ping. */
  async roundTrip(): Promise<void> {
    const before = this.frames.filter((f) => f === 'pong').length;
    this.send('ping');
    await this.until(() => this.frames.filter((f) => f === 'pong').length > before);
  }

  close(): void {
    this.ws.terminate();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
