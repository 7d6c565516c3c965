/** Positions derived from fills: the pure fold, then `/positions`, `/v2/positions` and `/value` over HTTP. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Price, price } from '../../../src/core/money.ts';
import type { Hex } from '../../../src/sim/catalog/model.ts';
import { positionsFrom, valuePositions } from '../../../src/sim/feeds/positions.ts';
import { LAG_MS, makeWorld, startDataApi, type World, wallet } from './fixture.ts';

type Row = Record<string, unknown>;

let world: World;
let api: Awaited<ReturnType<typeof startDataApi>>;
const prices = new Map<string, Price>();
const resolved = new Set<string>();

beforeEach(async () => {
  world = makeWorld();
  prices.clear();
  resolved.clear();
  api = await startDataApi(world.hub, {
    currentPrice: (tokenId) => prices.get(tokenId) ?? null,
    isResolved: (conditionId) => resolved.has(conditionId),
  });
});
afterEach(() => api.close());

/** Buys 100 YES @0.40 and 50 YES @0.70, then sells 60 YES @0.80 (each a taker fill). */
function buysThenPartialSell(w: Hex) {
  const m = world.fills.market(0);
  world.hub.publish([world.fills.trade(m, w, 'BUY', 100, 400_000)]);
  world.clock.advance(1_000);
  world.hub.publish([world.fills.trade(m, w, 'BUY', 50, 700_000)]);
  world.clock.advance(1_000);
  world.hub.publish([world.fills.trade(m, w, 'SELL', 60, 800_000)]);
  world.clock.advance(LAG_MS);
  return m;
}

describe('positionsFrom (pure)', () => {
  it('keeps average cost through partial sells and realizes PnL exactly', () => {
    const w = wallet();
    buysThenPartialSell(w);
    const [p] = positionsFrom(world.hub.visibleOf(w));
    expect(p).toMatchObject({
      size: 90_000_000,
      cost: 45_000_000, // 75 paid, 30 of it sold off pro rata
      totalBought: 150_000_000,
      totalBoughtCost: 75_000_000,
      realizedPnl: 18_000_000, // 48 received - 30 cost
      lastTradePrice: 800_000,
    });
    const [v] = valuePositions([p!], { currentPrice: () => price(650_000), isResolved: () => false });
    expect(v).toMatchObject({
      avgPrice: 500_000,
      curPrice: 650_000,
      currentValue: 58_500_000,
      cashPnl: 13_500_000,
      status: 'OPEN',
    });
  });

  it('rounds pro-rata cost half-even and never goes below zero on an oversized sell', () => {
    const w = wallet();
    const m = world.fills.market(0);
    world.hub.publish([world.fills.trade(m, w, 'BUY', 3, 333_333)]); // cost 0.999999
    world.hub.publish([world.fills.trade(m, w, 'SELL', 1, 500_000)]);
    world.hub.publish([world.fills.trade(m, w, 'SELL', 5, 500_000)]); // 2 held, 3 never seen bought
    const [p] = positionsFrom(world.hub.all());
    expect(p!.size).toBe(0);
    expect(p!.cost).toBe(0);
    // 0.5 - 0.333333 + 2.5 - 0.666666 (tokens beyond the holding carry no cost)
    expect(p!.realizedPnl).toBe(500_000 - 333_333 + 2_500_000 - 666_666);
  });
});

