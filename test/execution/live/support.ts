/**
 * The live broker's test world: the whole simulator (its CLOB REST verifies signatures and HMACs)
 * without a chain or synthetic traders, so a book holds exactly what a test puts there; brokers on
 * fixed test keys; maker orders rested straight into the venue; and a fetch that can be watched or
 * broken on the way to the venue.
 */
import { type AddressInfo, createServer } from 'node:net';
import type { Address, Hex } from 'viem';
import { afterEach, beforeEach } from 'vitest';
import { type Clock, systemClock } from '../../../src/core/clock.ts';
import { createLogger } from '../../../src/core/logger.ts';
import {
  MICRO,
  notional,
  type Price,
  type Shares,
  shares,
  type Usdc,
  usdc,
} from '../../../src/core/money.ts';
import { LiveBroker, type LiveBrokerOptions } from '../../../src/execution/live/live-broker.ts';
import {
  RATE_LIMIT_TIERS,
  SignerRateLimits,
  tierBuckets,
} from '../../../src/execution/live/signer-limits.ts';
import { SignerLocks } from '../../../src/execution/live/signer-lock.ts';
import type { FetchLike } from '../../../src/execution/live/transport.ts';
import { type LiveVenue, type OrderIntent, OrderManager } from '../../../src/execution/order-manager.ts';
import type { Preflight } from '../../../src/execution/preflight/index.ts';
import { createQuoteSource } from '../../../src/execution/quotes.ts';
import { createMarketCatalog } from '../../../src/market-data/catalog.ts';
import type { SimMarket } from '../../../src/sim/catalog/model.ts';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../../src/sim/simulator.ts';
import type { Engine, Store } from '../../../src/store/index.ts';
import { testWallet } from '../../polymarket/clob/official-client.ts';
import { openTestStore, type TestStore } from '../../support/engines.ts';
import { orderId } from '../../support/sim-orders.ts';

export const silent = createLogger({ level: 'silent', format: 'json' });

/** Dollars, shares and prices as micro-units, for readable test numbers. */
export const px = (n: number) => Math.round(n * MICRO) as Price;
export const sh = (n: number) => Math.round(n * MICRO) as Shares;
export const usd = (n: number) => Math.round(n * MICRO) as Usdc;

/** A wallet that is never ours: it rests the liquidity our orders trade against. */
export const MAKER = '0x00000000000000000000000000000000000a11ce';

export interface LiveWorld {
  sim: Simulator;
  /** A binary (not neg-risk) market with a 0.01 tick. */
  market: SimMarket;
  yes: string;
  no: string;
  /** A neg-risk market, for the exchange-dependent hash. */
  negRiskMarket: SimMarket;
  /** Rests a GTC of MAKER on the venue's book; returns its id. */
  rest(tokenId: string, side: 'BUY' | 'SELL', price: number, size: number): Promise<string>;
  stop(): Promise<void>;
}

let nextMakerOrder = 50_000;

export async function startLiveWorld(options: SimulatorOptions = {}): Promise<LiveWorld> {
  const sim = await startSimulator({ seed: 7, chain: false, traders: false, ...options });
  const markets = sim.venue.catalog.markets;
  const market = markets.find((m) => !m.negRisk && m.tickSize === 10_000 && m.active && !m.closed);
  const negRiskMarket = markets.find((m) => m.negRisk && m.active && !m.closed);
  if (!market || !negRiskMarket) {
    await sim.stop();
    throw new Error('the seed has no open binary market with a 0.01 tick, or no neg-risk market');
  }
  const { engine } = sim.venue;
  engine.deposit(MAKER, usdc(1_000_000 * MICRO));
  engine.split(MAKER, market.conditionId, shares(100_000 * MICRO));
  return {
    sim,
    market,
    yes: market.tokens[0].tokenId,
    no: market.tokens[1].tokenId,
    negRiskMarket,
    async rest(tokenId, side, p, size) {
      const s = sh(size);
      const cash = notional(s, px(p), 'ceil');
      const id = orderId(nextMakerOrder++);
      const { result } = await sim.venue.submit({
        id,
        owner: 'key-maker',
        maker: MAKER,
        tokenId,
        side,
        makerAmount: side === 'BUY' ? cash : s,
        takerAmount: side === 'BUY' ? s : cash,
        orderType: 'GTC',
        expiration: 0,
      });
      if (!result.success || result.status !== 'live') {
        throw new Error(`maker order did not rest: ${JSON.stringify(result)}`);
      }
      return id;
    },
    stop: () => sim.stop(),
  };
}

export interface TestBroker {
  broker: LiveBroker;
  address: Address;
  privateKey: Hex;
}

/** Fast retries for tests: the real policy (1 s, 2 s, 4 s) is checked on its own. */
export const FAST_RETRY = { initialMs: 5, maxMs: 20, maxRetries: 3 };

/**
 * A broker for the wallet named `label`, funded with `fund` pUSD (and `sets` YES+NO complete sets
 * of the world's market), with its own locks and limits unless given.
 */
