/**
 * The proofs on the simulator: several leaders trade (buys, a sweep of several makers in one
 * transaction, a partial sell, a full exit, a NO buy that mints against YES bids), and the store
 * ends with exactly the expected trades, each once at full size, whichever sources are on, and
 * through socket drops, an RTDS silence, a 429 burst and a reorg.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLeaderDetection, type LeaderDetection } from '../../src/copy/detection.ts';
import { canonicalKey } from '../../src/copy/ingest/index.ts';
import type { TradeSource } from '../../src/copy/sighting.ts';
import { tokenResolverOf } from '../../src/copy/token-resolver.ts';
import { systemClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/core/logger.ts';
import { createMarketCatalog } from '../../src/market-data/catalog.ts';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import type { TradeRequest } from '../../src/sim/traders/index.ts';
import { leadersRepo } from '../../src/store/index.ts';
import { openTestStore, type TestStore } from '../support/engines.ts';

const LEADERS = [
  '0x1eade20000000000000000000000000000000a01',
  '0x1eade20000000000000000000000000000000b02',
] as const;

interface Rig {
  sim: Simulator;
  yes: string;
  no: string;
  /** A leader's trade; its fills are added to `expected`. */
  take(leader: string, request: Omit<TradeRequest, 'tokenId'> & { tokenId?: string }): Promise<void>;
  expected: Map<string, number>;
  /** Canonical key -> size of every trade not retracted. */
  stored(): Promise<Map<string, number>>;
  storedCount(): Promise<number>;
}

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  stops = [];
});

async function rig(seed: number, sources: readonly TradeSource[]): Promise<Rig> {
  const sim = await startSimulator({ seed, blockTimeMs: 300, dataApiLagMs: 500 });
  stops.push(() => sim.stop());
  const t: TestStore = await openTestStore('sqlite');
  stops.push(() => t.dispose());
  const { store } = t;
  for (const address of LEADERS)
    await leadersRepo(store.db).upsert({ address, startupMode: 'flat' }, Date.now());
  const detection: LeaderDetection = createLeaderDetection({
    store,
    clock: systemClock,
    logger: createLogger({ level: 'silent', format: 'json' }),
    sources,
    urls: { dataApi: sim.urls.dataApi, rtds: sim.urls.rtds, chainWs: sim.urls.chainWs! },
    resolveToken: tokenResolverOf(
      createMarketCatalog({ store, gammaUrl: sim.urls.gamma, now: () => Date.now() }),
    ),
  });
  await detection.start();
  stops.push(() => detection.stop());
  await new Promise((r) => setTimeout(r, 1500)); // sockets subscribed, flat cursors set

  const binary = sim.venue.catalog.markets.find((m) => !m.negRisk)!;
  const [yes, no] = [binary.tokens[0].tokenId, binary.tokens[1].tokenId];
  await vi.waitFor(() => expect(sim.venue.engine.topOfBook(yes)?.bestAsk).toBeTruthy(), { timeout: 10_000 });
  const leaders = sim.traders!.leaders;
  for (const address of LEADERS) leaders.add({ name: address, address, usdc: 5_000_000_000 as never });

  const expected = new Map<string, number>();
  const rows = () =>
    store.db.selectFrom('leader_trades').select(['canonical_key', 'size', 'retracted_at']).execute();
  return {
    sim,
    yes,
    no,
    expected,
    async take(leader, request) {
      const done = await leaders.takeTrade(leader, { tokenId: yes, ...request } as TradeRequest);
      expect(done.result.success).toBe(true);
      for (const { txHash, trade } of done.trades) {
        const key = canonicalKey({ txHash, leader, tokenId: trade.taker.tokenId, side: trade.taker.side });
        expected.set(key, (expected.get(key) ?? 0) + trade.taker.shares);
      }
    },
    stored: async () =>
      new Map((await rows()).filter((r) => r.retracted_at === null).map((r) => [r.canonical_key, r.size])),
    storedCount: async () => (await rows()).length,
  };
}

/** The store reaches exactly the expected trades, and nothing more arrives afterwards. */
async function expectExactly(r: Rig, timeout: number): Promise<void> {
  await vi.waitFor(async () => expect(await r.stored()).toEqual(r.expected), { timeout, interval: 250 });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(await r.stored()).toEqual(r.expected);
  expect(await r.storedCount()).toBe(r.expected.size);
}

const [A, B] = LEADERS;

describe.each<[string, TradeSource[]]>([
  ['all three sources', ['api', 'rtds', 'chain']],
  ['the Data API alone', ['api']],
  ['RTDS alone', ['rtds']],
  ['the chain alone', ['chain']],
])('leader detection with %s', (_name, sources) => {
  it('stores every leader fill exactly once with its full size', async () => {
    const r = await rig(71, sources);
    await r.take(A, { side: 'BUY', levels: 2 });
    await r.take(B, { side: 'BUY', usdc: 20_000_000 as never });
    await r.take(A, { side: 'SELL', fraction: 500_000 as never });
    await r.take(B, { tokenId: r.no, side: 'BUY', usdc: 15_000_000 as never });
    await r.take(B, { side: 'SELL', fraction: 1_000_000 as never });
    // The first buy swept several makers in one transaction: one trade, several rows upstream.
    expect(r.sim.venue.allTrades().some((t) => t.trade.makers.length > 1)).toBe(true);
    await expectExactly(r, 20_000);
  }, 60_000);
});

describe('leader detection under faults', () => {
  it('loses nothing and doubles nothing through drops, an RTDS silence, a 429 burst and a reorg', async () => {
    const r = await rig(72, ['api', 'rtds', 'chain']);
    await r.take(A, { side: 'BUY', levels: 2 });
    await r.sim.fault('rtds_drop');
    await r.sim.fault('chain_drop');
    await r.take(B, { side: 'BUY', usdc: 20_000_000 as never });
    await r.sim.fault('http', { service: 'data', status: 429, count: 5 });
    await r.sim.fault('rtds_silence', { forS: 3 });
    await r.take(A, { side: 'SELL', fraction: 500_000 as never });
    await new Promise((resolve) => setTimeout(resolve, 700)); // mined
    await r.sim.fault('reorg', { depth: 2 });
    await r.take(B, { side: 'SELL', fraction: 1_000_000 as never });
    await expectExactly(r, 30_000);
  }, 90_000);
});
