/**
 * The execution tests' world: the simulator (no chain, no synthetic traders, so a book holds
 * exactly what a test rests on it), the catalog read from its Gamma, quotes from its REST /book,
 * and an order manager on a test store with a hand-driven clock.
 */
import { ManualClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/core/logger.ts';
import { MICRO, notional, type Price, type Shares, shares, usdc } from '../../src/core/money.ts';
import { type OrderEvent, type OrderIntent, OrderManager } from '../../src/execution/order-manager.ts';
import { createQuoteSource, type QuoteSource } from '../../src/execution/quotes.ts';
import { createMarketCatalog, type MarketCatalog } from '../../src/market-data/catalog.ts';
import type { RiskLimits } from '../../src/risk/index.ts';
import type { SimMarket } from '../../src/sim/catalog/model.ts';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import type { Store } from '../../src/store/index.ts';
import { orderId } from '../support/sim-orders.ts';

export const silent = createLogger({ level: 'silent', format: 'json' });

export const MAKER = '0x00000000000000000000000000000000000a11ce';

/** Dollars (or shares) as micro-units, rounded: for readable test numbers only. */
export const px = (n: number) => Math.round(n * MICRO) as Price;
export const sh = (n: number) => Math.round(n * MICRO) as Shares;

export interface SimWorld {
  sim: Simulator;
  /** A binary market with a taker fee and a 0.01 tick. */
  market: SimMarket;
  conditionId: string;
  yes: string;
  no: string;
  feeRate: number;
  /** Rests a maker order on the venue's book (GTC, prices and sizes in dollars and shares). */
  rest(tokenId: string, side: 'BUY' | 'SELL', price: number, size: number): Promise<void>;
  stop(): Promise<void>;
}

let nextOrder = 10_000;

export async function startWorld(seed = 1): Promise<SimWorld> {
  const sim = await startSimulator({ seed, chain: false, traders: false });
  const market = sim.venue.catalog.markets.find(
    (m) => !m.negRisk && m.feeSchedule.rate > 0 && m.tickSize === 10_000,
  );
  if (!market) {
    await sim.stop();
    throw new Error(`seed ${seed} has no binary market with fees and a 0.01 tick`);
  }
  const { engine } = sim.venue;
  engine.deposit(MAKER, usdc(1_000_000 * MICRO));
  engine.split(MAKER, market.conditionId, shares(100_000 * MICRO));
  return {
    sim,
    market,
    conditionId: market.conditionId.toLowerCase(),
    yes: market.tokens[0].tokenId,
    no: market.tokens[1].tokenId,
    feeRate: market.feeSchedule.rate,
    async rest(tokenId, side, price, size) {
      const s = sh(size);
      const cash = notional(s, px(price), 'ceil');
      const { result } = await sim.venue.submit({
        id: orderId(nextOrder++),
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
    },
    stop: () => sim.stop(),
  };
}

export interface Pipeline {
  clock: ManualClock;
  catalog: MarketCatalog;
  quotes: QuoteSource;
  orders: OrderManager;
  events: OrderEvent[];
}

/** An order manager on `store` against the simulator, with REST quotes (no websocket feed). */
export function pipeline(
  store: Store,
  world: SimWorld,
  options: { limits?: RiskLimits; clock?: ManualClock } = {},
): Pipeline {
  const clock = options.clock ?? new ManualClock(Date.now());
  const catalog = createMarketCatalog({ store, gammaUrl: world.sim.urls.gamma, now: () => clock.now() });
  const quotes = createQuoteSource({ feed: null, restUrl: world.sim.urls.clob, clock, logger: silent });
  const events: OrderEvent[] = [];
  const limits = options.limits ?? {};
  const orders = new OrderManager({
    store,
    clock,
    logger: silent,
    quotes,
    catalog,
    limits: () => limits,
    onOrder: (e) => events.push(e),
  });
  return { clock, catalog, quotes, orders, events };
}

/** An order intent for `world`'s market with the fields a test does not care about filled in. */
export function intent(
  world: SimWorld,
  over: Partial<OrderIntent> & Pick<OrderIntent, 'accountId' | 'side' | 'size' | 'limitPrice'>,
): OrderIntent {
  return {
    idempotencyKey: `test:${nextOrder++}`,
    origin: 'manual',
    followConfigId: null,
    leaderTradeId: null,
    leaderAddress: null,
    conditionId: world.conditionId,
    tokenId: world.yes,
    orderType: 'FOK',
    ttlMs: null,
    leaderPrice: null,
    leaderTradeUsdc: null,
    catchUp: false,
    ...over,
  };
}

/** The venue's taker fee, independently: floor(size x rate x p x (1 - p) / 1e18) to a multiple of 10. */
export function expectedFee(size: number, p: number, rate: number): number {
  const raw = (BigInt(size) * BigInt(rate) * BigInt(p) * BigInt(MICRO - p)) / BigInt(MICRO) ** 3n;
  return Number(raw - (raw % 10n));
}
