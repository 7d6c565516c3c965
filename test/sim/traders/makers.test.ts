import { afterEach, describe, expect, it } from 'vitest';
import { MICRO, tickSize } from '../../../src/core/index.ts';
import type { EngineEvent } from '../../../src/sim/engine/index.ts';
import { usd, type World, world } from './helpers.ts';

let w: World | undefined;
afterEach(() => w?.close());

function expectTwoSidedUncrossed(world: World): void {
  for (const m of world.venue.catalog.markets) {
    for (const token of m.tokens) {
      const levels = world.venue.engine.levelsFor(token.tokenId)!;
      const bestBid = levels.bids.at(-1)?.price;
      const bestAsk = levels.asks.at(-1)?.price;
      expect(bestBid, `${m.slug} ${token.outcome} has bids`).toBeDefined();
      expect(bestAsk, `${m.slug} ${token.outcome} has asks`).toBeDefined();
      expect(bestBid!).toBeLessThan(bestAsk!);
      expect(levels.bids.length).toBeGreaterThanOrEqual(3);
      expect(levels.asks.length).toBeGreaterThanOrEqual(3);
    }
  }
}

describe('market makers', () => {
  it('keep a two-sided, uncrossed book several levels deep on every market, refresh after refresh', async () => {
    w = world(11);
    expectTwoSidedUncrossed(w);
    for (let i = 0; i < 10; i++) {
      await w.clock.advance(2000);
      expectTwoSidedUncrossed(w);
    }
    expect(w.errors).toEqual([]);
  });

  it('put several maker orders at the best level (one per maker wallet)', () => {
    w = world(12);
    for (const m of w.venue.catalog.markets) {
      const makers = w.traders.makers!.wallets(m.conditionId);
      expect(makers).toHaveLength(2);
      const top = w.venue.engine.topOfBook(m.tokens[0].tokenId)!;
      const atBestAsk = w.venue.engine
        .openOrders({ tokenId: m.tokens[0].tokenId })
        .filter((o) => o.side === 'SELL' && o.price === top.bestAsk);
      expect(new Set(atBestAsk.map((o) => o.maker))).toEqual(new Set(makers));
    }
  });

  it('quote around the fair value, and the neg-risk event’s fair values sum to about 1', async () => {
    w = world(13, {}, { negRiskEvents: [4] });
    const event = w.event;
    expect(event).toHaveLength(4);
    for (let i = 0; i < 20; i++) {
      const fairs = event.map((m) => w!.traders.makers!.fairValue(m.conditionId)!);
      const sum = fairs.reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - MICRO)).toBeLessThan(Math.max(...event.map((m) => m.tickSize)));
      for (const [j, m] of event.entries()) {
        const top = w.venue.engine.topOfBook(m.tokens[0].tokenId)!;
        expect(top.bestBid!).toBeLessThan(fairs[j]!);
        expect(top.bestAsk!).toBeGreaterThan(fairs[j]!);
      }
      await w.clock.advance(2000);
    }
  });

  it('touch no order of a market whose fair value did not move, and replace only the moved ladder', async () => {
    w = world(14);
    const perMarket = new Map<string, EngineEvent[]>();
    w.venue.on((e) => {
      if (e.kind !== 'engine') return;
      const ev = e.event;
      if (ev.type === 'order_placed' || ev.type === 'order_cancelled') {
        const list = perMarket.get(ev.order.market) ?? [];
        list.push(ev);
        perMarket.set(ev.order.market, list);
      }
    });
    let still = 0;
    let moved = 0;
    for (let i = 0; i < 15; i++) {
      const before = new Map(
        w.venue.catalog.markets.map((m) => [m.conditionId, w!.traders.makers!.fairValue(m.conditionId)]),
      );
      perMarket.clear();
      await w.clock.advance(2000);
      for (const m of w.venue.catalog.markets) {
        const events = perMarket.get(m.conditionId) ?? [];
        const open = w.venue.engine.openOrders({ market: m.conditionId });
        // Two makers, three levels a side: the ladder is whole after every refresh.
        expect(open).toHaveLength(12);
        if (w.traders.makers!.fairValue(m.conditionId) === before.get(m.conditionId)) {
          expect(events).toEqual([]);
          still++;
        } else {
          const placed = events.filter((e) => e.type === 'order_placed').length;
          const cancelled = events.filter((e) => e.type === 'order_cancelled').length;
          expect(placed).toBe(cancelled);
          expect(placed).toBeGreaterThan(0);
          moved++;
        }
      }
    }
    expect(still).toBeGreaterThan(0);
    expect(moved).toBeGreaterThan(0);
  });

  it('re-fund (split more shares) and rebuild the ladder after leaders keep taking every ask', async () => {
    w = world(15, { leaders: [{ name: 'whale', usdc: usd(20_000) }] });
    const yes = w.binary.tokens[0].tokenId;
    const makers = w.traders.makers!.wallets(w.binary.conditionId);
    const splits: string[] = [];
    w.venue.on((e) => {
      if (e.kind === 'engine' && e.event.type === 'positions_split') splits.push(e.event.address);
    });
    for (let round = 0; round < 3; round++) {
      const take = await w.traders.leaders.takeTrade('whale', { tokenId: yes, side: 'BUY', levels: 10 });
      expect(take.result.success).toBe(true);
      // Every ask went (a sweep stops inside the last order: a few hundredths of a share at most).
      const left = w.venue.engine.levelsFor(yes)!.asks.reduce((a, l) => a + l.size, 0);
      expect(left).toBeLessThan(1_000_000);
      await w.clock.advance(2000);
      const asks = w.venue.engine.openOrders({ tokenId: yes }).filter((o) => o.side === 'SELL');
      expect(asks).toHaveLength(6);
      expect(asks.every((o) => o.sizeMatched === 0)).toBe(true);
      for (const a of makers) {
        const offered = asks.filter((o) => o.maker === a).reduce((s, o) => s + o.originalSize, 0);
        expect(w.venue.engine.position(a, yes).reserved).toBe(offered);
      }
    }
    // Inventory starts at three times the asks and refills below one and a half times: by the
    // second sweep both makers had to split again.
    expect(new Set(splits)).toEqual(new Set(makers));
    expect(w.errors).toEqual([]);
  });

  it('follow a tick-size change and skip a closed market without errors', async () => {
    w = world(16);
    const [a, b] = w.venue.catalog.markets.filter((m) => !m.negRisk) as [typeof w.binary, typeof w.binary];
    w.venue.engine.setTickSize(a.conditionId, tickSize(a.tickSize === 10_000 ? 1_000 : 10_000));
    w.venue.engine.closeMarket(b.conditionId);
    await w.clock.advance(6000);
    const tick = w.venue.engine.market(a.conditionId)!.tickSize;
    const open = w.venue.engine.openOrders({ market: a.conditionId });
    expect(open).toHaveLength(12);
    expect(open.every((o) => o.price % tick === 0)).toBe(true);
    expect(w.venue.engine.openOrders({ market: b.conditionId })).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  it('stop: the timer is gone and every maker order is cancelled', async () => {
    w = world(17);
    const pendingBefore = w.clock.pending;
    w.traders.stop();
    expect(w.clock.pending).toBe(pendingBefore - 1);
    expect(w.venue.engine.openOrders()).toEqual([]);
    await w.clock.advance(10_000);
    expect(w.venue.engine.openOrders()).toEqual([]);
  });
});
