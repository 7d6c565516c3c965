import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMarketCatalog, payoutOf } from '../../src/market-data/catalog.ts';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import { openTestStore, type TestStore } from '../support/engines.ts';

describe('market catalog (Gamma, cached in the database)', () => {
  let sim: Simulator;
  let t: TestStore;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, chain: false, traders: false });
  });
  afterAll(async () => {
    await sim?.stop();
  });
  beforeEach(async () => {
    t = await openTestStore('sqlite');
  });
  afterEach(async () => {
    await t.dispose();
  });

  const counting = () => {
    const urls: string[] = [];
    const fetchCounted: typeof fetch = (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    };
    return { urls, fetch: fetchCounted };
  };
  const catalogOf = (f?: typeof fetch) =>
    createMarketCatalog({
      store: t.store,
      gammaUrl: sim.urls.gamma,
      now: () => Date.now(),
      ...(f ? { fetch: f } : {}),
    });

  it('reads a market by token once, with tick, minimum size, fee rate and outcomes', async () => {
    const market = sim.venue.catalog.markets.find((m) => !m.negRisk && m.feeSchedule.rate > 0)!;
    const f = counting();
    const catalog = catalogOf(f.fetch);
    const [a, b] = await Promise.all([
      catalog.byToken(market.tokens[1].tokenId),
      catalog.byToken(market.tokens[1].tokenId),
    ]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({
      conditionId: market.conditionId,
      tickSize: market.tickSize,
      minSize: market.minSize,
      feeRate: market.feeSchedule.rate,
      closed: false,
      acceptingOrders: true,
      tokens: market.tokens.map((tok, i) => ({
        tokenId: tok.tokenId,
        outcome: tok.outcome,
        outcomeIndex: i,
        winner: null,
      })),
    });
    expect(f.urls).toHaveLength(1);
    // A second catalog over the same database (a restart) asks Gamma nothing.
    const again = catalogOf(f.fetch);
    expect(await again.byCondition(market.conditionId)).toMatchObject({ conditionId: market.conditionId });
    expect(f.urls).toHaveLength(1);
  });

  it('sees a resolution on refresh: the winner pays 1, the loser 0', async () => {
    const market = sim.venue.catalog.markets.filter((m) => !m.negRisk)[1]!;
    const catalog = catalogOf();
    expect((await catalog.byCondition(market.conditionId))?.closed).toBe(false);
    sim.venue.engine.resolveMarket(market.conditionId, market.tokens[1].tokenId);
    const resolved = (await catalog.refresh(market.conditionId))!;
    expect(resolved.closed).toBe(true);
    expect(resolved.acceptingOrders).toBe(false);
    expect(payoutOf(resolved, market.tokens[1].tokenId)).toBe(1_000_000);
    expect(payoutOf(resolved, market.tokens[0].tokenId)).toBe(0);
  });

  it('returns null for a token Gamma does not know', async () => {
    expect(await catalogOf().byToken('12345')).toBeNull();
  });
});