export async function brokerFor(
  world: LiveWorld,
  label: string,
  over: Partial<LiveBrokerOptions> & { fund?: number; sets?: number } = {},
): Promise<TestBroker> {
  const { fund = 1_000, sets = 0, ...rest } = over;
  const wallet = testWallet(`live broker: ${label}`);
  const options: LiveBrokerOptions = {
    clobUrl: world.sim.urls.clob,
    chainId: 137,
    privateKey: wallet.privateKey,
    signatureType: 0,
    clock: systemClock as Clock,
    logger: silent,
    retry: FAST_RETRY,
    locks: new SignerLocks(),
    rateLimits: new SignerRateLimits(tierBuckets(RATE_LIMIT_TIERS.elite, 1)),
    timeoutMs: 5_000,
    ...rest,
  };
  const broker = new LiveBroker(options);
  const holder = broker.funder;
  if (fund > 0) world.sim.venue.engine.deposit(holder, usd(fund));
  if (sets > 0) world.sim.venue.engine.split(holder, world.market.conditionId, sh(sets));
  await broker.ensureApiCreds();
  return { broker, address: wallet.address, privateKey: wallet.privateKey };
}

export interface WatchedFetch {
  fetch: FetchLike;
  /** Every request that reached the wrapper: method and path. */
  calls: { method: string; path: string; at: number }[];
  /** Sets how the next matching request is handled. */
  next(handler: (input: string, init: RequestInit, real: FetchLike) => Promise<Response>): void;
}

/** A fetch that records requests and can be made to misbehave once per `next` call. */
export function watchedFetch(): WatchedFetch {
  const calls: WatchedFetch['calls'] = [];
  const handlers: ((input: string, init: RequestInit, real: FetchLike) => Promise<Response>)[] = [];
  const real: FetchLike = (input, init) => fetch(input, init);
  return {
    calls,
    next: (handler) => handlers.push(handler),
    fetch: (input, init) => {
      calls.push({ method: init.method ?? 'GET', path: new URL(input).pathname, at: performance.now() });
      const handler = init.method === 'POST' ? handlers.shift() : undefined;
      return handler ? handler(input, init, real) : real(input, init);
    },
  };
}

/** A port nothing listens on (bound, then closed): connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const postsTo = (w: WatchedFetch, path: string) =>
  w.calls.filter((c) => c.method === 'POST' && c.path === path).length;

/**
 * An order manager whose live orders go to `venue`, pricing from the world's books and catalog,
 * with the venue-side preflight when given.
 */
export function liveManager(
  store: Store,
  world: LiveWorld,
  venue: LiveVenue | null,
  preflight?: Pick<Preflight, 'checkBuy' | 'checkSell'>,
): OrderManager {
  return new OrderManager({
    store,
    clock: systemClock,
    logger: silent,
    quotes: createQuoteSource({
      feed: null,
      restUrl: world.sim.urls.clob,
      clock: systemClock,
      logger: silent,
    }),
    catalog: createMarketCatalog({ store, gammaUrl: world.sim.urls.gamma, now: () => Date.now() }),
    limits: () => ({}),
    liveVenue: () => venue,
    ...(preflight ? { livePreflight: () => preflight } : {}),
  });
}

let nextLiveKey = 1;

/** A live FOK BUY of 10 YES at 0.40 for `accountId`, with `over` on top. */
export function liveIntent(
  world: LiveWorld,
  accountId: number,
  over: Partial<OrderIntent> = {},
): OrderIntent {
  return {
    idempotencyKey: `live:${nextLiveKey++}`,
    origin: 'manual',
    accountId,
    followConfigId: null,
    leaderTradeId: null,
    leaderAddress: null,
    conditionId: world.market.conditionId,
    tokenId: world.yes,
    side: 'BUY',
    size: sh(10),
    limitPrice: px(0.4),
    orderType: 'FOK',
    ttlMs: null,
    leaderPrice: null,
    leaderTradeUsdc: null,
    catchUp: false,
    live: true,
    ...over,
  };
}

/** A live account row (the live tests' orders belong to it); returns its id. */
export async function insertLiveAccount(store: Store): Promise<number> {
  const now = Date.now();
  const row = await store.db
    .insertInto('accounts')
    .values({
      name: 'live',
      address: '0x00000000000000000000000000000000000000aa',
      signature_type: 0,
      mode: 'live',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface LiveBed {
  readonly world: LiveWorld;
  readonly store: Store;
  /** The live account the bed's orders belong to. */
  readonly accountId: number;
}

/**
 * Per test (its own beforeEach/afterEach): a live world with 100 YES offered at 0.40, a fresh
 * store on `engine` and a live account in it. Read the fields inside tests, not at declaration.
 */
export function liveBed(engine: Engine, options: SimulatorOptions = {}): LiveBed {
  let world: LiveWorld | undefined;
  let t: TestStore | undefined;
  let accountId = 0;
  beforeEach(async () => {
    world = await startLiveWorld(options);
    await world.rest(world.yes, 'SELL', 0.4, 100);
    t = await openTestStore(engine);
    accountId = await insertLiveAccount(t.store);
  });
  afterEach(async () => {
    await t?.dispose();
    await world?.stop();
  });
  return {
    get world() {
      return world!;
    },
    get store() {
      return t!.store;
    },
    get accountId() {
      return accountId;
    },
  };
}
