/**
 * The RTDS leader source against the simulator: a leader's sweep, then the RTDS faults (a drop, a
 * silent lapse, malformed frames), and a clean stop. Real sockets and real time.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LeaderFillSighting } from '../../../../src/copy/sighting.ts';
import { RtdsLeaderSource, type RtdsLeaderSourceOptions } from '../../../../src/copy/sources/rtds/index.ts';
import { type Clock, sleepWith, systemClock } from '../../../../src/core/clock.ts';
import { badMessagesTotal, metricsRegistry, reconnectsTotal } from '../../../../src/core/metrics.ts';
import { MICRO, type Micro, usdc } from '../../../../src/core/money.ts';
import { MALFORMED_FRAMES } from '../../../../src/sim/faults.ts';
import { type Simulator, startSimulator } from '../../../../src/sim/simulator.ts';
import type { TradeRequest } from '../../../../src/sim/traders/orders.ts';
import { captureLogs, counterValue, type LogCapture } from '../../../polymarket/rtds/support.ts';

/** The system clock, counting the timers still set, so a test can see that stop left none. */
function trackedClock(base: Clock): { clock: Clock; pending: () => number } {
  const live = new Set<object>();
  const clock: Clock = {
    now: () => base.now(),
    monotonicNs: () => base.monotonicNs(),
    sleep: (ms, signal) => sleepWith(clock, ms, signal),
    setTimer(ms, callback) {
      const token = {};
      live.add(token);
      const cancel = base.setTimer(ms, () => {
        live.delete(token);
        callback();
      });
      return () => {
        live.delete(token);
        cancel();
      };
    },
  };
  return { clock, pending: () => live.size };
}

interface Running {
  source: RtdsLeaderSource;
  sightings: LeaderFillSighting[];
  /** Widened windows, with the wall time each was reported. */
  gaps: { from: number; to: number; at: number }[];
  logs: LogCapture;
  pending: () => number;
}

let sim: Simulator;
let L1: string;
let L2: string;
let yes: string;
let running: Running | null = null;

async function startSource(options: Partial<RtdsLeaderSourceOptions> = {}): Promise<Running> {
  const tracked = trackedClock(systemClock);
  const logs = captureLogs();
  const r: Running = { source: null as never, sightings: [], gaps: [], logs, pending: tracked.pending };
  r.source = new RtdsLeaderSource({
    url: sim.urls.rtds,
    leaders: [L1, L2],
    onSighting: (s) => {
      r.sightings.push(s);
    },
    onGap: (from, to) => r.gaps.push({ from, to, at: Date.now() }),
    clock: tracked.clock,
    logger: logs.logger,
    client: { random: () => 0 },
    ...options,
  });
  running = r;
  r.source.start();
  await subscribed(r);
  return r;
}

/** Open, and the simulator has applied the subscription (a trade before that would be missed). */
async function subscribed(r: Running): Promise<void> {
  await vi.waitFor(
    () => {
      expect(r.source.health().state).not.toBe('closed');
      expect(sim.rtds.subscriberCount).toBe(1);
    },
    { timeout: 10_000 },
  );
}

async function trade(leader: string, request: Omit<TradeRequest, 'tokenId'>) {
  const done = await sim.traders!.leaders.takeTrade(leader, { tokenId: yes, ...request });
  expect(done.result.success).toBe(true);
  expect(done.trades).toHaveLength(1);
  return done.trades[0]!;
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 41, traders: { makers: true }, chain: false, dataApiLagMs: 0 });
  yes = sim.venue.catalog.markets[0]!.tokens[0].tokenId;
  await vi.waitFor(
    () => {
      const top = sim.venue.engine.topOfBook(yes);
      if (top?.bestAsk == null || top.bestBid == null) throw new Error('no book yet');
    },
    { timeout: 10_000 },
  );
  L1 = sim.traders!.leaders.add({ name: 'L1', usdc: usdc(20_000 * MICRO) }).address;
  L2 = sim.traders!.leaders.add({ name: 'L2', usdc: usdc(20_000 * MICRO) }).address;
});

afterEach(async () => {
  await running?.source.stop();
  running = null;
  await vi.waitFor(() => expect(sim.rtds.connectionCount).toBe(0));
});

afterAll(async () => {
  await sim?.stop();
});

