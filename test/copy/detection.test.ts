/**
 * The proof on the simulator: several leaders trade (buys, a sweep of several makers in one
 * transaction, a partial sell, a full exit, a NO buy that mints against YES bids), and the store
 * ends with exactly the expected trades, each once, whichever sources are on.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLeaderDetection, type LeaderDetection } from '../../src/copy/detection.ts';
import { canonicalKey } from '../../src/copy/ingest/index.ts';
import type { TradeSource } from '../../src/copy/sighting.ts';
import { createTokenResolver } from '../../src/copy/token-resolver.ts';
import { systemClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/core/logger.ts';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import { leadersRepo } from '../../src/store/index.ts';
import { openTestStore, type TestStore } from '../support/engines.ts';

const LEADERS = ['0x1eade20000000000000000000000000000000a01', '0x1eade20000000000000000000000000000000b02'];

describe.each<[string, TradeSource[]]>([
  ['all three sources', ['api', 'rtds', 'chain']],
  ['the Data API alone', ['api']],
  ['RTDS alone', ['rtds']],
  ['the chain alone', ['chain']],
])('leader detection with %s', (_name, sources) => {
  let sim: Simulator | undefined;
  let t: TestStore | undefined;
  let detection: LeaderDetection | undefined;
  afterEach(async () => {
    await detection?.stop();
    await sim?.stop();
    await t?.dispose();
  });

  it('stores every leader fill exactly once with its full size', async () => {
    sim = await startSimulator({ seed: 71, blockTimeMs: 300, dataApiLagMs: 500 });
    t = await openTestStore('sqlite');
    const store = t.store;
    for (const address of LEADERS)
      await leadersRepo(store.db).upsert({ address, startupMode: 'flat' }, Date.now());
    detection = createLeaderDetection({
      store,
      clock: systemClock,
      logger: createLogger({ level: 'silent', format: 'json' }),
      sources,
      urls: { dataApi: sim.urls.dataApi, rtds: sim.urls.rtds, chainWs: sim.urls.chainWs! },
      resolveToken: createTokenResolver({ store, gammaUrl: sim.urls.gamma, now: () => Date.now() }),
    });
    await detection.start();
    await new Promise((r) => setTimeout(r, 1500)); // sockets subscribed, flat cursors set

    const binary = sim.venue.catalog.markets.find((m) => !m.negRisk)!;
    const yes = binary.tokens[0].tokenId;
    const no = binary.tokens[1].tokenId;
    await vi.waitFor(() => expect(sim!.venue.engine.topOfBook(yes)?.bestAsk).toBeTruthy(), {
      timeout: 10_000,
    });
    const leaders = sim.traders!.leaders;
    for (const address of LEADERS) leaders.add({ name: address, address, usdc: 5_000_000_000 as never });
    const [a, b] = LEADERS as [string, string];
    const done = [
      await leaders.takeTrade(a, { tokenId: yes, side: 'BUY', levels: 2 }),
      await leaders.takeTrade(b, { tokenId: yes, side: 'BUY', usdc: 20_000_000 as never }),
      await leaders.takeTrade(a, { tokenId: yes, side: 'SELL', fraction: 500_000 as never }),
      await leaders.takeTrade(b, { tokenId: no, side: 'BUY', usdc: 15_000_000 as never }),
      await leaders.takeTrade(b, { tokenId: yes, side: 'SELL', fraction: 1_000_000 as never }),
    ];
    const expected = new Map<string, number>();
    for (const d of done) {
      expect(d.result.success).toBe(true);
      for (const trade of d.trades) {
        const key = canonicalKey({
          txHash: trade.txHash,
          leader: d.leader.address,
          tokenId: trade.trade.taker.tokenId,
          side: trade.trade.taker.side,
        });
        expected.set(key, (expected.get(key) ?? 0) + trade.trade.taker.shares);
      }
    }
    expect(done[0]!.trades[0]!.trade.makers.length).toBeGreaterThan(1);

    const stored = async () =>
      new Map(
        (await store.db.selectFrom('leader_trades').select(['canonical_key', 'size']).execute()).map((r) => [
          r.canonical_key,
          r.size,
        ]),
      );
    await vi.waitFor(async () => expect(await stored()).toEqual(expected), {
      timeout: 20_000,
      interval: 250,
    });
    // Nothing else arrives afterwards (no duplicate, no history).
    await new Promise((r) => setTimeout(r, 1500));
    expect(await stored()).toEqual(expected);
  }, 60_000);
});

describe('leader detection under faults', () => {
  let sim: Simulator | undefined;
  let t: TestStore | undefined;
  let detection: LeaderDetection | undefined;
  afterEach(async () => {
    await detection?.stop();
    await sim?.stop();
    await t?.dispose();
  });

  it('loses nothing and doubles nothing through drops, an RTDS silence, a 429 burst and a reorg', async () => {
    sim = await startSimulator({ seed: 72, blockTimeMs: 300, dataApiLagMs: 500 });
    t = await openTestStore('sqlite');
    const store = t.store;
    for (const address of LEADERS)
      await leadersRepo(store.db).upsert({ address, startupMode: 'flat' }, Date.now());
    detection = createLeaderDetection({
      store,
      clock: systemClock,
      logger: createLogger({ level: 'silent', format: 'json' }),
      sources: ['api', 'rtds', 'chain'],
      urls: { dataApi: sim.urls.dataApi, rtds: sim.urls.rtds, chainWs: sim.urls.chainWs! },
      resolveToken: createTokenResolver({ store, gammaUrl: sim.urls.gamma, now: () => Date.now() }),
    });
    await detection.start();
    await new Promise((r) => setTimeout(r, 1500));

    const binary = sim.venue.catalog.markets.find((m) => !m.negRisk)!;
    const yes = binary.tokens[0].tokenId;
    await vi.waitFor(() => expect(sim!.venue.engine.topOfBook(yes)?.bestAsk).toBeTruthy(), {
      timeout: 10_000,
    });
    const leaders = sim.traders!.leaders;
    for (const address of LEADERS) leaders.add({ name: address, address, usdc: 5_000_000_000 as never });
    const [a, b] = LEADERS as [string, string];
    const expected = new Map<string, number>();
    const take = async (...args: Parameters<typeof leaders.takeTrade>) => {
      const d = await leaders.takeTrade(...args);
      expect(d.result.success).toBe(true);
      for (const trade of d.trades) {
        const key = canonicalKey({
          txHash: trade.txHash,
          leader: d.leader.address,
          tokenId: trade.trade.taker.tokenId,
          side: trade.trade.taker.side,
        });
        expected.set(key, (expected.get(key) ?? 0) + trade.trade.taker.shares);
      }
    };

    await take(a, { tokenId: yes, side: 'BUY', levels: 2 });
    await sim.fault('rtds_drop');
    await sim.fault('chain_drop');
    await take(b, { tokenId: yes, side: 'BUY', usdc: 20_000_000 as never });
    await sim.fault('http', { service: 'data', status: 429, count: 5 });
    await sim.fault('rtds_silence', { forS: 3 });
    await take(a, { tokenId: yes, side: 'SELL', fraction: 500_000 as never });
    await new Promise((r) => setTimeout(r, 700)); // mined
    await sim.fault('reorg', { depth: 2 });
    await take(b, { tokenId: yes, side: 'SELL', fraction: 1_000_000 as never });

    const stored = async () =>
      new Map(
        (
          await store.db
            .selectFrom('leader_trades')
            .select(['canonical_key', 'size'])
            .where('retracted_at', 'is', null)
            .execute()
        ).map((r) => [r.canonical_key, r.size]),
      );
    await vi.waitFor(async () => expect(await stored()).toEqual(expected), {
      timeout: 30_000,
      interval: 250,
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await stored()).toEqual(expected);
    const all = await store.db.selectFrom('leader_trades').select('canonical_key').execute();
    expect(all).toHaveLength(expected.size);
  }, 90_000);
});
