/**
 * What the simulator serves parses with the same schemas as Polymarket's captures: Gamma's
 * markets and events, the Data API's v1 rows and v2 pages, RTDS activity messages, and `/book`.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { clobBookSchema } from '../../../src/polymarket/clob/schemas/index.ts';
import {
  dataApiV1ActivityListSchema,
  dataApiV1PositionListSchema,
  dataApiV1TradeListSchema,
  dataApiV2ActivityPageSchema,
  dataApiV2PositionsPageSchema,
  dataApiV2TradesPageSchema,
} from '../../../src/polymarket/data-api/index.ts';
import {
  gammaEventsSchema,
  gammaMarketSchema,
  gammaMarketsKeysetPageSchema,
  gammaMarketsSchema,
} from '../../../src/polymarket/gamma/index.ts';
import { rtdsActivityTradeMessageSchema } from '../../../src/polymarket/rtds/index.ts';
import { EMPTY_SNAPSHOT, renderGammaMarket } from '../../../src/sim/catalog/gamma.ts';
import { registerGammaRoutes } from '../../../src/sim/catalog/gamma-routes.ts';
import { generateCatalog } from '../../../src/sim/catalog/generate.ts';
import { type RtdsServer, startRtdsServer } from '../../../src/sim/feeds/rtds-server.ts';
import { ALICE, BOB, CAROL, fund, harness, limit } from '../../sim/engine/helpers.ts';
import { LAG_MS, makeWorld, startDataApi, type World, WsProbe, wallet } from '../../sim/feeds/fixture.ts';

const NOW = Date.UTC(2026, 10, 21, 12);

describe('simulated Gamma', () => {
  const catalog = generateCatalog({ seed: 5, now: NOW, binaryMarkets: 4, negRiskEvents: [3] });
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify();
    registerGammaRoutes(app, {
      markets: () => catalog.markets,
      events: () => catalog.events,
      snapshot: () => EMPTY_SNAPSHOT,
      now: () => NOW,
    });
    await app.ready();
  });
  afterAll(() => app.close());

  const get = async (url: string): Promise<unknown> => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  it('/markets: every market parses, its token ids decoded in outcome order', async () => {
    const markets = gammaMarketsSchema.parse(await get('/markets?limit=100'));
    expect(markets).toHaveLength(catalog.markets.length);
    for (const [i, m] of markets.entries()) {
      const sim = catalog.markets[i]!;
      expect(m.clobTokenIds).toEqual(sim.tokens.map((t) => t.tokenId));
      expect(m.outcomes).toEqual(['Yes', 'No']);
      expect(m.negRisk).toBe(sim.negRisk);
    }
  });

  it('/markets/keyset, /markets/{id} and /events parse', async () => {
    const page = gammaMarketsKeysetPageSchema.parse(await get('/markets/keyset?limit=3'));
    expect(page.markets).toHaveLength(3);
    expect(typeof page.next_cursor).toBe('string');
    gammaMarketSchema.parse(await get(`/markets/${catalog.markets[0]!.id}`));
    const events = gammaEventsSchema.parse(await get('/events?limit=100'));
    expect(events.flatMap((e) => e.markets ?? []).length).toBe(catalog.markets.length);
  });

  it('a market with a live book and trades renders into the schema too', () => {
    const m = catalog.markets.find((x) => x.negRisk)!;
    const event = catalog.events.find((e) => e.id === m.eventId)!;
    const members = catalog.markets.filter((x) => event.marketIds.includes(x.id));
    const snapshot = {
      bestBid: 231_000 as never,
      bestAsk: 233_000 as never,
      lastTradePrice: 232_000 as never,
      volume: 12_345_678_900,
    };
    const parsed = gammaMarketSchema.parse(renderGammaMarket(m, event, members, snapshot, NOW));
    expect(parsed).toMatchObject({ bestBid: 0.231, bestAsk: 0.233, outcomePrices: ['0.232', '0.768'] });
  });
});

describe('simulated Data API', () => {
  let world: World;
  let api: Awaited<ReturnType<typeof startDataApi>>;
  const taker = wallet();
  const maker = wallet();

  beforeAll(async () => {
    world = makeWorld();
    const resolved = world.fills.market(1);
    api = await startDataApi(world.hub, { isResolved: (c) => c === resolved.conditionId });
    // A taker BUY against a SELL, a MINT on another market, and a redeem (a non-trade row).
    world.hub.publish(
      world.fills.match(world.fills.market(0), [
        { wallet: taker, side: 'BUY', outcome: 0, size: 15, price: 520_000, fee: 187_200 },
        { wallet: maker, side: 'SELL', outcome: 0, size: 15, price: 520_000 },
      ]),
    );
    world.clock.advance(1_000);
    world.hub.publish(
      world.fills.match(resolved, [
        { wallet: taker, side: 'BUY', outcome: 1, size: 10, price: 30_000 },
        { wallet: maker, side: 'BUY', outcome: 0, size: 10, price: 970_000 },
      ]),
    );
    world.clock.advance(1_000);
    world.hub.publish([world.fills.redeem(resolved, maker, 0, 4, 4)]);
    world.clock.advance(LAG_MS);
  });
  afterAll(() => api.close());

  const get = async (path: string): Promise<unknown> => {
    const { status, body } = await api.get(path);
    expect(status).toBe(200);
    return body;
  };

  it('v1 /activity, /trades and /positions rows parse (a REDEEM row included)', async () => {
    for (const w of [taker, maker]) {
      const activity = dataApiV1ActivityListSchema.parse(await get(`/activity?user=${w}`));
      expect(activity.length).toBeGreaterThanOrEqual(2);
      const trades = dataApiV1TradeListSchema.parse(await get(`/trades?user=${w}&takerOnly=false`));
      expect(trades).toHaveLength(2);
      expect(dataApiV1PositionListSchema.parse(await get(`/positions?user=${w}`)).length).toBeGreaterThan(0);
    }
    const redeem = dataApiV1ActivityListSchema
      .parse(await get(`/activity?user=${maker}`))
      .find((r) => r.type === 'REDEEM');
    expect(redeem).toMatchObject({ side: null, size: 4, usdcSize: 4 });
    const positions = dataApiV1PositionListSchema.parse(await get(`/positions?user=${maker}`));
    expect(positions.some((p) => p.redeemable)).toBe(true);
  });

  it('v2 /trades, /activity and /positions pages parse, mid-list and last pages alike', async () => {
    const first = dataApiV2TradesPageSchema.parse(await get(`/v2/trades?user=${taker}&limit=1`));
    expect(first.pagination.has_more).toBe(true);
    const cursor = first.pagination.next_cursor!;
    const last = dataApiV2TradesPageSchema.parse(
      await get(`/v2/trades?user=${taker}&limit=1&cursor=${encodeURIComponent(cursor)}`),
    );
    expect(last.pagination).toMatchObject({ has_more: false, next_cursor: null });
    for (const w of [taker, maker]) {
      expect(
        dataApiV2ActivityPageSchema.parse(await get(`/v2/activity?user=${w}`)).data.length,
      ).toBeGreaterThan(1);
      expect(
        dataApiV2PositionsPageSchema.parse(await get(`/v2/positions?user=${w}`)).data.length,
      ).toBeGreaterThan(0);
    }
    const closed = dataApiV2PositionsPageSchema.parse(await get(`/v2/positions?user=${taker}&status=CLOSED`));
    expect(closed.data.every((p) => p.status === 'CLOSED')).toBe(true);
  });
});

describe('simulated RTDS', () => {
  let world: World;
  let rtds: RtdsServer;

  beforeAll(async () => {
    world = makeWorld();
    rtds = await startRtdsServer({ hub: world.hub, keepaliveMs: 0, protocolPingMs: 0 });
  });
  afterAll(() => rtds.close());

  it('every activity message (trades and orders_matched) parses', async () => {
    const probe = new WsProbe(rtds.url);
    await probe.opened();
    probe.subscribe([{ topic: 'activity', type: '*' }]);
    await probe.roundTrip();
    world.hub.publish(
      world.fills.match(world.fills.market(0), [
        { wallet: wallet(), side: 'BUY', outcome: 0, size: 15, price: 520_000, fee: 187_200 },
        { wallet: wallet(), side: 'SELL', outcome: 0, size: 10, price: 520_000 },
        { wallet: wallet(), side: 'SELL', outcome: 0, size: 5, price: 520_000 },
      ]),
    );
    const data = () => probe.frames.filter((f) => f.includes('payload'));
    await probe.until(() => data().length === 4);
    const messages = z.array(rtdsActivityTradeMessageSchema).parse(data().map((f) => JSON.parse(f)));
    expect(messages.map((m) => m.type).sort()).toEqual(['orders_matched', 'trades', 'trades', 'trades']);
    expect(messages.filter((m) => m.payload.fee !== undefined)).toHaveLength(2); // the taker's two
    probe.close();
  });
});

describe('simulated /book', () => {
  const market = generateCatalog({ seed: 9, now: NOW, binaryMarkets: 1, negRiskEvents: [] }).markets[0]!;
  const [yes, no] = market.tokens.map((t) => t.tokenId) as [string, string];

  it('parses empty, with resting orders on both sides, and after a trade, for both tokens', () => {
    const h = harness({ conditionId: market.conditionId, yesTokenId: yes, noTokenId: no, negRisk: true });
    const empty = clobBookSchema.parse(h.engine.bookFor(yes));
    expect(empty).toMatchObject({ bids: [], asks: [], last_trade_price: null, neg_risk: true });

    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '100');
    fund(h.engine, CAROL, '100');
    h.engine.submit(limit(CAROL, 'BUY', yes, '0.30', '5'));
    h.engine.submit(limit(BOB, 'BUY', no, '0.30', '5')); // a YES ask at 0.70
    h.engine.submit(limit(ALICE, 'BUY', yes, '0.60', '10'));
    const mint = h.engine.submit(limit(BOB, 'BUY', no, '0.40', '6')); // a MINT at 0.60 / 0.40
    expect(mint.events.some((e) => e.type === 'trade')).toBe(true);
    for (const token of [yes, no]) {
      const book = clobBookSchema.parse(h.engine.bookFor(token));
      expect(book.bids.length).toBeGreaterThan(0);
      expect(book.asks.length).toBeGreaterThan(0);
      expect(book.last_trade_price).not.toBeNull();
    }
  });
});