describe('RtdsLeaderSource on the simulator', () => {
  it("turns a leader's sweep into one sighting per participant row of that leader, and none for others", async () => {
    const r = await startSource();
    const buy = await trade('L1', { side: 'BUY', levels: 2 });
    const makers = buy.trade.makers;
    expect(makers.length).toBeGreaterThan(1);
    // The taker's rows also come as orders_matched: each is recognised as a repeat.
    await vi.waitFor(() => expect(r.source.health().duplicates).toBe(makers.length));
    expect(r.sightings).toHaveLength(makers.length);
    // Every participant's rows arrived (makers', the leader's and their copies); only the leader's count.
    expect(r.source.health().messages).toBeGreaterThanOrEqual(3 * makers.length);

    const rows = (xs: (readonly [number, number, number])[]) =>
      [...xs].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(rows(r.sightings.map((s) => [s.size, s.price, s.usdc] as const))).toEqual(
      rows(makers.map((m) => [m.shares, m.takerPrice, m.takerUsdc] as const)),
    );
    for (const s of r.sightings) {
      expect(s).toMatchObject({
        kind: 'fill',
        source: 'rtds',
        leader: L1.toLowerCase(),
        txHash: buy.txHash.toLowerCase(),
        tokenId: yes,
        conditionId: buy.trade.market.toLowerCase(),
        side: 'BUY',
        outcomeIndex: 0,
        role: null,
        isBackfill: false,
        tradeTimeMs: Math.floor(buy.trade.matchTime / 1000) * 1000,
      });
      expect(s.seenAtMs).toBeGreaterThanOrEqual(buy.trade.matchTime);
    }
    expect(new Set(r.sightings.map((s) => s.part)).size).toBe(makers.length);
    const total = r.sightings.reduce((sum, s) => sum + s.size, 0);
    expect(total).toBe(buy.trade.taker.shares);

    // A partial sell: SELL rows, for L1 only; L2 and the makers never appear.
    const sell = await trade('L1', { side: 'SELL', fraction: 500_000 as Micro });
    await vi.waitFor(() =>
      expect(r.sightings.filter((s) => s.txHash === sell.txHash.toLowerCase())).toHaveLength(
        sell.trade.makers.length,
      ),
    );
    expect(r.sightings.filter((s) => s.side === 'SELL')).toHaveLength(sell.trade.makers.length);
    expect(r.sightings.every((s) => s.leader === L1.toLowerCase())).toBe(true);
  });

  it('reconnects after a drop, reports the gap, and later trades still arrive', async () => {
    const before = await counterValue(reconnectsTotal);
    const r = await startSource();
    expect(await sim.fault('rtds_drop')).toEqual({ dropped: 1 });
    await vi.waitFor(() => expect(r.source.health().reconnects).toBe(1), { timeout: 5_000 });
    await subscribed(r);
    expect(await counterValue(reconnectsTotal)).toBe(before + 1);
    expect(r.gaps).toHaveLength(1);

    const buy = await trade('L1', { side: 'BUY', usdc: usdc(20 * MICRO) });
    await vi.waitFor(() => expect(r.sightings.some((s) => s.txHash === buy.txHash.toLowerCase())).toBe(true));
    expect(r.source.health().state).toBe('open');
  });

  it('notices a silent lapse within N s, reports a gap covering what it missed, resubscribes, then recovers', async () => {
    const silenceMs = 1_500;
    const r = await startSource({ client: { random: () => 0, silenceMs } });
    try {
      await sim.fault('rtds_silence', { on: true });
      const lost = await trade('L1', { side: 'BUY', usdc: usdc(20 * MICRO) });
      const tradedAt = Date.now();
      // The gap that covers the lost trade comes within N s (plus scheduling slack).
      await vi.waitFor(
        () =>
          expect(r.gaps.some((g) => g.from <= lost.trade.matchTime && lost.trade.matchTime <= g.to)).toBe(
            true,
          ),
        { timeout: silenceMs + 2_000 },
      );
      const covering = r.gaps.find((g) => g.from <= lost.trade.matchTime && lost.trade.matchTime <= g.to)!;
      expect(covering.at - tradedAt).toBeLessThanOrEqual(silenceMs + 1_000);
      expect(r.logs.messages('rtds: silent; resubscribing').length).toBeGreaterThan(0);
      // Stale while it waits on the resubscription (or closed, if already reconnecting).
      expect(r.source.health().state).not.toBe('open');

      // The simulator's lapse survives a resubscribe; the next silent period reconnects, and a
      // new connection is not silent.
      await vi.waitFor(() => expect(r.source.health().reconnects).toBeGreaterThanOrEqual(1), {
        timeout: 10_000,
      });
      await subscribed(r);
      const later = await trade('L1', { side: 'BUY', usdc: usdc(20 * MICRO) });
      await vi.waitFor(() =>
        expect(r.sightings.some((s) => s.txHash === later.txHash.toLowerCase())).toBe(true),
      );
      expect(r.sightings.some((s) => s.txHash === lost.txHash.toLowerCase())).toBe(false);
      // Gaps tile the time: each starts before (margins overlap) or where the previous ended.
      for (let i = 1; i < r.gaps.length; i++) expect(r.gaps[i]!.from).toBeLessThanOrEqual(r.gaps[i - 1]!.to);
    } finally {
      await sim.fault('rtds_silence', { on: false });
    }
  });

  it('counts malformed frames in bad_messages_total{source="rtds"} and keeps working', async () => {
    const before = await counterValue(badMessagesTotal);
    const r = await startSource();
    expect(await sim.fault('malformed', { service: 'rtds' })).toEqual({
      sockets: 1,
      frames: MALFORMED_FRAMES.length,
    });
    await vi.waitFor(() => expect(r.source.health().badMessages).toBe(MALFORMED_FRAMES.length));
    expect(await counterValue(badMessagesTotal)).toBe(before + MALFORMED_FRAMES.length);
    expect(await metricsRegistry.getSingleMetricAsString('bad_messages_total')).toContain(
      `bad_messages_total{source="rtds"} ${before + MALFORMED_FRAMES.length}`,
    );
    expect(r.logs.messages('rtds: bad message skipped')).toHaveLength(1);

    const buy = await trade('L1', { side: 'BUY', usdc: usdc(20 * MICRO) });
    await vi.waitFor(() => expect(r.sightings.some((s) => s.txHash === buy.txHash.toLowerCase())).toBe(true));
    expect(r.source.health().state).toBe('open');
  });

  it('stops with no socket and no timer left, and does not come back', async () => {
    const r = await startSource({ client: { random: () => 0, silenceMs: 1_000 } });
    expect(r.pending()).toBeGreaterThan(0);
    await r.source.stop();
    expect(r.pending()).toBe(0);
    await vi.waitFor(() => expect(sim.rtds.connectionCount).toBe(0));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(sim.rtds.connectionCount).toBe(0);
    expect(r.source.health().state).toBe('closed');
    expect(r.gaps).toEqual([]);
  });
});
