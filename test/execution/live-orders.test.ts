/**
 * The order manager's live path against the simulator's CLOB, through the live broker and the
 * official client: the order hash is stored before the order is sent, the venue's answer moves the
 * order (FILLED / LIVE / REJECTED), and an order whose fate is unknown stays SUBMITTED with its
 * hash for reconciliation, never resent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Price } from '../../src/core/money.ts';
import type { LiveVenue, OrderIntent } from '../../src/execution/order-manager.ts';
import { orderById, type Store } from '../../src/store/index.ts';
import { openTestStore, type TestStore } from '../support/engines.ts';
import {
  brokerFor,
  insertLiveAccount,
  type LiveWorld,
  liveIntent,
  liveManager,
  px,
  startLiveWorld,
} from './live/support.ts';

describe('order manager, live path', () => {
  let world: LiveWorld;
  let t: TestStore;
  let store: Store;
  let accountId: number;

  beforeEach(async () => {
    world = await startLiveWorld({ seed: 17 });
    await world.rest(world.yes, 'SELL', 0.4, 100);
    t = await openTestStore('sqlite');
    store = t.store;
    accountId = await insertLiveAccount(store);
  });
  afterEach(async () => {
    await t?.dispose();
    await world?.stop();
  });

  const manager = (venue: LiveVenue | null) => liveManager(store, world, venue);
  const intent = (over: Partial<OrderIntent> = {}) => liveIntent(world, accountId, over);

  it('stores the hash before sending, then the venue fills the FOK: FILLED with the venue id', async () => {
    const { broker } = await brokerFor(world, 'om fills');
    const seenBeforeSend: unknown[] = [];
    const watched: LiveVenue = {
      submit: (order, terms, hooks) =>
        broker.submit(order, terms, {
          beforeSend: async (signed) => {
            await hooks.beforeSend?.(signed);
            const row = await store.db
              .selectFrom('orders')
              .select(['status', 'order_hash'])
              .executeTakeFirstOrThrow();
            seenBeforeSend.push(row);
          },
        }),
    };
    const out = await manager(watched).place(intent());
    expect(out).toMatchObject({ kind: 'submitted', venueStatus: 'matched' });
    if (out.kind !== 'submitted') return;
    expect(seenBeforeSend).toEqual([{ status: 'SUBMITTED', order_hash: out.orderHash }]);
    const row = (await orderById(store.db, out.orderId))!;
    expect(row).toMatchObject({
      status: 'FILLED',
      is_paper: 0,
      order_hash: out.orderHash,
      venue_order_id: out.orderHash,
    });
    expect(row.submitted_at).not.toBeNull();
    expect(row.execution_us).not.toBeNull();
    // The venue holds exactly one trade of ours.
    expect((await broker.trades()).length).toBe(1);
  });

  it('a GTC below the book rests: LIVE on the venue and here', async () => {
    const { broker } = await brokerFor(world, 'om rests');
    const out = await manager(broker).place(intent({ orderType: 'GTC', limitPrice: px(0.3) as Price }));
    expect(out).toMatchObject({ kind: 'submitted', venueStatus: 'live' });
    if (out.kind !== 'submitted') return;
    expect((await orderById(store.db, out.orderId))!.status).toBe('LIVE');
    expect((await broker.openOrders()).map((o) => o.id)).toEqual([out.orderHash]);
    await broker.cancelAll();
  });

  it('the venue refusing (no balance) is REJECTED with its message', async () => {
    const { broker } = await brokerFor(world, 'om broke', { fund: 0 });
    const out = await manager(broker).place(intent());
    expect(out).toMatchObject({ kind: 'rejected' });
    if (out.kind !== 'rejected') return;
    const row = (await orderById(store.db, out.orderId))!;
    expect(row.status).toBe('REJECTED');
    expect(row.error).toMatch(/balance/i);
  });

  it('a 500 after sending leaves the order SUBMITTED with its hash, sent once, never resent', async () => {
    const { broker } = await brokerFor(world, 'om unknown');
    await world.sim.fault('http', { service: 'clob', status: 500, count: 3, paths: '^/order$' });
    const out = await manager(broker).place(intent());
    expect(out).toMatchObject({ kind: 'unknown' });
    if (out.kind !== 'unknown') return;
    const row = (await orderById(store.db, out.orderId))!;
    expect(row).toMatchObject({ status: 'SUBMITTED', order_hash: out.orderHash });
    expect(row.error).toMatch(/^unknown: /);
  });

  it('without a live broker for the account the order is rejected before anything is sent', async () => {
    const out = await manager(null).place(intent());
    expect(out).toMatchObject({ kind: 'rejected', code: 'NO_LIVE_BROKER' });
  });
});
