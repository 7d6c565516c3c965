/** A simulator with funded wallets, orders placed straight into its venue, and book comparisons. */
import { expect } from 'vitest';
import { MICRO, type Micro, mulDiv, parseMicro, shares, usdc } from '../../src/core/index.ts';
import { levelsFromWire } from '../../src/market-data/book/wire.ts';
import { BookFeed, type BookFeedOptions, type Level } from '../../src/market-data/index.ts';
import { clobBookSchema } from '../../src/polymarket/clob/index.ts';
import type { SimMarket } from '../../src/sim/catalog/model.ts';
import type { OrderRequest, OrderType, Side } from '../../src/sim/engine/index.ts';
import type { Simulator } from '../../src/sim/simulator.ts';

export const ALICE = '0x00000000000000000000000000000000000a11ce';
export const BOB = '0x0000000000000000000000000000000000000b0b';

/** A plain binary market on a 0.01 tick, with ALICE and BOB holding cash and shares of it. */
export function fundedMarket(sim: Simulator): SimMarket {
  const market = sim.venue.catalog.markets.find((m) => !m.negRisk && m.tickSize === 10_000);
  if (market === undefined) throw new Error('no plain 0.01-tick market');
  for (const who of [ALICE, BOB]) {
    sim.venue.engine.deposit(who, usdc(10_000 * MICRO));
    sim.venue.engine.split(who, market.conditionId, shares(1_000 * MICRO));
  }
  return market;
}

let counter = 0;

/** An order at `price` for `size` shares; a FOK/FAK BUY spends size x price. */
export function order(
  who: string,
  tokenId: string,
  side: Side,
  price: string,
  size: string,
  orderType: OrderType = 'GTC',
): OrderRequest {
  const amount = parseMicro(size);
  const cash = mulDiv(amount, parseMicro(price), MICRO, 'floor');
  const [makerAmount, takerAmount] = side === 'BUY' ? [cash, amount] : [amount, cash];
  return {
    id: `0x${(0xfeed0000 + ++counter).toString(16).padStart(64, '0')}`,
    owner: `key-${who}`,
    maker: who,
    tokenId,
    side,
    makerAmount: makerAmount as Micro,
    takerAmount: takerAmount as Micro,
    orderType,
    expiration: 0,
  };
}

export async function place(sim: Simulator, request: OrderRequest): Promise<void> {
  const { result } = await sim.venue.submit(request);
  expect(result.success, JSON.stringify(result)).toBe(true);
}

/** A feed on the simulator with test-sized timings; started. */
export function startFeed(sim: Simulator, options: Partial<BookFeedOptions> = {}): BookFeed {
  const feed = new BookFeed({
    url: `${sim.urls.clobWs}/market`,
    restUrl: sim.urls.clob,
    hashCheck: 'strict',
    settleMs: 20,
    resyncTimeoutMs: 400,
    backoff: { initialMs: 50, maxMs: 200 },
    ...options,
  });
  feed.start();
  return feed;
}

export interface RestLevels {
  bids: Level[];
  asks: Level[];
  hash: string;
}

/** The simulator's `GET /book`, best first. */
export async function restBook(sim: Simulator, tokenId: string): Promise<RestLevels> {
  const reply = clobBookSchema.parse(await (await fetch(`${sim.urls.clob}/book?token_id=${tokenId}`)).json());
  return {
    bids: levelsFromWire(reply.bids).reverse(),
    asks: levelsFromWire(reply.asks).reverse(),
    hash: reply.hash,
  };
}

/** The feed's synced book as best-first levels, or null when it has none. */
export function localBook(feed: BookFeed, tokenId: string): { bids: Level[]; asks: Level[] } | null {
  const book = feed.getBook(tokenId);
  return book ? { bids: [...book.levels('bid')], asks: [...book.levels('ask')] } : null;
}

/** Waits until the feed's book equals the simulator's REST book. */
export async function expectInSync(
  feed: BookFeed,
  sim: Simulator,
  tokenId: string,
  timeout = 5_000,
): Promise<void> {
  await expect
    .poll(
      async () => {
        const rest = await restBook(sim, tokenId);
        return (
          JSON.stringify(localBook(feed, tokenId)) === JSON.stringify({ bids: rest.bids, asks: rest.asks })
        );
      },
      { timeout, interval: 50 },
    )
    .toBe(true);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
