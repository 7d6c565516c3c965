/**
 * The live order tracker against the simulator: orders placed live through the order manager and
 * the live broker, their fate read back from the venue by the user channel and by REST
 * reconciliation. Fills are booked into fills and positions (never cash) and follow the venue's
 * settlement MATCHED -> MINED -> CONFIRMED; an order left SUBMITTED by a lost answer is settled at
 * start without being resent; events seen twice change nothing; a socket drop is covered by the
 * gap reconcile; a FAILED trade rolls its fill and the position back.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Clock, systemClock } from '../../../src/core/clock.ts';
import { notional, type Price } from '../../../src/core/money.ts';
import type { LiveBroker } from '../../../src/execution/live/live-broker.ts';
import {
  LiveOrderTracker,
  type LiveOrderTrackerOptions,
  type TrackerReport,
} from '../../../src/execution/live/tracker.ts';
import type { LiveVenue, OrderIntent } from '../../../src/execution/order-manager.ts';
import type { WsUserMessage } from '../../../src/polymarket/clob/schemas/ws-user.ts';
import { UserSocket } from '../../../src/polymarket/clob/user-socket.ts';
import { takerFee } from '../../../src/polymarket/fees.ts';
import { orderById, positionOf, type Store } from '../../../src/store/index.ts';
import { forEachEngine, openTestStore, type TestStore } from '../../support/engines.ts';
import { orderId as simOrderId } from '../../support/sim-orders.ts';
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
  usd,
  watchedFetch,
} from './support.ts';

let nextTaker = 90_000;

/** The system clock moved `ms` ahead: a process restarted that much later. */
const later = (ms: number): Clock => ({
  now: () => Date.now() + ms,
  monotonicNs: () => systemClock.monotonicNs(),
  sleep: (d, signal) => systemClock.sleep(d, signal),
  setTimer: (d, cb) => systemClock.setTimer(d, cb),
});

const FAST_SOCKET = { backoff: { initialMs: 300, maxMs: 300, jitter: 0 }, random: () => 0.5 };

