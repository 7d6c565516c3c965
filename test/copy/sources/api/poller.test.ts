/**
 * The Data API poller against the simulator's Data API (indexing lag, 429 faults) with its cursor
 * in a real database (SQLite; PostgreSQL too when POLYHUNTER_TEST_PG_URL is set). The simulator and
 * the poller share a hand-driven clock; polls are driven with `pollOnce`, so every step is exact.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { LeaderFillSighting } from '../../../../src/copy/sighting.ts';
import { encodeResume, freshOrdinals } from '../../../../src/copy/sources/api/cursor.ts';
import { type ApiPollerOptions, createApiPoller } from '../../../../src/copy/sources/api/poller.ts';
import { ManualClock } from '../../../../src/core/clock.ts';
import { RateLimitError } from '../../../../src/core/errors.ts';
import { MICRO } from '../../../../src/core/money.ts';
import { createDataApiClient } from '../../../../src/polymarket/data-api/client.ts';
import { type Simulator, startSimulator } from '../../../../src/sim/simulator.ts';
import { type LeadersRepo, leadersRepo } from '../../../../src/store/index.ts';
import { instantSleeps, memoryLogger, publishFills } from '../../../polymarket/data-api/support.ts';
import { forEachEngine, openTestStore, type TestStore } from '../../../support/engines.ts';

/** Not a whole second: the start second holds time on both sides of the start. */
const START = Date.UTC(2026, 10, 21, 12, 0, 0, 400);
const LAG_MS = 3_000;
const LEADER = '0x1eade20000000000000000000000000000000001';
const OTHER = '0x07e4000000000000000000000000000000000002';

/** What ingest was handed; `failNext(n)` makes the next n calls throw. */
function sink() {
  const got: LeaderFillSighting[] = [];
  const calls: number[] = [];
  let failing = 0;
  return {
    got,
    calls,
    failNext(n: number) {
      failing = n;
    },
    ingest: async (sightings: LeaderFillSighting[]) => {
      if (failing > 0) {
        failing--;
        throw new Error('ingest is down');
      }
      got.push(...sightings);
      calls.push(sightings.length);
    },
  };
}

