/**
 * The poller against the whole simulator: a scripted leader's market orders sweeping the makers
 * (driven step by step on a hand-moved clock), and the poll loops running on real time until
 * stopped. The cursor lives in a real database on every engine.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { LeaderFillSighting } from '../../../../src/copy/sighting.ts';
import { budgetLimiter, createApiPoller } from '../../../../src/copy/sources/api/poller.ts';
import { ManualClock, systemClock } from '../../../../src/core/clock.ts';
import { MICRO } from '../../../../src/core/money.ts';
import { createDataApiClient } from '../../../../src/polymarket/data-api/client.ts';
import { type Simulator, startSimulator } from '../../../../src/sim/simulator.ts';
import { leadersRepo } from '../../../../src/store/index.ts';
import { countingFetch, instantSleeps, publishFills } from '../../../polymarket/data-api/support.ts';
import { forEachEngine, openTestStore, type TestStore } from '../../../support/engines.ts';

const START = Date.UTC(2026, 10, 21, 12, 0, 0, 0);
const LEADER = '0x1eade20000000000000000000000000000000009';

forEachEngine('api source end to end', (engine) => {
  let t: TestStore;
  let sim: Simulator | undefined;
  beforeEach(async () => {
    t = await openTestStore(engine);
  });
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
    await t.dispose();
  });

  it('sees a leader sweep several makers in one tx, then sell half, each once, across a restart', async () => {
    const clock = new ManualClock(START);
    sim = await startSimulator({
      seed: 23,
      clock,
      chain: false,
      dataApiLagMs: 2_000,
      traders: { makers: true },
    });
    const s = sim;
    await clock.advance(1_000);
    const leaders = leadersRepo(t.store.db);
    await leaders.upsert({ address: LEADER }, clock.now());
    const got: LeaderFillSighting[] = [];
    const make = () =>
      createApiPoller({
        client: createDataApiClient({ baseUrl: s.urls.dataApi, ...instantSleeps(clock) }),
        leaders,
        ingest: async (batch) => void got.push(...batch),
        clock,
      });
    const first = make();
    await first.pollOnce(LEADER);
    await clock.advance(1_000);

    s.traders!.leaders.add({ name: 'whale', address: LEADER, usdc: (5_000 * MICRO) as never });
    const yes = s.venue.catalog.markets[0]!.tokens[0].tokenId;
    const buy = await s.traders!.leaders.takeTrade('whale', { tokenId: yes, side: 'BUY', levels: 2 });
    expect(buy.trades[0]!.trade.makers.length).toBeGreaterThan(1);
    await first.pollOnce(LEADER);
    expect(got).toEqual([]);
    await clock.advance(2_000);
    await first.pollOnce(LEADER);
    const bought = buy.positionAfter - buy.positionBefore;
    expect(got.map((g) => [g.txHash, g.side, g.tokenId])).toEqual(
      got.map(() => [buy.txHashes[0], 'BUY', yes]),
    );
    expect(got.reduce((a, g) => a + g.size, 0)).toBe(bought);
    const afterBuy = got.length;

    const sell = await s.traders!.leaders.takeTrade('whale', {
      tokenId: yes,
      side: 'SELL',
      fraction: 500_000 as never,
    });
    await clock.advance(2_000);
    // A new poller on the same database: only the sell is new.
    const second = make();
    await second.pollOnce(LEADER);
    await second.pollOnce(LEADER);
    const sold = got.slice(afterBuy);
    expect(sold.length).toBeGreaterThan(0);
    expect(sold.every((g) => g.side === 'SELL' && g.txHash === sell.txHashes[0])).toBe(true);
    expect(sold.reduce((a, g) => a + g.size, 0)).toBe(sell.positionBefore - sell.positionAfter);
    expect(new Set(got.map((g) => `${g.txHash}|${g.part}`)).size).toBe(got.length);
  });

  it('runs the poll loops on real time until stopped, then sends nothing more', async () => {
    sim = await startSimulator({ seed: 29, chain: false, traders: false, dataApiLagMs: 300 });
    const s = sim;
    const leaders = leadersRepo(t.store.db);
    await leaders.upsert({ address: LEADER }, Date.now());
    const got: LeaderFillSighting[] = [];
    const counted = countingFetch();
    const budget = { minIntervalMs: 50 };
    const poller = createApiPoller({
      client: createDataApiClient({
        baseUrl: s.urls.dataApi,
        fetch: counted.fetch,
        limiter: budgetLimiter(systemClock, budget),
      }),
      leaders,
      ingest: async (batch) => void got.push(...batch),
      budget,
    });
    await poller.start();
    // Wait until the first poll has set the cursor (and so the start point) before trading.
    await vi.waitFor(() => expect(poller.health().lastSuccessAt).not.toBeNull(), { timeout: 5_000 });
    await new Promise((r) => setTimeout(r, 1_100));
    publishFills(s, [
      { wallet: LEADER, size: 1 * MICRO },
      { wallet: LEADER, size: 1 * MICRO },
    ]);
    await vi.waitFor(() => expect(got).toHaveLength(2), { timeout: 5_000 });
    await poller.stop();
    const sent = counted.calls.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(counted.calls.length).toBe(sent);
    expect(got.map((g) => [g.isBackfill, g.part.endsWith('|0'), g.part.endsWith('|1')])).toEqual([
      [false, true, false],
      [false, false, true],
    ]);
    expect(poller.health()).toMatchObject({ running: false, healthy: true, consecutiveFailures: 0 });
  });
});
