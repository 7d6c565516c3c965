/** A venue without a chain behind a real CLOB websocket on 127.0.0.1, funded users and a probe client. */
import { type Address, getAddress } from 'viem';
import WebSocket from 'ws';
import { ManualClock } from '../../../../src/core/clock.ts';
import { MICRO, type Micro, mulDiv, parseMicro, shares, usdc } from '../../../../src/core/index.ts';
import { generateCatalog } from '../../../../src/sim/catalog/generate.ts';
import type { Catalog, SimMarket } from '../../../../src/sim/catalog/model.ts';
import type { Chain } from '../../../../src/sim/chain/index.ts';
import type { ApiKeyRecord } from '../../../../src/sim/clob/auth/index.ts';
import { type ClobWsServer, startClobWsServer } from '../../../../src/sim/clob/ws/index.ts';
import type { OrderRequest, OrderType, Side } from '../../../../src/sim/engine/index.ts';
import { SimVenue } from '../../../../src/sim/venue/index.ts';

export const NOW = Date.UTC(2026, 10, 21, 12);
export const ALICE = getAddress('0x00000000000000000000000000000000000a11ce');
export const BOB = getAddress('0x0000000000000000000000000000000000000b0b');
export const CAROL = getAddress('0x00000000000000000000000000000000000ca201');

export interface World {
  clock: ManualClock;
  catalog: Catalog;
  venue: SimVenue;
  server: ClobWsServer;
  /** A plain binary market on a 0.01 tick. */
  market: SimMarket;
  yes: string;
  no: string;
  keys: { alice: ApiKeyRecord; bob: ApiKeyRecord; carol: ApiKeyRecord };
  errors: unknown[];
  close(): Promise<void>;
}

export interface WorldOptions {
  seed?: number;
  chain?: Chain;
  /** Markets left out of the venue at start (to be registered later). */
  withhold?: (m: SimMarket) => boolean;
  bookDump?: 'array' | 'single';
}

function key(venue: SimVenue, owner: Address): ApiKeyRecord {
  const created = venue.apiKeys.create(owner, 0n);
  if (!created.ok) throw new Error(created.reason);
  return created.value;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const seed = options.seed ?? 4;
  const clock = new ManualClock(NOW);
  const full = generateCatalog({ seed, now: NOW });
  const catalog: Catalog = {
    markets: full.markets.filter((m) => !(options.withhold?.(m) ?? false)),
    events: full.events,
  };
  const errors: unknown[] = [];
  const venue = new SimVenue({
    seed,
    catalog,
    clock,
    ...(options.chain ? { chain: options.chain } : {}),
    blockTimeMs: 2000,
    confirmDelayMs: 1000,
    onError: (e) => errors.push(e),
  });
  const server = await startClobWsServer({
    venue,
    now: () => clock.now(),
    ...(options.bookDump ? { bookDump: options.bookDump } : {}),
  });
  const market = catalog.markets.find((m) => !m.negRisk && m.tickSize === 10_000);
  if (market === undefined) throw new Error(`seed ${seed} has no plain 0.01-tick market`);
  for (const who of [ALICE, BOB, CAROL]) {
    venue.engine.deposit(who, usdc(1_000 * MICRO));
    venue.engine.split(who, market.conditionId, shares(100 * MICRO));
  }
  return {
    clock,
    catalog,
    venue,
    server,
    market,
    yes: market.tokens[0].tokenId,
    no: market.tokens[1].tokenId,
    keys: { alice: key(venue, ALICE), bob: key(venue, BOB), carol: key(venue, CAROL) },
    errors,
    async close() {
      await server.close();
      venue.close();
    },
  };
}

let orderCounter = 0;

/** An order at `price` for `size` shares; a FOK/FAK BUY spends size x price pUSD (a market buy). */
export function order(
  owner: ApiKeyRecord,
  tokenId: string,
  side: Side,
  price: string,
  size: string,
  orderType: OrderType = 'GTC',
): OrderRequest {
  const sharesAmount = parseMicro(size);
  const cash = mulDiv(sharesAmount, parseMicro(price), MICRO, 'floor');
  const [makerAmount, takerAmount] = side === 'BUY' ? [cash, sharesAmount] : [sharesAmount, cash];
  return {
    id: `0x${(++orderCounter).toString(16).padStart(64, '0')}`,
    owner: owner.key,
    maker: owner.owner.toLowerCase(),
    tokenId,
    side,
    makerAmount: makerAmount as Micro,
    takerAmount: takerAmount as Micro,
    orderType,
    expiration: 0,
  };
}

export type Message = Record<string, unknown> & { event_type?: string };

/** A raw websocket client that records every text frame. */
export class ClobProbe {
  readonly ws: WebSocket;
  readonly frames: string[] = [];
  closed = false;
  closeCode: number | undefined;
  #waiters: (() => void)[] = [];

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (data, isBinary) => {
      if (!isBinary) this.frames.push(data.toString());
      this.#wake();
    });
    this.ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
      this.#wake();
    });
    this.ws.on('error', () => {});
  }

  static async open(url: string): Promise<ClobProbe> {
    const p = new ClobProbe(url);
    await new Promise<void>((resolve, reject) => {
      p.ws.once('open', () => resolve());
      p.ws.once('error', reject);
    });
    return p;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  send(frame: string | object): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Every JSON message, array frames flattened, in arrival order. */
  messages(): Message[] {
    return this.frames
      .filter((f) => f !== 'PONG')
      .flatMap((f) => {
        const parsed = JSON.parse(f) as Message | Message[];
        return Array.isArray(parsed) ? parsed : [parsed];
      });
  }

  of(eventType: string): Message[] {
    return this.messages().filter((m) => m.event_type === eventType);
  }

  /** Resolves once `test()` holds; rejects after `timeoutMs`. */
  async until(test: () => boolean, timeoutMs = 3_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting on the websocket; frames: ${this.frames.join(' | ')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** After the PONG, the server has handled every frame sent before the PING and sent what followed. */
  async roundTrip(): Promise<void> {
    const before = this.frames.filter((f) => f === 'PONG').length;
    this.send('PING');
    await this.until(() => this.frames.filter((f) => f === 'PONG').length > before);
  }

  /** Forgets what arrived so far. */
  clear(): void {
    this.frames.length = 0;
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Subscribes a market-channel probe and waits until the server has handled it. */
export async function marketProbe(world: World, frame: object): Promise<ClobProbe> {
  const p = await ClobProbe.open(world.server.marketUrl);
  p.send(frame);
  await p.roundTrip();
  return p;
}

/** Authenticates a user-channel probe with `key`'s credentials. */
export async function userProbe(world: World, key: ApiKeyRecord, markets: string[] = []): Promise<ClobProbe> {
  const p = await ClobProbe.open(world.server.userUrl);
  p.send({
    auth: { apiKey: key.key, secret: key.secret, passphrase: key.passphrase },
    markets,
    type: 'user',
  });
  await p.roundTrip();
  return p;
}

/** Lets the event loop run (server sends that are already queued arrive). */
export const tick = () => new Promise((r) => setTimeout(r, 20));
