import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_SNAPSHOT, renderGammaMarket } from '../../../src/sim/catalog/gamma.ts';
import { registerGammaRoutes } from '../../../src/sim/catalog/gamma-routes.ts';
import { generateCatalog } from '../../../src/sim/catalog/generate.ts';
import type { SimMarket } from '../../../src/sim/catalog/model.ts';
import { readSample, shapeOf } from '../../support/shape.ts';

const NOW = Date.UTC(2026, 10, 21, 12);

describe('generateCatalog', () => {
  it('is the same for the same seed and different for another', () => {
    const a = generateCatalog({ seed: 7, now: NOW });
    expect(generateCatalog({ seed: 7, now: NOW })).toEqual(a);
    expect(generateCatalog({ seed: 8, now: NOW }).markets[0]!.conditionId).not.toBe(
      a.markets[0]!.conditionId,
    );
  });

  it('makes binary markets and neg-risk events whose YES fair values sum to about 1', () => {
    const { markets, events } = generateCatalog({
      seed: 1,
      now: NOW,
      binaryMarkets: 3,
      negRiskEvents: [4, 3],
    });
    expect(markets).toHaveLength(3 + 4 + 3);
    const negRisk = events.filter((e) => e.negRisk);
    expect(negRisk.map((e) => e.marketIds.length)).toEqual([4, 3]);
    for (const e of negRisk) {
      const members = markets.filter((m) => e.marketIds.includes(m.id));
      expect(members.every((m) => m.negRisk && m.negRiskMarketId === e.negRiskMarketId)).toBe(true);
      const sum = members.reduce((s, m) => s + m.initialFairValue, 0);
      expect(Math.abs(sum - 1_000_000)).toBeLessThanOrEqual(60_000);
    }
    for (const m of markets) {
      expect(m.conditionId).toMatch(/^0x[0-9a-f]{64}$/);
      expect(m.tokens.map((t) => t.outcome)).toEqual(['Yes', 'No']);
      for (const t of m.tokens) expect(t.tokenId).toMatch(/^[1-9]\d{76}$/);
      expect(m.initialFairValue % m.tickSize).toBe(0);
    }
    const tokenIds = markets.flatMap((m) => m.tokens.map((t) => t.tokenId));
    expect(new Set(tokenIds).size).toBe(tokenIds.length);
  });
});

describe('Gamma rendering', () => {
  it('has the same shape as a real Gamma market (samples/gamma_market.json)', () => {
    const { markets, events } = generateCatalog({ seed: 3, now: NOW });
    const m = markets.find((x) => x.negRisk)!;
    const event = events.find((e) => e.id === m.eventId)!;
    const members = markets.filter((x) => event.marketIds.includes(x.id));
    const rendered = renderGammaMarket(
      m,
      event,
      members,
      {
        bestBid: 231_000 as never,
        bestAsk: 233_000 as never,
        lastTradePrice: 232_000 as never,
        volume: 12_345_678_900,
      },
      NOW,
    );
    expect(shapeOf(rendered)).toEqual(shapeOf(readSample('gamma_market.json')));
    expect(JSON.parse(rendered.outcomePrices as string)).toEqual(['0.232', '0.768']);
    expect(JSON.parse(rendered.clobTokenIds as string)).toEqual(m.tokens.map((t) => t.tokenId));
  });

  it('falls back to the starting fair value when nothing has traded', () => {
    const m = generateCatalog({ seed: 3, now: NOW }).markets[0]!;
    const { events } = generateCatalog({ seed: 3, now: NOW });
    const rendered = renderGammaMarket(m, events[0]!, [m], EMPTY_SNAPSHOT, NOW);
    expect(JSON.parse(rendered.outcomePrices as string)[0]).toBe(String(m.initialFairValue / 1e6));
  });
});

describe('Gamma routes over HTTP', () => {
  let app: FastifyInstance;
  let base: string;
  const catalog = generateCatalog({ seed: 11, now: NOW, binaryMarkets: 5, negRiskEvents: [4] });
  let markets: SimMarket[] = [...catalog.markets];

  beforeAll(async () => {
    app = Fastify();
    registerGammaRoutes(app, {
      markets: () => markets,
      events: () => catalog.events,
      snapshot: () => EMPTY_SNAPSHOT,
      now: () => NOW,
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app.close();
  });

  const get = async (path: string) => {
    const res = await fetch(base + path);
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it('pages /markets with limit and offset', async () => {
    const first = await get('/markets?limit=4&offset=0');
    const second = await get('/markets?limit=4&offset=4');
    const ids = [...(first.body as { id: string }[]), ...(second.body as { id: string }[])].map((m) => m.id);
    expect(ids).toEqual(catalog.markets.slice(0, 8).map((m) => m.id));
  });

  it('filters by repeated condition_ids and clob_token_ids', async () => {
    const [a, b] = catalog.markets;
    const byCondition = await get(`/markets?condition_ids=${a!.conditionId}&condition_ids=${b!.conditionId}`);
    expect((byCondition.body as { id: string }[]).map((m) => m.id)).toEqual([a!.id, b!.id]);
    const byToken = await get(`/markets?clob_token_ids=${b!.tokens[1].tokenId}`);
    expect((byToken.body as { id: string }[]).map((m) => m.id)).toEqual([b!.id]);
  });

  it('walks /markets/keyset to the end with next_cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(`/markets/keyset?limit=3${cursor ? `&after_cursor=${cursor}` : ''}`);
      const body = page.body as { markets: { id: string }[]; next_cursor: string | null };
      seen.push(...body.markets.map((m) => m.id));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(catalog.markets.map((m) => m.id));
  });

  it('hides closed markets unless closed=true', async () => {
    markets = catalog.markets.map((m, i) => (i === 0 ? { ...m, closed: true, active: false } : m));
    const open = (await get('/markets?limit=100')).body as { id: string }[];
    expect(open.map((m) => m.id)).not.toContain(catalog.markets[0]!.id);
    const closed = (await get('/markets?closed=true')).body as { id: string; closed: boolean }[];
    expect(closed.map((m) => [m.id, m.closed])).toEqual([[catalog.markets[0]!.id, true]]);
    markets = [...catalog.markets];
  });

  it('lists events with their markets', async () => {
    const events = (await get('/events?limit=50')).body as {
      negRisk: boolean;
      markets: { negRisk: boolean }[];
    }[];
    const negRisk = events.filter((e) => e.negRisk);
    expect(negRisk).toHaveLength(1);
    expect(negRisk[0]!.markets).toHaveLength(4);
    expect(negRisk[0]!.markets.every((m) => m.negRisk)).toBe(true);
  });

  it('answers bad parameters with a clear 400 and unknown ids with 404', async () => {
    expect(await get('/markets?limit=-1')).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/limit/) },
    });
    expect(await get('/markets?closed=maybe')).toMatchObject({ status: 400 });
    expect(await get('/markets/keyset?limit=101')).toMatchObject({
      status: 400,
      body: { error: 'limit must be at most 100' },
    });
    expect(await get('/markets/keyset?after_cursor=garbage')).toMatchObject({ status: 400 });
    expect(await get('/markets/1')).toMatchObject({ status: 404 });
    expect((await get(`/markets/${catalog.markets[2]!.id}`)).body).toMatchObject({
      id: catalog.markets[2]!.id,
    });
  });
});