forEachEngine('live order tracker', (engine) => {
  let world: LiveWorld;
  let t: TestStore;
  let store: Store;
  let accountId: number;
  const stops: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    world = await startLiveWorld({ seed: 17, confirmDelayMs: 200 });
    await world.rest(world.yes, 'SELL', 0.4, 100);
    t = await openTestStore(engine);
    store = t.store;
    accountId = await insertLiveAccount(store);
  });
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
    await t?.dispose();
    await world?.stop();
  });

  const manager = (venue: LiveVenue | null) => liveManager(store, world, venue);
  const intent = (over: Partial<OrderIntent> = {}) => liveIntent(world, accountId, over);
  const tracker = (broker: LiveBroker, over: Partial<LiveOrderTrackerOptions> = {}) => {
    const tr = new LiveOrderTracker({
      store,
      accountId,
      broker,
      clock: systemClock,
      logger: silent,
      ...over,
    });
    stops.push(() => tr.stop());
    return tr;
  };
  const withSocket = (): Partial<LiveOrderTrackerOptions> => ({
    userSocketUrl: `${world.sim.urls.clobWs}/user`,
    socket: FAST_SOCKET,
  });
  /** The wallet MAKER takes liquidity: a FOK SELL of `size` YES down to `price`. */
  const sellInto = async (price: number, size: number) => {
    const { result } = await world.sim.venue.submit({
      id: simOrderId(nextTaker++),
      owner: 'key-maker',
      maker: MAKER,
      tokenId: world.yes,
      side: 'SELL',
      makerAmount: sh(size),
      takerAmount: notional(sh(size), px(price), 'floor'),
      orderType: 'FOK',
      expiration: 0,
    });
    expect(result, JSON.stringify(result)).toMatchObject({ success: true, status: 'matched' });
  };
  const fillsOf = (orderId: number) =>
    store.db
      .selectFrom('fills')
      .select(['venue_trade_id', 'status', 'size', 'price', 'fee', 'tx_hash', 'is_paper', 'price_source'])
      .where('order_id', '=', orderId)
      .orderBy('id')
      .execute();
  const yesPosition = () => positionOf(store.db, accountId, world.yes);
  const cash = async () =>
    (
      await store.db
        .selectFrom('accounts')
        .select('cash')
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow()
    ).cash;
  /** Every row the tracker writes, for "nothing changed" checks. */
  const snapshot = async () => ({
    orders: await store.db.selectFrom('orders').selectAll().orderBy('id').execute(),
    fills: await store.db.selectFrom('fills').selectAll().orderBy('id').execute(),
    positions: await store.db.selectFrom('positions').selectAll().orderBy('id').execute(),
    accounts: await store.db.selectFrom('accounts').selectAll().execute(),
  });
  /** The fill's statuses as they change, polled until CONFIRMED. */
  async function statusTrail(orderId: number): Promise<string[]> {
    const trail: string[] = [];
    await vi.waitFor(
      async () => {
        const status = (await fillsOf(orderId))[0]?.status;
        if (status !== undefined && trail.at(-1) !== status) trail.push(status);
        expect(status).toBe('CONFIRMED');
      },
      { timeout: 10_000, interval: 20 },
    );
    return trail;
  }
  /** A second user-channel subscription on the same key, recording the raw messages. */
  async function recorder(broker: LiveBroker): Promise<WsUserMessage[]> {
    const seen: WsUserMessage[] = [];
    const socket = new UserSocket({
      url: `${world.sim.urls.clobWs}/user`,
      credentials: await broker.ensureApiCreds(),
      logger: silent,
      onOrder: (u) => seen.push(u.message),
      onTrade: (u) => seen.push(u.message),
    });
    stops.push(() => socket.stop());
    socket.start();
    await vi.waitFor(() => expect(socket.health().state).toBe('open'));
    return seen;
  }

  it('books a live fill from the user channel into fills and the position, not cash, and follows it to CONFIRMED', async () => {
    const { broker } = await brokerFor(world, 'tracker fills');
    const tr = tracker(broker, withSocket());
    const started = await tr.start();
    expect(started).toMatchObject({ reason: 'start', orders: 0, changes: [], errors: [] });
    const cashBefore = await cash();

    const out = await manager(broker).place(intent());
    expect(out).toMatchObject({ kind: 'submitted', venueStatus: 'matched' });
    if (out.kind !== 'submitted') return;
    expect(await statusTrail(out.orderId)).toEqual(['MATCHED', 'MINED', 'CONFIRMED']);

    const [venueTrade] = await broker.trades();
    const fee = takerFee(sh(10), px(0.4), world.market.feeSchedule.rate as never);
    expect(await fillsOf(out.orderId)).toEqual([
      {
        venue_trade_id: venueTrade!.id,
        status: 'CONFIRMED',
        size: sh(10),
        price: px(0.4),
        fee,
        tx_hash: venueTrade!.transaction_hash,
        is_paper: 0,
        price_source: 'venue',
      },
    ]);
    expect(await orderById(store.db, out.orderId)).toMatchObject({
      status: 'FILLED',
      filled_size: sh(10),
      first_fill_at: expect.any(Number),
      done_at: expect.any(Number),
    });
    expect(await yesPosition()).toMatchObject({
      shares: sh(10),
      cost: notional(sh(10), px(0.4), 'ceil') + fee,
      realized_pnl: 0,
    });
    // A live account's cash is the venue's pUSD: fills do not touch the column.
    expect(await cash()).toBe(cashBefore);
    // Settled: REST no longer needs to look at it.
    expect(await tr.reconcile('check')).toMatchObject({ orders: 0, changes: [] });
  });

  describe('restart with an order left SUBMITTED', () => {
    it('the venue never took it (a 500 before the route): REJECTED after the acceptance window, not resent', async () => {
      const watch = watchedFetch();
      const { broker } = await brokerFor(world, 'restart refused', { fetch: watch.fetch });
      await world.sim.fault('http', { service: 'clob', status: 500, count: 1, paths: '^/order$' });
      const out = await manager(broker).place(intent());
      expect(out).toMatchObject({ kind: 'unknown' });
      if (out.kind !== 'unknown') return;
      const posts = postsTo(watch, '/order');

      // Restarted at once: the venue may still be taking it, so it stays SUBMITTED.
      const early = await tracker(broker).reconcile('start');
      expect(early.changes).toEqual([]);
      expect((await orderById(store.db, out.orderId))!.status).toBe('SUBMITTED');

      // Restarted two minutes later: the venue does not know the hash, so it never took it.
      const report = await tracker(broker, { clock: later(120_000) }).start();
      expect(report.changes).toEqual([
        expect.objectContaining({ orderId: out.orderId, from: 'SUBMITTED', to: 'REJECTED' }),
      ]);
      expect(report.resendable).toEqual([]);
      expect(await orderById(store.db, out.orderId)).toMatchObject({
        status: 'REJECTED',
        order_hash: out.orderHash,
        error: expect.stringMatching(/^reconciled: the venue does not know its hash/),
        done_at: expect.any(Number),
      });
      expect(postsTo(watch, '/order')).toBe(posts);
      expect(await broker.order(out.orderHash)).toBeNull();
      expect(await broker.trades()).toEqual([]);
      expect(await fillsOf(out.orderId)).toEqual([]);
    });

    it('the venue took the FOK and the answer was lost: FILLED at start with its fill booked, not resent', async () => {
      const watch = watchedFetch();
      const { broker } = await brokerFor(world, 'restart filled', { fetch: watch.fetch });
      watch.next(async (input, init, real) => {
        await real(input, init);
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('other side closed'), { code: 'ECONNRESET' }),
        });
      });
      const out = await manager(broker).place(intent());
      expect(out).toMatchObject({ kind: 'unknown' });
      if (out.kind !== 'unknown') return;
      expect((await orderById(store.db, out.orderId))!.status).toBe('SUBMITTED');
      const posts = postsTo(watch, '/order');

      const report = await tracker(broker).start();
      expect(report.changes).toEqual([
        expect.objectContaining({
          orderId: out.orderId,
          from: 'SUBMITTED',
          to: 'FILLED',
          fills: { added: 1, advanced: 0, rolledBack: 0 },
        }),
      ]);
      expect(await orderById(store.db, out.orderId)).toMatchObject({
        status: 'FILLED',
        filled_size: sh(10),
        venue_order_id: out.orderHash,
        acked_at: expect.any(Number),
      });
      expect(await fillsOf(out.orderId)).toEqual([expect.objectContaining({ size: sh(10), price: px(0.4) })]);
      expect((await yesPosition())?.shares).toBe(sh(10));
      expect(postsTo(watch, '/order')).toBe(posts);
      expect(await broker.trades()).toHaveLength(1);
    });

    it('the venue took the GTC and the answer was lost: LIVE at start, resting once on the venue', async () => {
      const watch = watchedFetch();
      const { broker } = await brokerFor(world, 'restart resting', { fetch: watch.fetch });
      watch.next(async (input, init, real) => {
        await real(input, init);
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('other side closed'), { code: 'ECONNRESET' }),
        });
      });
      const out = await manager(broker).place(intent({ orderType: 'GTC', limitPrice: px(0.3) as Price }));
      expect(out).toMatchObject({ kind: 'unknown' });
      if (out.kind !== 'unknown') return;

      const report = await tracker(broker).start();
      expect(report.changes).toEqual([
        expect.objectContaining({ orderId: out.orderId, from: 'SUBMITTED', to: 'LIVE' }),
      ]);
      expect(await orderById(store.db, out.orderId)).toMatchObject({
        status: 'LIVE',
        venue_order_id: out.orderHash,
      });
      expect((await broker.openOrders()).map((o) => o.id)).toEqual([out.orderHash]);
      expect(postsTo(watch, '/order')).toBe(1);
      await broker.cancelAll();
    });
  });

  it('a resting GTC cancelled on the venue is CANCELLED after a reconcile', async () => {
    const { broker } = await brokerFor(world, 'tracker cancelled');
    const out = await manager(broker).place(intent({ orderType: 'GTC', limitPrice: px(0.3) as Price }));
    expect(out).toMatchObject({ kind: 'submitted', venueStatus: 'live' });
    if (out.kind !== 'submitted') return;
    const tr = tracker(broker);
    expect((await tr.reconcile('before')).changes).toEqual([]);

    await broker.cancel(out.orderHash);
    // Within the acceptance window too: the venue's answer by hash says cancelled.
    const report = await tr.reconcile('after');
    expect(report.changes).toEqual([
      expect.objectContaining({ orderId: out.orderId, from: 'LIVE', to: 'CANCELLED' }),
    ]);
    expect(await orderById(store.db, out.orderId)).toMatchObject({
      status: 'CANCELLED',
      filled_size: 0,
      done_at: expect.any(Number),
    });
    expect((await tr.reconcile('again')).changes).toEqual([]);
  });

  it('events delivered twice, in any order, change nothing', async () => {
    const { broker } = await brokerFor(world, 'tracker twice');
    const seen = await recorder(broker);
    const tr = tracker(broker, withSocket());
    await tr.start();
    const out = await manager(broker).place(intent({ orderType: 'GTC', limitPrice: px(0.3) as Price }));
    if (out.kind !== 'submitted') throw new Error(`not submitted: ${JSON.stringify(out)}`);
    // Half of it fills: a maker fill of 5, then settled.
    await sellInto(0.3, 5);
    expect(await statusTrail(out.orderId)).toEqual(['MATCHED', 'MINED', 'CONFIRMED']);
    await vi.waitFor(() =>
      expect(seen.map((m) => (m.event_type === 'trade' ? m.status : m.type))).toEqual([
        'PLACEMENT',
        expect.any(String),
        expect.any(String),
        'MINED',
        'CONFIRMED',
      ]),
    );
    expect(await orderById(store.db, out.orderId)).toMatchObject({ status: 'PARTIAL', filled_size: sh(5) });
    expect(await yesPosition()).toMatchObject({ shares: sh(5), cost: notional(sh(5), px(0.3), 'ceil') });
    const before = await snapshot();

    for (const message of [...seen, ...seen.toReversed()]) {
      const result = await tr.onUserEvent(message);
      expect(result).toMatchObject({ orders: 1, changes: [], errors: [] });
    }
    expect((await tr.reconcile('after replay')).changes).toEqual([]);
    expect(await snapshot()).toEqual(before);
    await broker.cancelAll();
  });

  it('a user-channel drop is followed by a gap reconcile that books the fill made while it was down', async () => {
    const { broker } = await brokerFor(world, 'tracker gap');
    const reports: TrackerReport[] = [];
    const tr = tracker(broker, { ...withSocket(), onReconcile: (r) => reports.push(r) });
    await tr.start();
    const out = await manager(broker).place(intent({ orderType: 'GTC', limitPrice: px(0.3) as Price }));
    if (out.kind !== 'submitted') throw new Error(`not submitted: ${JSON.stringify(out)}`);
    await vi.waitFor(async () =>
      expect((await orderById(store.db, out.orderId))!.venue_order_id).not.toBeNull(),
    );

    const dropped = (await world.sim.fault('clob_ws_drop', { channel: 'user' })) as { dropped: number };
    expect(dropped.dropped).toBeGreaterThanOrEqual(1);
    // Filled while the socket is away: its MATCHED trade and order events are lost.
    await sellInto(0.3, 10);

    await vi.waitFor(() => expect(reports.map((r) => r.reason)).toContain('gap'), { timeout: 5_000 });
    const gap = reports.find((r) => r.reason === 'gap')!;
    expect(gap.changes).toEqual([
      expect.objectContaining({
        orderId: out.orderId,
        from: 'LIVE',
        to: 'FILLED',
        fills: { added: 1, advanced: 0, rolledBack: 0 },
        source: 'reconcile',
      }),
    ]);
    expect(await orderById(store.db, out.orderId)).toMatchObject({ status: 'FILLED', filled_size: sh(10) });
    expect(await yesPosition()).toMatchObject({ shares: sh(10), cost: notional(sh(10), px(0.3), 'ceil') });
    // The reconnected socket carries the rest of the settlement.
    expect((await statusTrail(out.orderId)).at(-1)).toBe('CONFIRMED');
    expect(tr.health()).toMatchObject({ state: 'running', socket: { state: 'open', reconnects: 1 } });
  });

  it('a FAILED trade rolls its fill back, and the position with it', async () => {
    const { broker } = await brokerFor(world, 'tracker failed');
    const out = await manager(broker).place(intent());
    if (out.kind !== 'submitted') throw new Error(`not submitted: ${JSON.stringify(out)}`);
    // FILLED by the order manager on the venue's answer, its fill not booked: the start does it.
    expect(await fillsOf(out.orderId)).toEqual([]);
    const tr = tracker(broker);
    expect((await tr.start()).changes).toEqual([
      expect.objectContaining({
        from: 'FILLED',
        to: 'FILLED',
        fills: { added: 1, advanced: 0, rolledBack: 0 },
      }),
    ]);
    expect((await yesPosition())?.shares).toBe(sh(10));

    // The settlement failed: what the user channel would send (the simulator's chain never fails).
    const [trade] = await broker.trades();
    const failed = {
      ...trade!,
      event_type: 'trade',
      type: 'TRADE',
      status: 'FAILED',
      timestamp: trade!.match_time,
    } as unknown as WsUserMessage;
    const result = await tr.onUserEvent(failed);
    expect(result.changes).toEqual([
      expect.objectContaining({ orderId: out.orderId, fills: { added: 0, advanced: 0, rolledBack: 1 } }),
    ]);
    expect(await fillsOf(out.orderId)).toEqual([expect.objectContaining({ status: 'FAILED' })]);
    expect(await yesPosition()).toMatchObject({ shares: 0, cost: 0, realized_pnl: 0 });
    expect(await orderById(store.db, out.orderId)).toMatchObject({ status: 'FILLED', filled_size: 0 });
    // Final is final: the venue's later reports of the trade change nothing.
    expect((await tr.onUserEvent(failed)).changes).toEqual([]);
    // Settled (rolled back): no longer followed.
    expect(await tr.reconcile('after failure')).toMatchObject({ orders: 0, changes: [] });
    expect((await yesPosition())?.shares).toBe(0);
  });
});

