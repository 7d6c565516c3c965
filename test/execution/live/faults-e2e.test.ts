/**
 * Live trading through faults, end to end (issue 6, item 8): intents go through the order manager,
 * the live broker on the official clob-client-v2 and the live order tracker (user channel + REST
 * reconciliation) to the simulator, while it answers with 429 and 5xx bursts, drops the user
 * socket, or cancels our resting orders after a heartbeat gap. Afterwards every order is checked
 * against the venue's own record: one venue order per intent at most, no signed order sent again
 * after an answer that leaves its fate open, each local status the venue's truth, fills equal to
 * the venue's trades to the micro, and the position equal to the wallet's balance at the venue.
 *
 * The broker-level and tracker-level cases of each fault are in live-broker-faults.test.ts and
 * tracker.test.ts; this file is the combined view.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { systemClock } from '../../../src/core/clock.ts';
import { notional } from '../../../src/core/money.ts';
import type { LiveBroker } from '../../../src/execution/live/live-broker.ts';
import {
  LiveOrderTracker,
  type LiveOrderTrackerOptions,
  type TrackerReport,
} from '../../../src/execution/live/tracker.ts';
import type { FetchLike } from '../../../src/execution/live/transport.ts';
import type { OrderIntent, OrderManager, OrderOutcome } from '../../../src/execution/order-manager.ts';
import type { WsUserMessage } from '../../../src/polymarket/clob/schemas/ws-user.ts';
import { UserSocket } from '../../../src/polymarket/clob/user-socket.ts';
import type { SimulatorOptions } from '../../../src/sim/simulator.ts';
import { orderById, positionOf, type Store } from '../../../src/store/index.ts';
import { forEachEngine, openTestStore, type TestStore } from '../../support/engines.ts';
import { orderId as simOrderId } from '../../support/sim-orders.ts';
import {
  answeredWith,
  answersBySalt,
  localOrders,
  postLog,
  shortHeartbeatClob,
  venueView,
  watchVenueOrders,
} from './faults-support.ts';
import {
  brokerFor,
  insertLiveAccount,
  type LiveWorld,
  liveIntent,
  liveManager,
  MAKER,
  postsTo,
  px,
  sh,
  silent,
  startLiveWorld,
  watchedFetch,
} from './support.ts';

/** Trades settle fast: MINED 100 ms after the match, CONFIRMED 100 ms later. */
const FAST_SETTLEMENT: SimulatorOptions = { blockTimeMs: 100, confirmDelayMs: 100 };
/** How long after a send the tracker waits before calling an order the venue lacks never taken. */
const ACCEPTANCE_WINDOW_MS = 300;

let nextTaker = 70_000;