describe('/positions, /v2/positions and /value', () => {
  it('shows size, average price, totals and PnL after buys and a partial sell', async () => {
    const w = wallet();
    const m = buysThenPartialSell(w);
    prices.set(m.tokens[0].tokenId, price(650_000));
    const rows = (await api.get(`/positions?user=${w}`)).body as Row[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      proxyWallet: w,
      asset: m.tokens[0].tokenId,
      conditionId: m.conditionId,
      size: 90,
      avgPrice: 0.5,
      initialValue: 45,
      currentValue: 58.5,
      cashPnl: 13.5,
      percentPnl: 30,
      totalBought: 150,
      realizedPnl: 18,
      percentRealizedPnl: 24,
      curPrice: 0.65,
      redeemable: false,
      mergeable: false,
      title: m.question,
      slug: m.slug,
      outcome: 'Yes',
      outcomeIndex: 0,
      oppositeOutcome: 'No',
      oppositeAsset: m.tokens[1].tokenId,
      negativeRisk: false,
    });
    expect((await api.get(`/value?user=${w}`)).body).toEqual([{ user: w, value: 58.5 }]);
    const v2 = ((await api.get(`/v2/positions?user=${w}`)).body as { data: Row[] }).data;
    expect(v2[0]).toMatchObject({
      current_size: 90,
      avg_price: 0.5,
      entry_cost_usdc: 45,
      entry_fees_usdc: 0,
      total_cost_usdc: 45,
      current_price: 0.65,
      current_value: 58.5,
      total_size: 150,
      realized_pnl: 18,
      unrealized_pnl: 13.5,
      total_pnl: 31.5,
      status: 'OPEN',
      event_id: Number(m.eventId),
      first_entry_at: Math.floor((world.clock.ms - LAG_MS - 2_000) / 1000),
      last_event_at: Math.floor((world.clock.ms - LAG_MS) / 1000),
    });
  });

  it('falls back to the last trade price when the provider knows none', async () => {
    const w = wallet();
    buysThenPartialSell(w);
    const [row] = (await api.get(`/positions?user=${w}`)).body as Row[];
    expect(row).toMatchObject({ curPrice: 0.8, currentValue: 72 });
  });

  it('keeps fees apart from the cost basis and prorates them on sells (v2)', async () => {
    const w = wallet();
    const m = world.fills.market(0);
    world.hub.publish(
      world.fills.match(m, [{ wallet: w, side: 'BUY', outcome: 0, size: 10, price: 500_000, fee: 250_000 }]),
    );
    world.hub.publish(
      world.fills.match(m, [{ wallet: w, side: 'SELL', outcome: 0, size: 4, price: 600_000, fee: 100_000 }]),
    );
    world.clock.advance(LAG_MS);
    const [row] = ((await api.get(`/v2/positions?user=${w}`)).body as { data: Row[] }).data;
    expect(row).toMatchObject({
      current_size: 6,
      avg_price: 0.5,
      entry_cost_usdc: 3,
      entry_fees_usdc: 0.15,
      total_cost_usdc: 3.15,
      // 2.4 received - 2 cost - 0.1 buy fee share - 0.1 sell fee
      realized_pnl: 0.2,
    });
  });

  it('flags mergeable while both outcomes are held, redeemable once resolved, and closes on redeem', async () => {
    const w = wallet();
    const m = buysThenPartialSell(w);
    world.hub.publish([world.fills.trade(m, w, 'BUY', 20, 300_000, 1)]);
    world.clock.advance(LAG_MS);
    const rows = (await api.get(`/positions?user=${w}&sortBy=TOKENS`)).body as Row[];
    expect(rows.map((r) => [r.outcome, r.size, r.mergeable, r.redeemable])).toEqual([
      ['Yes', 90, true, false],
      ['No', 20, true, false],
    ]);
    expect(((await api.get(`/positions?user=${w}&mergeable=true`)).body as Row[]).length).toBe(2);
    expect(
      ((await api.get(`/v2/positions?user=${w}&status=MERGEABLE`)).body as { data: Row[] }).data.length,
    ).toBe(2);

    resolved.add(m.conditionId);
    prices.set(m.tokens[0].tokenId, price(1_000_000));
    prices.set(m.tokens[1].tokenId, price(0));
    const after = (await api.get(`/positions?user=${w}&redeemable=true`)).body as Row[];
    expect(after.map((r) => [r.outcome, r.redeemable, r.mergeable, r.currentValue])).toEqual([
      ['Yes', true, false, 90],
      ['No', true, false, 0],
    ]);
    const v2 = async (status: string) =>
      ((await api.get(`/v2/positions?user=${w}&status=${status}`)).body as { data: Row[] }).data.map((r) => [
        r.outcome,
        r.status,
      ]);
    expect(await v2('OPEN')).toEqual([['Yes', 'REDEEMABLE']]);
    expect(await v2('REDEEMABLE_LOST')).toEqual([['No', 'REDEEMABLE_LOST']]);

    world.hub.publish([world.fills.redeem(m, w, 0, 90, 90)]);
    world.clock.advance(LAG_MS);
    expect(((await api.get(`/positions?user=${w}`)).body as Row[]).map((r) => r.outcome)).toEqual(['No']);
    const closed = ((await api.get(`/v2/positions?user=${w}&status=CLOSED`)).body as { data: Row[] }).data;
    expect(closed).toHaveLength(1);
    // 18 from the sale, then 90 paid out for 45 of remaining cost.
    expect(closed[0]).toMatchObject({ outcome: 'Yes', status: 'CLOSED', current_size: 0, realized_pnl: 63 });
    expect((await api.get(`/value?user=${w}`)).body).toEqual([{ user: w, value: 0 }]);
  });

  it('applies sizeThreshold, market filters, sorting and paging', async () => {
    const w = wallet();
    const [m0, m1, m2] = [world.fills.market(0), world.fills.market(1), world.fills.market(2)];
    world.hub.publish([
      world.fills.trade(m0, w, 'BUY', 0.5, 500_000),
      world.fills.trade(m1, w, 'BUY', 30, 100_000),
      world.fills.trade(m2, w, 'BUY', 10, 900_000),
    ]);
    world.clock.advance(LAG_MS);
    const sizesOf = async (q: string) =>
      ((await api.get(`/positions?user=${w}&${q}`)).body as Row[]).map((r) => r.size);
    expect(await sizesOf('')).toEqual([30, 10]);
    expect(await sizesOf('sizeThreshold=0')).toEqual([30, 10, 0.5]);
    expect(await sizesOf('sizeThreshold=0&sortBy=CURRENT')).toEqual([10, 30, 0.5]);
    expect(await sizesOf('sizeThreshold=0&sortBy=CURRENT&sortDirection=ASC')).toEqual([0.5, 30, 10]);
    expect(await sizesOf(`market=${m2.conditionId}`)).toEqual([10]);
    expect(await sizesOf('sizeThreshold=0&limit=1&offset=1')).toEqual([10]);
    expect(await sizesOf('limit=600')).toEqual([30, 10]);
    // v2: the 0.1-token dust floor, cursor paging, and positions of a condition across wallets.
    const v2 = await api.get(`/v2/positions?user=${w}&limit=1`);
    const page1 = v2.body as { data: Row[]; pagination: { next_cursor: string; has_more: boolean } };
    expect(page1.data.map((r) => r.current_size)).toEqual([30]);
    expect(page1.pagination.has_more).toBe(true);
    const page2 = (await api.get(`/v2/positions?user=${w}&cursor=${page1.pagination.next_cursor}`)).body as {
      data: Row[];
      pagination: { has_more: boolean; offset: number };
    };
    expect(page2.data.map((r) => r.current_size)).toEqual([10]);
    expect(page2.pagination).toMatchObject({ has_more: true, offset: 1 });
    const other = wallet();
    world.hub.publish([world.fills.trade(m2, other, 'BUY', 4, 900_000)]);
    world.clock.advance(LAG_MS);
    const byCondition = ((await api.get(`/v2/positions?condition=${m2.conditionId}`)).body as { data: Row[] })
      .data;
    expect(byCondition.map((r) => [r.proxy_wallet, r.current_size])).toEqual([
      [w, 10],
      [other, 4],
    ]);
  });
});