forEachEngine('live order tracker, ledger effects of user events', (engine) => {
  let t: TestStore;
  let store: Store;
  let accountId: number;
  const TOKEN = '123456789';
  const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
  /** A venue with nothing on it: the socket's events are all these tests feed. */
  const empty = {
    openOrders: () => Promise.resolve([]),
    trades: () => Promise.resolve([]),
    order: () => Promise.resolve(null),
  };

  beforeEach(async () => {
    t = await openTestStore(engine);
    store = t.store;
    const now = Date.now();
    accountId = (
      await store.db
        .insertInto('accounts')
        .values({
          name: 'live',
          address: MAKER,
          signature_type: 0,
          mode: 'live',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterEach(async () => {
    await t?.dispose();
  });

  async function liveOrder(n: number, side: 'BUY' | 'SELL', size: number, price: number): Promise<number> {
    const now = Date.now();
    return (
      await store.db
        .insertInto('orders')
        .values({
          idempotency_key: `ledger:${n}`,
          account_id: accountId,
          origin: 'manual',
          condition_id: '0xc0',
          token_id: TOKEN,
          side,
          order_type: 'FOK',
          limit_price: px(price),
          size: sh(size),
          is_paper: 0,
          status: 'SUBMITTED',
          order_hash: hash(n),
          created_at: now,
          submitted_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }
  /** A user-channel trade message in which order `n` of ours was the taker. */
  const taken = (n: number, tradeId: string, size: number, price: number, status: string) =>
    ({
      event_type: 'trade',
      type: 'TRADE',
      id: tradeId,
      taker_order_id: hash(n),
      size: String(size),
      price: String(price),
      status,
      maker_orders: [{ order_id: hash(1000 + n), matched_amount: String(size), price: String(price) }],
      match_time: String(Math.floor(Date.now() / 1000)),
      fee_rate_bps: '0',
      trader_side: 'TAKER',
    }) as unknown as WsUserMessage;
  const position = () => positionOf(store.db, accountId, TOKEN);
  const realizedOf = async (tradeId: string) =>
    (
      await store.db
        .selectFrom('fills')
        .select('realized_pnl')
        .where('venue_trade_id', '=', tradeId)
        .executeTakeFirstOrThrow()
    ).realized_pnl;

  it('rolling back an earlier buy replays the position: later sells realize against what is left', async () => {
    const tr = new LiveOrderTracker({
      store,
      accountId,
      broker: empty,
      clock: systemClock,
      logger: silent,
    });
    await liveOrder(1, 'BUY', 10, 0.4);
    await liveOrder(2, 'BUY', 10, 0.5);
    await liveOrder(3, 'SELL', 5, 0.6);
    await tr.onUserEvent(taken(1, 'ta', 10, 0.4, 'MATCHED'));
    await tr.onUserEvent(taken(2, 'tb', 10, 0.5, 'MATCHED'));
    await tr.onUserEvent(taken(3, 'tc', 5, 0.6, 'MATCHED'));
    // Average cost 0.45: the sell realized 5 x (0.60 - 0.45).
    expect(await realizedOf('tc')).toBe(usd(0.75));
    expect(await position()).toMatchObject({ shares: sh(15), cost: usd(6.75), realized_pnl: usd(0.75) });

    const result = await tr.onUserEvent(taken(1, 'ta', 10, 0.4, 'FAILED'));
    expect(result.changes).toEqual([
      expect.objectContaining({ fills: { added: 0, advanced: 0, rolledBack: 1 } }),
    ]);
    // As if the first buy never happened: cost 0.50, so the sell realized 5 x 0.10.
    expect(await realizedOf('tc')).toBe(usd(0.5));
    expect(await position()).toMatchObject({ shares: sh(5), cost: usd(2.5), realized_pnl: usd(0.5) });

    // Still followed: the two fills not settled (the rolled-back one is). The venue lists neither
    // trade, which is flagged and never deleted: fills are money.
    const report = await tr.reconcile('check');
    expect(report).toMatchObject({ orders: 2, changes: [], errors: [] });
    expect(report.flags.map((f) => f.kind)).toEqual(['fill_unknown_to_venue', 'fill_unknown_to_venue']);
  });

  it('a sell the ledger cannot take is recorded and flagged, the position left alone', async () => {
    const tr = new LiveOrderTracker({
      store,
      accountId,
      broker: empty,
      clock: systemClock,
      logger: silent,
    });
    const id = await liveOrder(4, 'SELL', 5, 0.6);
    const result = await tr.onUserEvent(taken(4, 'td', 5, 0.6, 'MATCHED'));
    expect(result.flags).toEqual([expect.objectContaining({ kind: 'ledger', orderId: id })]);
    expect(await position()).toBeUndefined();
    expect(await orderById(store.db, id)).toMatchObject({ status: 'FILLED', filled_size: sh(5) });
    expect(await realizedOf('td')).toBe(0);
  });
});