forEachEngine('live trading through venue faults, end to end', (engine) => {
  let world: LiveWorld;
  let t: TestStore;
  let store: Store;
  let accountId: number;
  const stops: (() => Promise<void> | void)[] = [];

  async function open(options: SimulatorOptions = FAST_SETTLEMENT): Promise<void> {
    world = await startLiveWorld({ seed: 23, ...options });
    t = await openTestStore(engine);
    store = t.store;
    accountId = await insertLiveAccount(store);
  }
  beforeEach(() => {
    stops.length = 0;
  });
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    await t?.dispose();
    await world?.stop();
  });

  /** A tracker on the user channel (unless `socket` is false: REST reconciliation only). */
  const tracker = (broker: LiveBroker, over: Partial<LiveOrderTrackerOptions> = {}, socket = true) => {
    const tr = new LiveOrderTracker({
      store,
      accountId,
      broker,
      clock: systemClock,
      logger: silent,
      ...(socket
        ? {
            userSocketUrl: `${world.sim.urls.clobWs}/user`,
            socket: { backoff: { initialMs: 300, maxMs: 300, jitter: 0 }, random: () => 0.5 },
          }
        : {}),
      ...over,
    });
    stops.push(() => tr.stop());
    return tr;
  };

  /** Places intents named `name` (the idempotency key) through `manager`. */
  function placer(manager: OrderManager) {
    const outcomes = new Map<string, OrderOutcome>();
    const place = async (name: string, over: Partial<OrderIntent> = {}) => {
      const outcome = await manager.place(liveIntent(world, accountId, { idempotencyKey: name, ...over }));
      outcomes.set(name, outcome);
      return outcome;
    };
    return { place, outcomes };
  }

  const httpFault = (status: 425 | 429 | 500 | 502 | 503, count: number, paths = '^/order$') =>
    world.sim.fault('http', { service: 'clob', status, count, paths });
  const yesShares = async () => (await positionOf(store.db, accountId, world.yes))?.shares ?? 0;
  const venueShares = (broker: LiveBroker) =>
    world.sim.venue.engine.position(broker.funder, world.yes).balance;
  const statusOf = async (id: number) => (await orderById(store.db, id))?.status;
  const idOf = (o: OrderOutcome | undefined) => {
    if (o === undefined || o.kind === 'duplicate') throw new Error(`no order: ${JSON.stringify(o)}`);
    return o.orderId;
  };
  const hashOf = (o: OrderOutcome | undefined) => {
    if (o?.kind !== 'submitted' && o?.kind !== 'unknown') throw new Error(`not sent: ${JSON.stringify(o)}`);
    return o.orderHash.toLowerCase();
  };
  /** Every row the tracker writes, for "nothing changed" checks. */
  const snapshot = async () => ({
    orders: await store.db.selectFrom('orders').selectAll().orderBy('id').execute(),
    fills: await store.db.selectFrom('fills').selectAll().orderBy('id').execute(),
    positions: await store.db.selectFrom('positions').selectAll().orderBy('id').execute(),
  });

  /** Until every trade of ours is CONFIRMED at the venue and every fill of ours is booked CONFIRMED. */
  async function settled(): Promise<void> {
    await vi.waitFor(
      async () => {
        const orders = await localOrders(store, accountId);
        const local = orders.flatMap((o) => o.fills);
        const venue = orders.flatMap((o) => venueView(world.sim, o.key, o.hash).fills);
        expect(venue.every((f) => f.status === 'CONFIRMED')).toBe(true);
        expect(local.map((f) => f.trade).sort()).toEqual(venue.map((f) => f.trade).sort());
        expect(local.every((f) => f.status === 'CONFIRMED')).toBe(true);
      },
      { timeout: 10_000, interval: 25 },
    );
  }

  /**
   * The venue's truth for every local order: one local order per intent, each as the venue has it
   * (status, matched shares, fills trade by trade); every order the venue saw for our wallet is one
   * of ours, no hash twice; the position is the wallet's balance at the venue.
   */
  async function expectVenueTruth(
    broker: LiveBroker,
    intents: readonly string[],
    venueOrders: string[],
    { statuses = true } = {},
  ) {
    const local = await localOrders(store, accountId);
    expect(local.map((o) => o.key).sort()).toEqual([...intents].sort());
    const unlessStatus = <T extends { status: string }>({ status, ...rest }: T) =>
      statuses ? { status, ...rest } : rest;
    expect(local.map(({ hash: _, ...view }) => unlessStatus(view))).toEqual(
      local.map((o) => unlessStatus(venueView(world.sim, o.key, o.hash))),
    );
    const hashes = local.flatMap((o) => (o.hash === null ? [] : [o.hash.toLowerCase()]));
    expect(new Set(hashes).size).toBe(hashes.length);
    const atVenue = hashes.filter((h) => world.sim.venue.engine.order(h) !== undefined);
    expect([...venueOrders].sort()).toEqual(atVenue.sort());
    expect(await yesShares()).toBe(venueShares(broker));
    expect(world.sim.venue.engine.position(broker.funder, world.no).balance).toBe(0);
    return local;
  }

  it('429 and 5xx bursts while orders flow: at most one venue order per intent, nothing resent after an ambiguous answer, every order settled to the venue truth', async () => {
    await open();
    await world.rest(world.yes, 'SELL', 0.4, 40);
    await world.rest(world.yes, 'BUY', 0.35, 100);
    const watch = watchedFetch();
    const log = postLog(watch.fetch);
    const { broker } = await brokerFor(world, 'bursts', { fetch: log.fetch });
    const venueOrders = watchVenueOrders(world.sim, broker.funder);
    stops.push(() => venueOrders.stop());
    const tr = tracker(broker, { acceptanceWindowMs: ACCEPTANCE_WINDOW_MS });
    await tr.start();
    const { place, outcomes } = placer(liveManager(store, world, broker));
    const gtc = (price: number, size = 5) => ({
      orderType: 'GTC' as const,
      limitPrice: px(price),
      size: sh(size),
    });

    // 429s the retries outlast: accepted, once.
    await httpFault(429, 2);
    expect(await place('fok buy 10, 2 x 429')).toMatchObject({ kind: 'submitted', venueStatus: 'matched' });
    await httpFault(429, 1);
    expect(await place('gtc buy 5 @0.30, 429', gtc(0.3))).toMatchObject({
      kind: 'submitted',
      venueStatus: 'live',
    });
    // Bursts the venue answers before taking the order: the fate is unknown here, not resent.
    await httpFault(500, 1);
    expect(await place('fak buy 10, 500', { orderType: 'FAK' })).toMatchObject({ kind: 'unknown' });
    await httpFault(429, 4);
    expect(await place('fok buy 5, 4 x 429', { size: sh(5) })).toMatchObject({
      kind: 'unknown',
      error: expect.stringMatching(/still rate limited/),
    });
    // 5xx after the venue took the order: unknown here, found by the user channel or reconcile.
    watch.next(answeredWith(502));
    expect(await place('fok buy 5, took it then 502', { size: sh(5) })).toMatchObject({ kind: 'unknown' });
    watch.next(answeredWith(503));
    expect(await place('gtc buy 5 @0.31, took it then 503', gtc(0.31))).toMatchObject({ kind: 'unknown' });

    // Sells need the buys booked: the FOK answered and the one answered 502, from the user channel.
    await vi.waitFor(async () => expect(await yesShares()).toBe(sh(15)), { timeout: 5_000 });
    await httpFault(429, 3);
    expect(
      await place('fok sell 5 @0.35, 3 x 429', { side: 'SELL', size: sh(5), limitPrice: px(0.35) }),
    ).toMatchObject({ kind: 'submitted', venueStatus: 'matched' });
    await httpFault(425, 1);
    expect(await place('gtc sell 5 @0.45, 425', { side: 'SELL', ...gtc(0.45) })).toMatchObject({
      kind: 'unknown',
    });
    expect(await place('fak buy 10', { orderType: 'FAK' })).toMatchObject({
      kind: 'submitted',
      venueStatus: 'matched',
    });
    // Three at once into 429, 429, 500: the signer lock sends one at a time, so the first of them
    // meets the whole burst and the other two go through.
    await httpFault(429, 2);
    await httpFault(500, 1);
    const wave = await Promise.all([0.2, 0.21, 0.22].map((p, i) => place(`wave ${i}: gtc buy 5`, gtc(p))));
    expect(wave.map((w) => w.kind).sort()).toEqual(['submitted', 'submitted', 'unknown']);

    await settled();
    // A 5xx burst on the reads: the reconcile fails whole and writes nothing.
    const before = await snapshot();
    await httpFault(503, 1, '^/data/orders$');
    await expect(tr.reconcile('reads failing')).rejects.toThrow();
    expect(await snapshot()).toEqual(before);

    // Past the acceptance window the venue's "no such hash" settles the orders it never took.
    await sleep(ACCEPTANCE_WINDOW_MS);
    const report = await tr.reconcile('after the bursts');
    expect(report.errors).toEqual([]);
    const unknownWave = wave.find((w) => w.kind === 'unknown');
    const neverTaken = ['fak buy 10, 500', 'fok buy 5, 4 x 429', 'gtc sell 5 @0.45, 425'].map((k) =>
      idOf(outcomes.get(k)),
    );
    expect(
      report.changes
        .filter((c) => c.to === 'REJECTED')
        .map((c) => c.orderId)
        .sort(),
    ).toEqual([...neverTaken, idOf(unknownWave)].sort());
    expect((await tr.reconcile('again')).changes).toEqual([]);

    const local = await expectVenueTruth(broker, [...outcomes.keys()], venueOrders.ids());
    expect(Object.fromEntries(local.map((o) => [o.key, o.status]))).toEqual({
      'fok buy 10, 2 x 429': 'FILLED',
      'gtc buy 5 @0.30, 429': 'LIVE',
      'fak buy 10, 500': 'REJECTED',
      'fok buy 5, 4 x 429': 'REJECTED',
      'fok buy 5, took it then 502': 'FILLED',
      'gtc buy 5 @0.31, took it then 503': 'LIVE',
      'fok sell 5 @0.35, 3 x 429': 'FILLED',
      'gtc sell 5 @0.45, 425': 'REJECTED',
      'fak buy 10': 'FILLED',
      ...Object.fromEntries(
        wave.map((w, i) => [`wave ${i}: gtc buy 5`, w.kind === 'unknown' ? 'REJECTED' : 'LIVE']),
      ),
    });
    expect(await yesShares()).toBe(sh(10 + 5 - 5 + 10));
    // Taker fees are charged on this market, so the fee comparison above means something.
    expect(local.flatMap((o) => o.fills).some((f) => f.fee > 0)).toBe(true);

    // Each signed order posted: again only after a 429 (the venue did not take it), never after a
    // 5xx, 425 or a refusal; one signed order per intent that reached the venue's door.
    const answers = [...answersBySalt(log.posts).values()];
    expect(answers).toEqual([
      [429, 429, 200],
      [429, 200],
      [500],
      [429, 429, 429, 429],
      [502],
      [503],
      [429, 429, 429, 200],
      [425],
      [200],
      [429, 429, 500],
      [200],
      [200],
    ]);
    expect(answers).toHaveLength(local.filter((o) => o.hash !== null).length);
    await broker.cancelAll();
  });

  it('a dropped user socket while resting GTCs fill and one is cancelled: the gap reconcile books each once, and the events seen late change nothing', async () => {
    // Slow settlement: the trade is MINED while the socket is away and CONFIRMED after it is back.
    await open({ blockTimeMs: 600, confirmDelayMs: 1_200 });
    await world.rest(world.yes, 'SELL', 0.4, 50);
    const watch = watchedFetch();
    const { broker } = await brokerFor(world, 'socket drop', { fetch: watch.fetch });
    const venueOrders = watchVenueOrders(world.sim, broker.funder);
    stops.push(() => venueOrders.stop());
    const reports: TrackerReport[] = [];
    // The socket comes back 1.5 s after the drop: time for the venue to move on without it.
    const tr = tracker(broker, {
      socket: { backoff: { initialMs: 1_500, maxMs: 1_500, jitter: 0 }, random: () => 0.5 },
      onReconcile: (r) => reports.push(r),
    });
    await tr.start();
    const { place, outcomes } = placer(liveManager(store, world, broker));
    const gtc = (price: number, size: number) => ({
      orderType: 'GTC' as const,
      limitPrice: px(price),
      size: sh(size),
    });

    const fok = await place('fok buy 10');
    const filledInGap = await place('gtc buy 10 @0.30', gtc(0.3, 10));
    const partInGap = await place('gtc buy 10 @0.29', gtc(0.29, 10));
    const cancelledInGap = await place('gtc buy 5 @0.28', gtc(0.28, 5));
    const untouched = await place('gtc buy 5 @0.27', gtc(0.27, 5));
    await vi.waitFor(async () => {
      expect(await statusOf(idOf(fok))).toBe('FILLED');
      expect(await yesShares()).toBe(sh(10));
      for (const o of [filledInGap, partInGap, cancelledInGap, untouched]) {
        expect(await statusOf(idOf(o))).toBe('LIVE');
      }
    });

    const dropped = (await world.sim.fault('clob_ws_drop', { channel: 'user' })) as { dropped: number };
    expect(dropped.dropped).toBeGreaterThanOrEqual(1);
    // A second subscription, opened after the drop, sees what ours misses.
    const late: WsUserMessage[] = [];
    const recorder = new UserSocket({
      url: `${world.sim.urls.clobWs}/user`,
      credentials: await broker.ensureApiCreds(),
      logger: silent,
      onOrder: (u) => late.push(u.message),
      onTrade: (u) => late.push(u.message),
    });
    stops.push(() => recorder.stop());
    recorder.start();
    await vi.waitFor(() => expect(recorder.health().state).toBe('open'));

    // While ours is away: MAKER sells 14 into our bids (10 at 0.30, 4 at 0.29), and we cancel one.
    const { result } = await world.sim.venue.submit({
      id: simOrderId(nextTaker++),
      owner: 'key-maker',
      maker: MAKER,
      tokenId: world.yes,
      side: 'SELL',
      makerAmount: sh(14),
      takerAmount: notional(sh(14), px(0.29), 'floor'),
      orderType: 'FOK',
      expiration: 0,
    });
    expect(result).toMatchObject({ success: true, status: 'matched' });
    expect((await broker.cancel(hashOf(cancelledInGap))).canceled).toEqual([hashOf(cancelledInGap)]);
    await vi.waitFor(() =>
      expect(late.filter((m) => m.event_type === 'order').map((m) => m.type)).toEqual([
        'UPDATE',
        'UPDATE',
        'CANCELLATION',
      ]),
    );
    // Nothing of it reached us yet.
    for (const o of [filledInGap, partInGap, cancelledInGap]) expect(await statusOf(idOf(o))).toBe('LIVE');
    expect(reports.map((r) => r.reason)).toEqual(['start']);

    await vi.waitFor(() => expect(reports.map((r) => r.reason)).toContain('gap'), { timeout: 5_000 });
    const gap = reports.find((r) => r.reason === 'gap')!;
    expect(gap.errors).toEqual([]);
    const byOrder = (changes: TrackerReport['changes']) =>
      changes
        .map((c) => ({ orderId: c.orderId, from: c.from, to: c.to, fills: c.fills, source: c.source }))
        .sort((a, b) => a.orderId - b.orderId);
    const added = (n: number) => ({ added: n, advanced: 0, rolledBack: 0 });
    // The FOK's fill may have moved on (MINED) while the socket was away: only advanced, never added.
    const [fokChanges, gapChanges] = [
      byOrder(gap.changes).filter((c) => c.orderId === idOf(fok)),
      byOrder(gap.changes).filter((c) => c.orderId !== idOf(fok)),
    ];
    for (const c of fokChanges)
      expect(c).toMatchObject({ from: 'FILLED', to: 'FILLED', fills: { added: 0 } });
    expect(gapChanges).toEqual([
      { orderId: idOf(filledInGap), from: 'LIVE', to: 'FILLED', fills: added(1), source: 'reconcile' },
      { orderId: idOf(partInGap), from: 'LIVE', to: 'PARTIAL', fills: added(1), source: 'reconcile' },
      { orderId: idOf(cancelledInGap), from: 'LIVE', to: 'CANCELLED', fills: added(0), source: 'reconcile' },
    ]);
    expect(await yesShares()).toBe(sh(24));

    // The reconnected socket carries on: a sell through it, and the settlement of the gap's trade.
    await world.rest(world.yes, 'BUY', 0.35, 50);
    expect(
      await place('fok sell 10 @0.35', { side: 'SELL', size: sh(10), limitPrice: px(0.35) }),
    ).toMatchObject({ kind: 'submitted', venueStatus: 'matched' });
    await settled();
    expect(tr.health().socket).toMatchObject({ state: 'open', reconnects: 1 });

    // The events ours missed, delivered late and twice, in any order: nothing moves.
    const before = await snapshot();
    for (const message of [...late, ...late.toReversed()]) {
      const applied = await tr.onUserEvent(message);
      expect(applied.changes).toEqual([]);
      expect(applied.errors).toEqual([]);
    }
    expect((await tr.reconcile('after the replay')).changes).toEqual([]);
    expect(await snapshot()).toEqual(before);

    const local = await expectVenueTruth(broker, [...outcomes.keys()], venueOrders.ids());
    expect(Object.fromEntries(local.map((o) => [o.key, [o.status, o.fills.length]]))).toEqual({
      'fok buy 10': ['FILLED', 1],
      'gtc buy 10 @0.30': ['FILLED', 1],
      'gtc buy 10 @0.29': ['PARTIAL', 1],
      'gtc buy 5 @0.28': ['CANCELLED', 0],
      'gtc buy 5 @0.27': ['LIVE', 0],
      'fok sell 10 @0.35': ['FILLED', 1],
    });
    expect(await yesShares()).toBe(sh(10 + 10 + 4 - 10));
    expect(postsTo(watch, '/order')).toBe(6);
    await broker.cancelAll();
  });

  it('a heartbeat gap: the venue cancels our resting GTC, the tracker marks it CANCELLED, nothing is re-posted; with heartbeats back new orders rest and fill', async () => {
    const HEARTBEAT_TIMEOUT_MS = 400;
    await open();
    await world.rest(world.yes, 'SELL', 0.4, 50);
    const clob = await shortHeartbeatClob(world.sim, HEARTBEAT_TIMEOUT_MS);
    stops.push(() => clob.close());
    const watch = watchedFetch();
    const log = postLog(watch.fetch);
    const { broker } = await brokerFor(world, 'heartbeat gap', {
      clobUrl: clob.url,
      fetch: log.fetch,
      heartbeatIntervalMs: 100,
    });
    stops.push(() => broker.stopHeartbeat());
    const venueOrders = watchVenueOrders(world.sim, broker.funder);
    stops.push(() => venueOrders.stop());
    const tr = tracker(broker);
    await tr.start();
    broker.startHeartbeat();
    const { place, outcomes } = placer(liveManager(store, world, broker));
    const engineOrder = (o: OrderOutcome | undefined) => world.sim.venue.engine.order(hashOf(o));

    const resting = await place('gtc buy 5 @0.30, before the gap', {
      orderType: 'GTC',
      limitPrice: px(0.3),
      size: sh(5),
    });
    expect(resting).toMatchObject({ kind: 'submitted', venueStatus: 'live' });
    expect(await place('fok buy 10, before the gap')).toMatchObject({
      kind: 'submitted',
      venueStatus: 'matched',
    });
    // Three timeouts long with heartbeats flowing: it keeps resting.
    await sleep(3 * HEARTBEAT_TIMEOUT_MS);
    expect(engineOrder(resting)?.status).toBe('LIVE');
    expect(broker.heartbeat).toMatchObject({ failures: 0 });
    expect(broker.heartbeat.beats).toBeGreaterThanOrEqual(5);
    expect(clob.heartbeatKeys()).toHaveLength(1);
    const postsBefore = log.posts.length;

    // The gap: every heartbeat fails; the venue's switch cancels what rests.
    clob.faults.nextResponses(503, 100_000, /^\/v1\/heartbeats$/);
    await vi.waitFor(
      () => expect(engineOrder(resting)).toMatchObject({ status: 'CANCELED', matchedShares: 0 }),
      {
        timeout: 3_000,
      },
    );
    await vi.waitFor(async () => expect(await statusOf(idOf(resting))).toBe('CANCELLED'));
    expect(broker.heartbeat.failures).toBeGreaterThan(0);
    expect(clob.heartbeatKeys()).toEqual([]);
    expect(log.posts.length).toBe(postsBefore);
    expect(venueOrders.ids()).toHaveLength(2);

    // Heartbeats back: a new resting order outlives three timeouts, a FOK fills.
    clob.faults.clear();
    const beatsBack = broker.heartbeat.beats;
    const after = await place('gtc buy 5 @0.31, after the gap', {
      orderType: 'GTC',
      limitPrice: px(0.31),
      size: sh(5),
    });
    expect(after).toMatchObject({ kind: 'submitted', venueStatus: 'live' });
    await sleep(3 * HEARTBEAT_TIMEOUT_MS);
    expect(engineOrder(after)?.status).toBe('LIVE');
    expect(broker.heartbeat.beats).toBeGreaterThan(beatsBack + 2);
    expect(clob.heartbeatKeys()).toHaveLength(1);
    expect(await place('fok buy 5, after the gap', { size: sh(5) })).toMatchObject({
      kind: 'submitted',
      venueStatus: 'matched',
    });

    await settled();
    expect((await tr.reconcile('after the gap')).changes).toEqual([]);
    const local = await expectVenueTruth(broker, [...outcomes.keys()], venueOrders.ids());
    expect(Object.fromEntries(local.map((o) => [o.key, o.status]))).toEqual({
      'gtc buy 5 @0.30, before the gap': 'CANCELLED',
      'fok buy 10, before the gap': 'FILLED',
      'gtc buy 5 @0.31, after the gap': 'LIVE',
      'fok buy 5, after the gap': 'FILLED',
    });
    expect(await yesShares()).toBe(sh(15));
    // Four intents, four signed orders, each posted once.
    expect([...answersBySalt(log.posts).values()]).toEqual([[200], [200], [200], [200]]);
    await broker.shutdown();
  });

  it('orders the venue kills (a FOK with nothing to take, the rest of a FAK): one final state and exact fills whatever arrives first', async () => {
    await open();
    const watch = watchedFetch();
    const log = postLog(watch.fetch);
    const { broker } = await brokerFor(world, 'kills', { fetch: log.fetch });
    const venueOrders = watchVenueOrders(world.sim, broker.funder);
    stops.push(() => venueOrders.stop());
    // The tracker reads REST only; the user channel's messages are held here and handed to it when
    // the test says, so each race runs one way on purpose.
    const messages: WsUserMessage[] = [];
    const channel = new UserSocket({
      url: `${world.sim.urls.clobWs}/user`,
      credentials: await broker.ensureApiCreds(),
      logger: silent,
      onOrder: (u) => messages.push(u.message),
      onTrade: (u) => messages.push(u.message),
    });
    stops.push(() => channel.stop());
    channel.start();
    await vi.waitFor(() => expect(channel.health().state).toBe('open'));
    const tr = tracker(broker, { acceptanceWindowMs: ACCEPTANCE_WINDOW_MS }, false);
    await tr.start();
    const { place, outcomes } = placer(liveManager(store, world, broker));

    const mentions = (m: WsUserMessage, hash: string) =>
      m.event_type === 'order'
        ? m.id.toLowerCase() === hash
        : [m.taker_order_id, ...m.maker_orders.map((o) => o.order_id)].some(
            (id) => id.toLowerCase() === hash,
          );
    const hashOfKey = async (key: string) =>
      (
        await store.db
          .selectFrom('orders')
          .select('order_hash')
          .where('idempotency_key', '=', key)
          .executeTakeFirstOrThrow()
      ).order_hash!.toLowerCase();
    /** Hands the tracker the order's messages once its cancellation (after `trades` trades) came. */
    const deliver = async (key: string, trades: number) => {
      const hash = await hashOfKey(key);
      const about = () => messages.filter((m) => mentions(m, hash));
      await vi.waitFor(() => {
        expect(about().filter((m) => m.event_type === 'trade')).toHaveLength(trades);
        expect(about().some((m) => m.event_type === 'order' && m.type === 'CANCELLATION')).toBe(true);
      });
      for (const m of about()) expect((await tr.onUserEvent(m)).errors).toEqual([]);
    };
    const lostAnswer = async (input: string, init: RequestInit, real: FetchLike): Promise<Response> => {
      await real(input, init);
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('other side closed'), { code: 'ECONNRESET' }),
      });
    };
    /** One intent three ways: the answer first, the user channel first, the answer lost. */
    const threeWays = async (
      what: string,
      trades: number,
      over: Partial<OrderIntent>,
      before = async () => {},
    ) => {
      await before();
      await place(`${what}: answer first`, over);
      await deliver(`${what}: answer first`, trades);
      await before();
      watch.next(async (input, init, real) => {
        const res = await real(input, init);
        await deliver(`${what}: user channel first`, trades);
        return res;
      });
      await place(`${what}: user channel first`, over);
      await before();
      watch.next(lostAnswer);
      expect(await place(`${what}: answer lost`, over)).toMatchObject({ kind: 'unknown' });
    };

    await threeWays('fok buy 10 killed', 0, {});
    await threeWays('fak buy 10, 5 there', 1, { orderType: 'FAK' }, async () => {
      await world.rest(world.yes, 'SELL', 0.4, 5);
    });

    // Settled at the venue, then reconciled past the acceptance window.
    await vi.waitFor(() =>
      expect(world.sim.venue.allTrades().every((r) => r.status === 'CONFIRMED')).toBe(true),
    );
    await sleep(ACCEPTANCE_WINDOW_MS);
    expect((await tr.reconcile('settled')).errors).toEqual([]);
    // Every message again, in any order: nothing moves.
    const before = await snapshot();
    for (const m of [...messages, ...messages.toReversed()])
      expect((await tr.onUserEvent(m)).changes).toEqual([]);
    expect((await tr.reconcile('again')).changes).toEqual([]);
    expect(await snapshot()).toEqual(before);

    // Nothing lost or doubled: fills, matched shares and the position are the venue's whichever way.
    const local = await expectVenueTruth(broker, [...outcomes.keys()], venueOrders.ids(), {
      statuses: false,
    });
    expect(await yesShares()).toBe(sh(15));
    expect([...answersBySalt(log.posts).values()]).toEqual([[400], [400], ['lost'], [200], [200], ['lost']]);
    // One venue fate, one local end, whichever of the order manager (the POST's answer) and the
    // tracker (the user channel's CANCELLATION, or /data/order after a lost answer) writes first:
    // a FOK killed with nothing filled is REJECTED (its POST is a FOK error), a FAK whose rest
    // was killed is FILLED with what it got (a FOK or FAK never rests).
    expect(Object.fromEntries(local.map((o) => [o.key, o.status]))).toEqual({
      'fok buy 10 killed: answer first': 'REJECTED',
      'fok buy 10 killed: user channel first': 'REJECTED',
      'fok buy 10 killed: answer lost': 'REJECTED',
      'fak buy 10, 5 there: answer first': 'FILLED',
      'fak buy 10, 5 there: user channel first': 'FILLED',
      'fak buy 10, 5 there: answer lost': 'FILLED',
    });
  });
});