forEachEngine('api poller', (engine) => {
  let t: TestStore;
  let sim: Simulator;
  let clock: ManualClock;
  let leaders: LeadersRepo;
  let sleeps: number[];
  let out: ReturnType<typeof sink>;

  beforeEach(async () => {
    clock = new ManualClock(START);
    sim = await startSimulator({ seed: 17, clock, chain: false, traders: false, dataApiLagMs: LAG_MS });
    t = await openTestStore(engine);
    leaders = leadersRepo(t.store.db);
    out = sink();
  });
  afterEach(async () => {
    await sim?.stop();
    await t?.dispose();
  });

  const poller = (extra: Partial<ApiPollerOptions> = {}) => {
    const instant = instantSleeps(clock);
    sleeps = instant.sleeps;
    return createApiPoller({
      client: createDataApiClient({ baseUrl: sim.urls.dataApi, clock: instant.clock, random: () => 0 }),
      leaders,
      ingest: out.ingest,
      clock,
      ...extra,
    });
  };
  const at = (offsetMs: number) => START + offsetMs;
  const sizes = (s: readonly LeaderFillSighting[]) => s.map((x) => x.size / MICRO);

  it('flat start: cursor = now, nothing from before it is ingested, later trades are', async () => {
    await leaders.upsert({ address: LEADER }, START);
    publishFills(sim, [{ wallet: LEADER, size: 1 * MICRO, timeMs: at(-3_600_000) }]);
    publishFills(sim, [{ wallet: LEADER, size: 2 * MICRO, timeMs: at(-10_000) }]);
    publishFills(sim, [{ wallet: LEADER, size: 3 * MICRO, timeMs: at(-1_500) }]);
    const p = poller();
    const first = await p.pollOnce(LEADER);
    expect(first).toMatchObject({ ingested: 0, cursor: { ts: START, keys: [], v2: null } });
    expect((await leaders.get(LEADER))?.cursor).toEqual({ ts: START, keys: [], v2: null });
    // The trade 1.5 s before the start becomes visible after the start: still history.
    await clock.advance(LAG_MS);
    await p.pollOnce(LEADER);
    expect(out.got).toEqual([]);

    publishFills(sim, [{ wallet: LEADER, size: 4 * MICRO, side: 'SELL', price: 420_000 }]);
    await clock.advance(LAG_MS);
    await p.pollOnce(LEADER);
    expect(sizes(out.got)).toEqual([4]);
    const market = sim.venue.catalog.markets[0]!;
    expect(out.got[0]).toMatchObject({
      kind: 'fill',
      source: 'api',
      leader: LEADER,
      tokenId: market.tokens[0].tokenId,
      conditionId: market.conditionId,
      outcome: 'Yes',
      outcomeIndex: 0,
      side: 'SELL',
      price: 420_000,
      size: 4 * MICRO,
      usdc: 1_680_000,
      fee: null,
      role: null,
      tradeTimeMs: at(LAG_MS - 400),
      seenAtMs: at(2 * LAG_MS),
      isBackfill: false,
    });
    expect(out.got[0]!.part).toBe(`${out.got[0]!.txHash}|${market.tokens[0].tokenId}|SELL|4000000|420000|0`);
  });

  it('flat start reads the start second, its rows marked backfill (they may predate the start)', async () => {
    await leaders.upsert({ address: LEADER }, START);
    const p = poller();
    await p.pollOnce(LEADER);
    publishFills(sim, [{ wallet: LEADER, size: 1 * MICRO, timeMs: at(-300) }]);
    publishFills(sim, [{ wallet: LEADER, size: 2 * MICRO, timeMs: at(-401) }]);
    await clock.advance(LAG_MS);
    await p.pollOnce(LEADER);
    expect(out.got.map((s) => [s.size / MICRO, s.isBackfill, s.tradeTimeMs])).toEqual([
      [1, true, START - 400],
    ]);
  });

  it('warm start ingests exactly its window, as backfill, then live trades as live', async () => {
    await leaders.upsert({ address: LEADER, startupMode: 'warm', warmStartSeconds: 600 }, START);
    // The window starts at START - 600 s; the API's resolution is its second.
    publishFills(sim, [{ wallet: LEADER, size: 1 * MICRO, timeMs: at(-700_000) }]);
    publishFills(sim, [{ wallet: LEADER, size: 2 * MICRO, timeMs: at(-601_000) }]);
    publishFills(sim, [{ wallet: LEADER, size: 3 * MICRO, timeMs: at(-600_000) }]);
    publishFills(sim, [{ wallet: LEADER, size: 4 * MICRO, timeMs: at(-300_000) }]);
    publishFills(sim, [{ wallet: OTHER, size: 9 * MICRO, timeMs: at(-300_000) }]);
    publishFills(sim, [{ wallet: LEADER, size: 5 * MICRO, timeMs: at(-5_000) }]);
    const log = memoryLogger();
    const p = poller({ pageLimit: 2, logger: log.logger });
    const result = await p.pollOnce(LEADER);
    expect(sizes(out.got)).toEqual([3, 4, 5]);
    expect(out.got.every((s) => s.isBackfill)).toBe(true);
    expect(result).toMatchObject({ pages: 2, ingested: 3 });
    // The warm window's reading is reported page by page, as plain progress lines.
    const progress = log.lines.filter((l) => l.message.startsWith('api backfill'));
    expect(progress.map((l) => (l.fields as { percent: number }).percent)).toEqual([50, 99]);
    expect(progress[1]!.message).toMatch(/99% of the warm window, 3 trades read/);
    expect(result.cursor.ts).toBe(Math.floor(at(-5_000) / 1000) * 1000);

    // Trades from the second after the start's on are live.
    await clock.advance(600);
    publishFills(sim, [{ wallet: LEADER, size: 6 * MICRO }]);
    await clock.advance(LAG_MS);
    await p.pollOnce(LEADER);
    expect(sizes(out.got)).toEqual([3, 4, 5, 6]);
    expect(out.got[3]!.isBackfill).toBe(false);
  });

  it("a leader's trades arrive once, after the indexing lag, identical rows of one tx included", async () => {
    await leaders.upsert({ address: LEADER }, START);
    const p = poller();
    await p.pollOnce(LEADER);
    await clock.advance(1_000);
    // One transaction: the leader fills twice at the same size and price, once more at another.
    const tx = publishFills(sim, [
      { wallet: LEADER, size: 5 * MICRO, price: 610_000 },
      { wallet: LEADER, size: 5 * MICRO, price: 610_000 },
      { wallet: OTHER, size: 10 * MICRO, side: 'SELL', price: 610_000 },
      { wallet: LEADER, size: 2 * MICRO, price: 600_000 },
    ])[0]!.transactionHash;
    await p.pollOnce(LEADER);
    await clock.advance(LAG_MS - 1);
    await p.pollOnce(LEADER);
    expect(out.got).toEqual([]);
    await clock.advance(1);
    await p.pollOnce(LEADER);
    await p.pollOnce(LEADER);
    await clock.advance(10_000);
    await p.pollOnce(LEADER);
    expect(out.got.map((s) => s.part.split('|').slice(3).join('|'))).toEqual([
      '5000000|610000|0',
      '5000000|610000|1',
      '2000000|600000|0',
    ]);
    expect(out.got.every((s) => s.txHash === tx && s.seenAtMs === at(1_000 + LAG_MS))).toBe(true);
    expect(out.calls).toEqual([3]);
  });

  it('pages until a short page, oldest first, with many rows in one second and one tx', async () => {
    await leaders.upsert({ address: LEADER, startupMode: 'warm', warmStartSeconds: 60 }, START);
    const specs = [1, 1, 2, 1, 3, 1, 2].map((n) => ({
      wallet: LEADER,
      size: n * MICRO,
      timeMs: at(-30_000),
    }));
    publishFills(sim, specs);
    publishFills(sim, [{ wallet: LEADER, size: 7 * MICRO, timeMs: at(-20_000) }]);
    publishFills(sim, [{ wallet: LEADER, size: 8 * MICRO, timeMs: at(-20_000) }]);
    const result = await poller({ pageLimit: 3 }).pollOnce(LEADER);
    expect(sizes(out.got)).toEqual([1, 1, 2, 1, 3, 1, 2, 7, 8]);
    expect(new Set(out.got.map((s) => `${s.txHash}|${s.part}`)).size).toBe(9);
    expect(out.calls).toEqual([3, 3, 3]);
    // 9 rows in pages of 3: the fourth page is the short one.
    expect(result.pages).toBe(4);
    await poller({ pageLimit: 3 }).pollOnce(LEADER);
    expect(out.got).toHaveLength(9);
  });

  it('survives a 429 burst: backs off as told, loses and repeats nothing', async () => {
    await leaders.upsert({ address: LEADER }, START);
    const p = poller();
    await p.pollOnce(LEADER);
    publishFills(sim, [{ wallet: LEADER, size: 1 * MICRO }]);
    publishFills(sim, [{ wallet: LEADER, size: 2 * MICRO }]);
    await clock.advance(LAG_MS);
    const before = (await leaders.get(LEADER))!.cursor;
    await sim.fault('http', { service: 'data', status: 429, count: 5 });
    await expect(p.pollOnce(LEADER)).rejects.toBeInstanceOf(RateLimitError);
    expect(p.health()).toMatchObject({ consecutiveFailures: 1, healthy: true });
    expect(p.health().leaders[0]!.lastError).toMatch(/429/);
    expect((await leaders.get(LEADER))!.cursor).toEqual(before);
    await p.pollOnce(LEADER);
    await p.pollOnce(LEADER);
    expect(sizes(out.got)).toEqual([1, 2]);
    expect(sleeps).toEqual([1_000, 1_000, 1_000, 1_000]);
    expect(p.health()).toMatchObject({ consecutiveFailures: 0, healthy: true, lastSuccessAt: clock.now() });
  });

  it('a restart (a new poller on the same database) goes on from the cursor, repeating nothing', async () => {
    await leaders.upsert({ address: LEADER }, START);
    await leaders.upsert({ address: OTHER, startupMode: 'warm', warmStartSeconds: 3_600 }, START);
    const first = poller();
    await first.pollOnce(LEADER);
    await first.pollOnce(OTHER);
    publishFills(sim, [
      { wallet: LEADER, size: 1 * MICRO },
      { wallet: LEADER, size: 1 * MICRO },
      { wallet: OTHER, size: 2 * MICRO },
    ]);
    await clock.advance(LAG_MS);
    await first.pollOnce(LEADER);
    await first.pollOnce(OTHER);
    expect(sizes(out.got)).toEqual([1, 1, 2]);

    // Down for a while; meanwhile the leaders trade, some in the second the cursor stands on.
    publishFills(sim, [{ wallet: LEADER, size: 1 * MICRO, timeMs: at(999) }]);
    await clock.advance(5_000);
    publishFills(sim, [{ wallet: LEADER, size: 3 * MICRO }]);
    publishFills(sim, [{ wallet: OTHER, size: 4 * MICRO }]);
    await clock.advance(LAG_MS);
    const second = poller();
    await second.pollOnce(LEADER);
    await second.pollOnce(OTHER);
    await second.pollOnce(LEADER);
    expect(sizes(out.got)).toEqual([1, 1, 2, 1, 3, 4]);
    // What happened while down is late, not history: the catch-up policy decides on it.
    expect(out.got.slice(3).every((s) => !s.isBackfill)).toBe(true);
    expect(new Set(out.got.map((s) => s.part)).size).toBe(6);
  });

  it('an ingest that throws leaves the cursor where it was, and the page comes again', async () => {
    await leaders.upsert({ address: LEADER }, START);
    const p = poller();
    await p.pollOnce(LEADER);
    publishFills(sim, [
      { wallet: LEADER, size: 1 * MICRO },
      { wallet: LEADER, size: 2 * MICRO },
    ]);
    await clock.advance(LAG_MS);
    const before = (await leaders.get(LEADER))!.cursor;
    out.failNext(1);
    await expect(p.pollOnce(LEADER)).rejects.toThrow('ingest is down');
    expect((await leaders.get(LEADER))!.cursor).toEqual(before);
    expect(out.got).toEqual([]);
    await p.pollOnce(LEADER);
    expect(sizes(out.got)).toEqual([1, 2]);
    // Still the start second: the cursor keeps the start time and now knows its two rows.
    const after = (await leaders.get(LEADER))!.cursor;
    expect(after).toEqual({ ts: START, keys: out.got.map((s) => s.part), v2: null });
  });

  it('v2: pages by cursor, and resumes mid-second from the stored cursor after a failure', async () => {
    await leaders.upsert({ address: LEADER, startupMode: 'warm', warmStartSeconds: 60 }, START);
    const specs = [1, 1, 1, 2, 1, 1].map((n) => ({ wallet: LEADER, size: n * MICRO, timeMs: at(-30_000) }));
    publishFills(sim, specs);
    publishFills(sim, [{ wallet: LEADER, size: 5 * MICRO, timeMs: at(-10_000) }]);
    out.failNext(0);
    // The second page's ingest fails: the first page's cursor (and where v2 paging stood) is kept.
    let call = 0;
    const flaky = async (s: LeaderFillSighting[]) => {
      if (call++ === 1) throw new Error('ingest is down');
      await out.ingest(s);
    };
    await expect(poller({ api: 'v2', pageLimit: 2, ingest: flaky }).pollOnce(LEADER)).rejects.toThrow();
    const stored = (await leaders.get(LEADER))!.cursor;
    expect(stored.keys).toHaveLength(2);
    expect(JSON.parse(stored.v2!)).toMatchObject({
      next: expect.any(String),
      start: Math.floor(at(-60_000) / 1000),
      sec: Math.floor(at(-30_000) / 1000),
      counts: [[expect.stringMatching(/\|1000000\|500000$/), 2]],
    });
    const result = await poller({ api: 'v2', pageLimit: 2 }).pollOnce(LEADER);
    expect(sizes(out.got)).toEqual([1, 1, 1, 2, 1, 1, 5]);
    expect(out.got.map((s) => s.part.split('|').slice(3).join('|'))).toEqual([
      '1000000|500000|0',
      '1000000|500000|1',
      '1000000|500000|2',
      '2000000|500000|0',
      '1000000|500000|3',
      '1000000|500000|4',
      '5000000|500000|0',
    ]);
    expect(result.cursor.v2).toBeNull();
    expect((await leaders.get(LEADER))!.cursor.v2).toBeNull();
  });

  it('v2: a stored cursor the API refuses, or one unreadable, means a rescan from the cursor second', async () => {
    await leaders.upsert({ address: LEADER, startupMode: 'warm', warmStartSeconds: 60 }, START);
    publishFills(
      sim,
      [1, 1].map((n) => ({ wallet: LEADER, size: n * MICRO, timeMs: at(-30_000) })),
    );
    const { lines, logger } = memoryLogger();
    const p = poller({ api: 'v2', logger });
    await p.pollOnce(LEADER);
    publishFills(sim, [{ wallet: LEADER, size: 3 * MICRO, timeMs: at(-20_000) }]);
    const cursor = (await leaders.get(LEADER))!.cursor;
    const refused = encodeResume({ next: 'not-a-cursor', startSec: 0, ordinals: freshOrdinals() });
    await leaders.updateCursor(LEADER, { ...cursor, v2: refused }, START);
    await p.pollOnce(LEADER);
    expect(sizes(out.got)).toEqual([1, 1, 3]);
    expect((await leaders.get(LEADER))!.cursor.v2).toBeNull();
    const now = (await leaders.get(LEADER))!.cursor;
    await leaders.updateCursor(LEADER, { ...now, v2: '{not json' }, START);
    await p.pollOnce(LEADER);
    expect(sizes(out.got)).toEqual([1, 1, 3]);
    expect((await leaders.get(LEADER))!.cursor).toEqual(now);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'v2 cursor refused; rescanning',
      'unreadable v2 resume point; rescanning',
    ]);
  });

  it('v1 and v2 key the same rows the same way', async () => {
    await leaders.upsert({ address: LEADER, startupMode: 'warm', warmStartSeconds: 60 }, START);
    publishFills(
      sim,
      [1, 1, 2].map((n) => ({ wallet: LEADER, size: n * MICRO, timeMs: at(-30_000) })),
    );
    await poller({ pageLimit: 2 }).pollOnce(LEADER);
    const v1 = out.got.map((s) => s.part);
    await leaders.updateCursor(LEADER, { ts: null, keys: [], v2: null }, START);
    out.got.length = 0;
    await poller({ api: 'v2', pageLimit: 2 }).pollOnce(LEADER);
    expect(out.got.map((s) => s.part)).toEqual(v1);
  });

  it('gap fill reads a window as late trades (not backfill), with the poller keys, and leaves the cursor alone', async () => {
    await leaders.upsert({ address: LEADER }, START);
    const p = poller({ pageLimit: 2 });
    await p.pollOnce(LEADER);
    await clock.advance(2_000);
    publishFills(sim, [
      { wallet: LEADER, size: 1 * MICRO },
      { wallet: LEADER, size: 1 * MICRO },
    ]);
    await clock.advance(2_000);
    publishFills(sim, [{ wallet: LEADER, size: 2 * MICRO }]);
    await clock.advance(5_000);
    publishFills(sim, [{ wallet: LEADER, size: 3 * MICRO }]);
    await clock.advance(LAG_MS);
    const cursor = (await leaders.get(LEADER))!.cursor;
    const n = await p.gapFill(LEADER, at(2_000), at(4_000));
    expect(n).toBe(3);
    expect(sizes(out.got)).toEqual([1, 1, 2]);
    expect(out.got.every((s) => !s.isBackfill)).toBe(true);
    expect((await leaders.get(LEADER))!.cursor).toEqual(cursor);
    const filled = out.got.map((s) => s.part);
    out.got.length = 0;
    await p.pollOnce(LEADER);
    expect(out.got.map((s) => s.part).slice(0, 3)).toEqual(filled);
    expect(sizes(out.got)).toEqual([1, 1, 2, 3]);
  });

  it('refuses to poll a leader it does not know, and counts it as a failure', async () => {
    const p = poller();
    await expect(p.pollOnce(LEADER)).rejects.toThrow(/unknown leader/);
    expect(p.health().leaders).toMatchObject([{ address: LEADER, consecutiveFailures: 1 }]);
  });
});
