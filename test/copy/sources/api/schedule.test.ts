/**
 * The poll loops on a hand-driven clock with an in-memory client and leaders table: the budget's
 * interval and spread, backoff after failures (honouring Retry-After), reload, and a clean stop
 * that lets an ingest in flight finish and store its cursor.
 */
import { describe, expect, it } from 'vitest';
import type { LeaderFillSighting } from '../../../../src/copy/sighting.ts';
import { createApiPoller } from '../../../../src/copy/sources/api/poller.ts';
import { ManualClock } from '../../../../src/core/clock.ts';
import { RateLimitError } from '../../../../src/core/errors.ts';
import type {
  ActivityRow,
  DataApiClient,
  V1ActivityQuery,
} from '../../../../src/polymarket/data-api/index.ts';
import type { Leader, LeaderCursor, LeaderInput, LeadersRepo } from '../../../../src/store/index.ts';
import { badApiMessages, memoryLogger } from '../../../polymarket/data-api/support.ts';

const START = Date.UTC(2026, 10, 21, 12);
const wallet = (i: number) => `0x${String(i).padStart(40, '0')}`;

/** The leaders table in memory. */
function memoryLeaders(): LeadersRepo & { rows: Map<string, Leader> } {
  const rows = new Map<string, Leader>();
  let id = 0;
  return {
    rows,
    async upsert(input: LeaderInput, now: number) {
      const address = input.address.toLowerCase();
      const old = rows.get(address);
      const leader: Leader = {
        id: old?.id ?? ++id,
        address,
        label: input.label ?? old?.label ?? null,
        enabled: input.enabled ?? old?.enabled ?? true,
        startupMode: input.startupMode ?? old?.startupMode ?? 'flat',
        warmStartSeconds: input.warmStartSeconds ?? old?.warmStartSeconds ?? 0,
        cursor: old?.cursor ?? { ts: null, keys: [], v2: null },
        createdAt: old?.createdAt ?? now,
        updatedAt: now,
      };
      rows.set(address, leader);
      return leader;
    },
    async list(options = {}) {
      return [...rows.values()].filter((l) => !options.enabledOnly || l.enabled);
    },
    async get(address: string) {
      return rows.get(address.toLowerCase());
    },
    async remove(address: string) {
      return rows.delete(address.toLowerCase());
    },
    async updateCursor(address: string, cursor: LeaderCursor, now: number) {
      const l = rows.get(address.toLowerCase());
      if (!l) return false;
      rows.set(l.address, { ...l, cursor: { ...cursor, keys: [...cursor.keys] }, updatedAt: now });
      return true;
    },
  };
}

function tradeRow(user: string, sec: number, size: number): ActivityRow {
  return {
    proxyWallet: user,
    timestampSec: sec,
    type: 'TRADE',
    conditionId: `0x${'1'.repeat(64)}`,
    asset: '42',
    side: 'BUY',
    size,
    usdcSize: size / 2,
    price: 0.5,
    transactionHash: `0x${'2'.repeat(64)}`,
    outcomeIndex: 0,
    outcome: 'Yes',
    raw: {},
  };
}

/** A client that records each request's user and time, and answers from `answer`. */
function fakeClient(
  clock: ManualClock,
  answer: (q: V1ActivityQuery) => Promise<ActivityRow[]> | ActivityRow[],
) {
  const calls: { user: string; at: number }[] = [];
  const client: DataApiClient = {
    baseUrl: 'memory:',
    async activity(q) {
      calls.push({ user: q.user, at: clock.now() - START });
      const rows = await answer(q);
      return { rows, received: rows.length };
    },
    async activityV2() {
      throw new Error('not used');
    },
  };
  return { client, calls };
}

const budget = { maxRequests: 8, windowMs: 1_000, share: 0.5, minIntervalMs: 0 };

describe('rows a poll cannot use', () => {
  it('are counted as bad and skipped; the good rows of the page are kept', async () => {
    const clock = new ManualClock(START);
    const leaders = memoryLeaders();
    await leaders.upsert({ address: wallet(1) }, START);
    const sec = START / 1000;
    const { client } = fakeClient(clock, (q) =>
      (q.offset ?? 0) > 0
        ? []
        : [
            tradeRow(wallet(1), sec, 1),
            tradeRow(wallet(2), sec, 2),
            { ...tradeRow(wallet(1), sec, 3), type: 'REDEEM' },
            { ...tradeRow(wallet(1), sec, 4), size: 0 },
            tradeRow(wallet(1), sec + 1, 5),
          ],
    );
    const got: LeaderFillSighting[] = [];
    const { lines, logger } = memoryLogger();
    const p = createApiPoller({
      client,
      leaders,
      ingest: async (s) => void got.push(...s),
      clock,
      logger,
      pageLimit: 5,
    });
    const before = await badApiMessages();
    const result = await p.pollOnce(wallet(1));
    expect(got.map((s) => s.size)).toEqual([1_000_000, 5_000_000]);
    expect((await badApiMessages()) - before).toBe(3);
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(3);
    // Five rows came back on a page of five: not a short page, so the scan asked again.
    expect(result.pages).toBe(2);
  });
});

