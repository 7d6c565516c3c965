/**
 * What takes time, on a simulator and broker sharing one hand-driven clock: GTD expiry, the order
 * heartbeat (the venue's dead man's switch, 10 s in the simulator), and cancel-all on a stop signal.
 */
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import type { CancelResult } from '../../../src/execution/live/live-broker.ts';
import { cancelAllOnSignals } from '../../../src/execution/live/shutdown.ts';
import { brokerFor, type LiveWorld, px, sh, silent, startLiveWorld } from './support.ts';

let world: LiveWorld;
let clock: ManualClock;
beforeAll(async () => {
  clock = new ManualClock(Date.now());
  world = await startLiveWorld({ seed: 11, clock });
});
afterAll(async () => {
  await world?.stop();
});

const gtc = (price: number) =>
  [
    { tokenId: world.yes, side: 'BUY' as const, price: px(price), size: sh(5) },
    { orderType: 'GTC' as const },
  ] as const;

describe('GTD', () => {
  it('rests until its expiration, then the venue cancels it', async () => {
    const { broker } = await brokerFor(world, 'gtd', { clock });
    const expiration = Math.floor(clock.now() / 1000) + 90;
    const out = await broker.submit(
      { tokenId: world.yes, side: 'BUY', price: px(0.3), size: sh(5) },
      { orderType: 'GTD', expiration },
    );
    expect(out).toMatchObject({ kind: 'accepted', status: 'live' });
    if (out.kind !== 'accepted') return;
    await clock.advance(60_000);
    expect(await broker.order(out.orderId)).toMatchObject({ status: 'LIVE', expiration: String(expiration) });
    await clock.advance(31_000);
    expect(await broker.order(out.orderId)).toMatchObject({ status: 'CANCELED' });
    expect(world.sim.venue.engine.order(out.orderId)?.cancelReason).toBe('EXPIRED');
    expect(await broker.openOrders()).toEqual([]);
  });

  it('an expiration under a minute ahead is refused before sending', async () => {
    const { broker } = await brokerFor(world, 'gtd soon', { clock });
    const out = await broker.submit(
      { tokenId: world.yes, side: 'BUY', price: px(0.3), size: sh(5) },
      { orderType: 'GTD', expiration: Math.floor(clock.now() / 1000) + 30 },
    );
    expect(out).toMatchObject({
      kind: 'rejected',
      code: 'LOCAL_CHECK',
      message: expect.stringMatching(/60 s ahead/),
    });
  });
});

describe('order heartbeat', () => {
  it('beats every 5 s while an order rests (which keeps it alive), and stops after cancel-all', async () => {
    const { broker } = await brokerFor(world, 'heartbeat', { clock });
    broker.startHeartbeat();
    await clock.advance(10_000);
    expect(broker.heartbeat).toMatchObject({ enabled: true, running: false, beats: 0 });

    const out = await broker.submit(...gtc(0.2));
    if (out.kind !== 'accepted') throw new Error(JSON.stringify(out));
    await clock.advance(0);
    await vi.waitFor(() => expect(broker.heartbeat.beats).toBe(1));
    for (let i = 2; i <= 7; i++) {
      await clock.advance(5_000);
      await vi.waitFor(() => expect(broker.heartbeat.beats).toBe(i));
    }
    // 30 s later, three times the venue's timeout: still resting, thanks to the beats.
    expect(await broker.order(out.orderId)).toMatchObject({ status: 'LIVE' });
    expect(broker.heartbeat).toMatchObject({ running: true, failures: 0 });

    expect((await broker.cancelAll()).canceled).toEqual([out.orderId]);
    await clock.advance(5_000);
    await vi.waitFor(() => expect(broker.heartbeat.running).toBe(false));
    await clock.advance(30_000);
    expect(broker.heartbeat.beats).toBe(7);
  });

  it("without the beats the venue cancels the resting order: the dead man's switch is real", async () => {
    const { broker } = await brokerFor(world, 'heartbeat lapse', { clock });
    broker.startHeartbeat();
    const out = await broker.submit(...gtc(0.21));
    if (out.kind !== 'accepted') throw new Error(JSON.stringify(out));
    await clock.advance(0);
    await vi.waitFor(() => expect(broker.heartbeat.beats).toBe(1));
    broker.stopHeartbeat();
    await clock.advance(9_000);
    expect(await broker.order(out.orderId)).toMatchObject({ status: 'LIVE' });
    await clock.advance(2_000);
    expect(await broker.order(out.orderId)).toMatchObject({ status: 'CANCELED' });
  });

  it('drops orders that stopped resting without telling us (filled) at its periodic re-read, then idles', async () => {
    const { broker } = await brokerFor(world, 'heartbeat refresh', { clock, heartbeatRefreshEvery: 2 });
    broker.startHeartbeat();
    const out = await broker.submit(
      { tokenId: world.no, side: 'BUY', price: px(0.3), size: sh(5) },
      { orderType: 'GTC' },
    );
    if (out.kind !== 'accepted') throw new Error(JSON.stringify(out));
    await clock.advance(0);
    await vi.waitFor(() => expect(broker.heartbeat.beats).toBe(1));
    // Someone sells into it: it fills without any call of ours.
    await world.rest(world.no, 'SELL', 0.3, 5).catch(() => undefined);
    expect(await broker.openOrders()).toEqual([]);
    await clock.advance(5_000);
    await vi.waitFor(() => expect(broker.restingOrderIds()).toEqual([]));
    await clock.advance(5_000);
    await vi.waitFor(() => expect(broker.heartbeat.running).toBe(false));
  });
});

describe('stop signals', () => {
  it('SIGTERM stops the heartbeat and cancels every resting order of each broker', async () => {
    const a = await brokerFor(world, 'signal a', { clock });
    const b = await brokerFor(world, 'signal b', { clock });
    for (const [broker, p] of [
      [a.broker, 0.22],
      [b.broker, 0.23],
      [b.broker, 0.24],
    ] as const) {
      expect((await broker.submit(...gtc(p))).kind).toBe('accepted');
    }
    a.broker.startHeartbeat();
    b.broker.startHeartbeat();
    const proc = new EventEmitter();
    const done = new Promise<readonly PromiseSettledResult<CancelResult>[]>((resolve) => {
      cancelAllOnSignals([a.broker, b.broker], { logger: silent, process: proc, onDone: resolve });
    });
    proc.emit('SIGTERM', 'SIGTERM');
    const results = await done;
    expect(results.map((r) => r.status === 'fulfilled' && r.value.canceled.length)).toEqual([1, 2]);
    expect(await a.broker.openOrders()).toEqual([]);
    expect(await b.broker.openOrders()).toEqual([]);
    expect(a.broker.heartbeat.enabled).toBe(false);
    expect(proc.listenerCount('SIGINT') + proc.listenerCount('SIGTERM')).toBe(0);
  });
});
