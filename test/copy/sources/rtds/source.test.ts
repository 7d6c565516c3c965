/**
 * RtdsLeaderSource against a scripted RTDS on 127.0.0.1 (ManualClock): leader filtering, parts,
 * repeats across streams, run-time leader changes, gaps and failures of the consumer.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LeaderFillSighting } from '../../../../src/copy/sighting.ts';
import { RtdsLeaderSource, type RtdsLeaderSourceOptions } from '../../../../src/copy/sources/rtds/index.ts';
import { ManualClock } from '../../../../src/core/clock.ts';
import { badMessagesTotal } from '../../../../src/core/metrics.ts';
import { subscriptionRequest } from '../../../../src/polymarket/rtds/index.ts';
import { frame, ScriptServer } from '../../../polymarket/rtds/script-server.ts';
import { captureLogs, counterValue, type LogCapture } from '../../../polymarket/rtds/support.ts';
import { readSample } from '../../../support/shape.ts';

const T0 = 1_790_272_258_000;
const SAMPLE = readSample('rtds_activity_trades.json') as {
  payload: Record<string, unknown>;
  type: string;
}[];
const payload = (i: number) => SAMPLE[i]!.payload;
const wallet = (i: number) => String(payload(i).proxyWallet);

let server: ScriptServer;
let clock: ManualClock;
let logs: LogCapture;
let sightings: LeaderFillSighting[];
let gaps: [number, number][];
const sources: RtdsLeaderSource[] = [];

async function start(options: Partial<RtdsLeaderSourceOptions> = {}): Promise<RtdsLeaderSource> {
  const s = new RtdsLeaderSource({
    url: server.url,
    onSighting: (x) => {
      sightings.push(x);
    },
    onGap: (from, to) => gaps.push([from, to]),
    clock,
    logger: logs.logger,
    client: { random: () => 0, silenceMs: 600_000, deadAfterMs: 600_000 },
    ...options,
  });
  sources.push(s);
  s.start();
  await server.received(sources.length - 1, (t) => t.startsWith('{"action":"subscribe"'));
  return s;
}

beforeEach(async () => {
  server = await ScriptServer.start();
  clock = new ManualClock(T0);
  logs = captureLogs();
  sightings = [];
  gaps = [];
});
afterEach(async () => {
  for (const s of sources.splice(0)) await s.stop();
  await server.close();
});

describe('RtdsLeaderSource', () => {
  it('subscribes to activity trades and orders_matched', async () => {
    await start();
    expect(server.connections[0]!.received[0]).toBe(
      subscriptionRequest('subscribe', [
        { topic: 'activity', type: 'trades' },
        { topic: 'activity', type: 'orders_matched' },
      ]),
    );
  });

  it('hands on only the leaders rows, whatever the case of the configured wallet', async () => {
    const s = await start({
      leaders: [wallet(0).toUpperCase().replace('0X', '0x'), wallet(3).toLowerCase()],
    });
    for (const m of SAMPLE) server.send(0, JSON.stringify(m));
    await vi.waitFor(() => expect(s.health().lastMessageAtMs).toBe(T0));
    await vi.waitFor(() => expect(sightings).toHaveLength(2));
    expect(sightings.map((x) => [x.leader, x.side, x.size, x.price, x.seenAtMs, x.part])).toEqual([
      [
        wallet(0).toLowerCase(),
        'BUY',
        1_030_920_000,
        30_000,
        T0,
        `BUY:${payload(0).asset}:1030920000:30000:0`,
      ],
      [wallet(3).toLowerCase(), 'BUY', 16_260_000, 520_000, T0, `BUY:${payload(3).asset}:16260000:520000:0`],
    ]);
    expect(s.health()).toMatchObject({ state: 'open', leaders: 2, sightings: 2, duplicates: 0 });
  });

  it('numbers identical rows of one tx, and drops the orders_matched copy of a row already seen', async () => {
    const s = await start({ leaders: [wallet(2)] });
    const row = payload(2);
    // A taker matched against two makers at the same price and size: two identical rows, each
    // sent on both streams.
    for (const type of ['trades', 'orders_matched', 'trades', 'orders_matched'])
      server.send(0, frame(row, type));
    await vi.waitFor(() => expect(s.health().duplicates).toBe(2));
    expect(sightings.map((x) => x.part)).toEqual([
      `BUY:${row.asset}:31612200:980000:0`,
      `BUY:${row.asset}:31612200:980000:1`,
    ]);
    expect(sightings.every((x) => x.txHash === String(row.transactionHash).toLowerCase())).toBe(true);
  });

  it('follows leader changes at run time without resubscribing', async () => {
    const s = await start({ leaders: [wallet(0)] });
    /** Sends a frame and waits until the source has handled it. */
    const deliver = async (i: number, type = 'trades') => {
      const before = s.health().messages;
      server.send(0, frame(payload(i), type));
      await vi.waitFor(() => expect(s.health().messages).toBe(before + 1));
    };
    await deliver(1);
    s.setLeaders([wallet(1)]);
    await deliver(0);
    await deliver(1);
    s.addLeader(wallet(4));
    await deliver(4);
    s.removeLeader(wallet(1));
    await deliver(1, 'orders_matched');
    await deliver(2);
    await deliver(4, 'orders_matched');
    expect(sightings.map((x) => x.leader)).toEqual([wallet(1).toLowerCase(), wallet(4).toLowerCase()]);
    expect(s.health()).toMatchObject({ messages: 7, sightings: 2, duplicates: 1 });
    expect(s.leaders).toEqual([wallet(4).toLowerCase()]);
    expect(server.connections[0]!.received.filter((t) => t !== 'ping')).toHaveLength(1);
    expect(() => s.setLeaders(['0x1234'])).toThrow(/not a wallet address/);
  });

  it('counts a leader row it cannot represent as bad and keeps going', async () => {
    const before = await counterValue(badMessagesTotal);
    const s = await start({ leaders: [wallet(0)] });
    server.send(0, frame({ ...payload(0), size: 1e12 }));
    server.send(0, frame({ ...payload(0), size: 0 }));
    server.send(0, JSON.stringify(SAMPLE[0]));
    await vi.waitFor(() => expect(sightings).toHaveLength(1));
    expect(await counterValue(badMessagesTotal)).toBe(before + 1);
    expect(logs.messages('rtds: leader row cannot be mapped')).toHaveLength(1);
    expect(sightings[0]!.part.endsWith(':0')).toBe(true);
    expect(s.health().state).toBe('open');
  });

  it('logs a failing consumer, sync or async, and carries on', async () => {
    let calls = 0;
    await start({
      leaders: [wallet(0), wallet(1)],
      onSighting: (x) => {
        calls++;
        if (x.leader === wallet(0).toLowerCase()) throw new Error('sync');
        return Promise.reject(new Error('async'));
      },
    });
    server.send(0, JSON.stringify(SAMPLE[0]));
    server.send(0, JSON.stringify(SAMPLE[1]));
    await vi.waitFor(() => expect(logs.messages('rtds: sighting handler failed')).toHaveLength(2));
    expect(calls).toBe(2);
  });

  it('reports stream gaps widened by the margin', async () => {
    const s = await start({
      client: { random: () => 0, silenceMs: 30_000, deadAfterMs: 600_000 },
      gapMarginMs: 5_000,
    });
    await clock.advance(30_000);
    expect(gaps).toEqual([[T0 - 5_000, T0 + 35_000]]);
    expect(s.health().state).toBe('stale');
  });

  it('stops with nothing left running', async () => {
    const s = await start({ client: { random: () => 0, silenceMs: 30_000 } });
    await s.stop();
    expect(clock.pending).toBe(0);
    await vi.waitFor(() => expect(server.connections[0]!.closed).toBe(true));
    expect(s.health().state).toBe('closed');
  });

  it('refuses an empty list of activity types', () => {
    expect(() => new RtdsLeaderSource({ url: server.url, onSighting: () => {}, types: [] })).toThrow(
      /activity type/,
    );
  });
});