describe('poll schedule', () => {
  it('polls each leader once per budget interval, spread evenly, within the budget in every window', async () => {
    const clock = new ManualClock(START);
    const leaders = memoryLeaders();
    for (let i = 1; i <= 4; i++) await leaders.upsert({ address: wallet(i) }, START);
    const { client, calls } = fakeClient(clock, () => []);
    const p = createApiPoller({ client, leaders, ingest: async () => {}, clock, budget });
    await p.start();
    // Every leader's start point is fixed at start, before its first poll.
    expect([...leaders.rows.values()].map((l) => l.cursor.ts)).toEqual([START, START, START, START]);
    await clock.advance(5_000);
    // 4 leaders over a budget of 4 requests/s: each once a second, a quarter second apart.
    expect(p.health().intervalMs).toBe(1_000);
    await p.stop();
    expect(calls.filter((c) => c.user === wallet(1)).map((c) => c.at)).toEqual([
      0, 1_000, 2_000, 3_000, 4_000, 5_000,
    ]);
    expect(calls.filter((c) => c.user === wallet(2)).map((c) => c.at)).toEqual([
      250, 1_250, 2_250, 3_250, 4_250,
    ]);
    expect(calls.filter((c) => c.user === wallet(4)).map((c) => c.at)[0]).toBe(750);
    for (const c of calls) {
      expect(calls.filter((d) => d.at > c.at - 1_000 && d.at <= c.at).length).toBeLessThanOrEqual(4);
    }
    expect(p.health()).toMatchObject({ running: false, healthy: true, consecutiveFailures: 0 });
  });

  it('backs off a failing leader, never sooner than Retry-After, and resumes the interval after', async () => {
    const clock = new ManualClock(START);
    const leaders = memoryLeaders();
    await leaders.upsert({ address: wallet(1) }, START);
    await leaders.upsert({ address: wallet(2) }, START);
    let refusals = 2;
    const { client, calls } = fakeClient(clock, (q) => {
      if (q.user === wallet(2) && refusals-- > 0) throw new RateLimitError('HTTP 429', 5_000);
      return [];
    });
    const p = createApiPoller({ client, leaders, ingest: async () => {}, clock, budget, random: () => 0 });
    await p.start();
    await clock.advance(600);
    expect(p.health().leaders.find((l) => l.address === wallet(2))).toMatchObject({
      consecutiveFailures: 1,
      lastError: 'HTTP 429',
      lastSuccessAt: null,
    });
    await clock.advance(12_000);
    await p.stop();
    // 2 leaders: every 500 ms; wallet 2 starts at 250, is refused twice and waits 5 s each time.
    expect(calls.filter((c) => c.user === wallet(2)).map((c) => c.at)).toEqual([
      250, 5_250, 10_250, 10_750, 11_250, 11_750, 12_250,
    ]);
    expect(calls.filter((c) => c.user === wallet(1))).toHaveLength(26);
    expect(p.health()).toMatchObject({
      consecutiveFailures: 0,
      healthy: true,
      lastSuccessAt: START + 12_500,
    });
  });

  it('reports unhealthy after repeated failures, with growing waits', async () => {
    const clock = new ManualClock(START);
    const leaders = memoryLeaders();
    await leaders.upsert({ address: wallet(1) }, START);
    const { client, calls } = fakeClient(clock, () => {
      throw new Error('down');
    });
    const p = createApiPoller({
      client,
      leaders,
      ingest: async () => {},
      clock,
      budget: { ...budget, minIntervalMs: 100 },
      backoff: { baseMs: 1_000, maxMs: 8_000 },
      random: () => 0,
    });
    await p.start();
    await clock.advance(30_000);
    await p.stop();
    // Waits of 500, 1000, 2000, 4000, then the 8000 cap (the low end of the jitter).
    expect(calls.map((c) => c.at)).toEqual([
      0, 500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500,
    ]);
    expect(p.health()).toMatchObject({ healthy: false, consecutiveFailures: 10, lastSuccessAt: null });
  });

  it('reload starts new leaders and stops disabled ones, re-spreading the budget', async () => {
    const clock = new ManualClock(START);
    const leaders = memoryLeaders();
    await leaders.upsert({ address: wallet(1) }, START);
    const { client, calls } = fakeClient(clock, () => []);
    const p = createApiPoller({ client, leaders, ingest: async () => {}, clock, budget });
    await p.start();
    await clock.advance(1_000);
    // One leader alone: every 250 ms (the budget's 4 requests/s).
    expect(calls.map((c) => c.at)).toEqual([0, 250, 500, 750, 1_000]);
    await leaders.upsert({ address: wallet(2) }, START);
    await p.reload();
    expect(p.health().intervalMs).toBe(500);
    await leaders.upsert({ address: wallet(1), enabled: false }, START);
    await p.reload();
    expect(p.health().intervalMs).toBe(250);
    calls.length = 0;
    await clock.advance(2_000);
    await p.stop();
    expect(new Set(calls.map((c) => c.user))).toEqual(new Set([wallet(2)]));
    expect(clock.pending).toBe(0);
  });

  it('stops cleanly: no poll after stop, and an ingest in flight finishes and stores its cursor', async () => {
    const clock = new ManualClock(START);
    const leaders = memoryLeaders();
    await leaders.upsert({ address: wallet(1) }, START);
    const { client, calls } = fakeClient(clock, (q) => [tradeRow(q.user, START / 1000, 3)]);
    let release: () => void = () => {};
    const got: LeaderFillSighting[] = [];
    const ingest = (s: LeaderFillSighting[]) =>
      new Promise<void>((resolve) => {
        release = () => {
          got.push(...s);
          resolve();
        };
      });
    const p = createApiPoller({ client, leaders, ingest, clock, budget });
    await p.start();
    await clock.advance(0);
    expect(calls).toHaveLength(1);
    let stopped = false;
    const stopping = p.stop().then(() => {
      stopped = true;
    });
    await clock.advance(100);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(got).toHaveLength(1);
    expect(leaders.rows.get(wallet(1))!.cursor.keys).toEqual([got[0]!.part]);
    await clock.advance(10_000);
    expect(calls).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });
});
