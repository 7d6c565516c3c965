/** Tick size, neg risk and fees per token, from the venue's /clob-markets, cached. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MarketParamsCache, paramsFromDetails } from '../../../src/execution/live/market-params.ts';
import { type LiveWorld, startLiveWorld, watchedFetch } from './support.ts';

let world: LiveWorld;
beforeAll(async () => {
  world = await startLiveWorld({ seed: 13 });
});
afterAll(async () => {
  await world?.stop();
});

describe('paramsFromDetails', () => {
  it('reads MarketDetails as the client does (nr omitted = false, fees from fd)', () => {
    const params = paramsFromDetails(
      {
        c: '0xABCD',
        t: [
          { t: '1', o: 'Yes' },
          { t: '2', o: 'No' },
        ],
        mts: 0.001,
        fd: { r: 0.07, e: 1, to: true },
        mos: 5,
      },
      42,
    );
    expect(params).toEqual([
      expect.objectContaining({
        tokenId: '1',
        conditionId: '0xabcd',
        tickSize: 1_000,
        negRisk: false,
        feeRate: 70_000,
        minOrderSize: 5_000_000,
        fetchedAt: 42,
      }),
      expect.objectContaining({ tokenId: '2', tickSize: 1_000 }),
    ]);
  });
});

describe('MarketParamsCache on the simulator', () => {
  it('fetches once per market (both tokens), shares a fetch in flight, and refetches after invalidate or ttl', async () => {
    const watch = watchedFetch();
    let now = 0;
    const cache = new MarketParamsCache({
      clobUrl: world.sim.urls.clob,
      fetch: watch.fetch,
      now: () => now,
      wallNow: Date.now,
      ttlMs: 1_000,
    });
    const m = world.negRiskMarket;
    const [a, b] = await Promise.all([cache.get(m.tokens[0].tokenId), cache.get(m.tokens[0].tokenId)]);
    expect(a).toBe(b);
    expect(a).toMatchObject({
      conditionId: m.conditionId.toLowerCase(),
      negRisk: true,
      tickSize: m.tickSize,
      feeRate: m.feeSchedule.rate,
    });
    expect(await cache.get(m.tokens[1].tokenId)).toMatchObject({ negRisk: true });
    expect(watch.calls.map((c) => c.path.split('/')[1])).toEqual(['markets-by-token', 'clob-markets']);

    cache.invalidate(m.tokens[1].tokenId);
    expect(cache.peek(m.tokens[0].tokenId)).toBeUndefined();
    await cache.get(m.tokens[0].tokenId);
    now = 1_000;
    expect(cache.peek(m.tokens[0].tokenId)).toBeUndefined();
    await cache.get(m.tokens[0].tokenId);
    expect(watch.calls).toHaveLength(6);
  });

  it('an unknown token is a 404 from the venue', async () => {
    const cache = new MarketParamsCache({
      clobUrl: world.sim.urls.clob,
      fetch: (i, init) => fetch(i, init),
      now: () => 0,
      wallNow: Date.now,
    });
    await expect(cache.get('123')).rejects.toMatchObject({ status: 404 });
  });
});
