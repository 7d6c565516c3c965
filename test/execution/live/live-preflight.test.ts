/**
 * The venue-side preflight in the live order path: a buy the wallet cannot pay and a sell of
 * shares it does not hold are refused before anything is signed or sent, with the preflight's code
 * and its fix; one it can pay goes through. The balance is read from the simulator's CLOB
 * (`GET /balance-allowance`, through the official client), as the running app does.
 */
import { expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.ts';
import { ClobAccount, createPreflight } from '../../../src/execution/preflight/index.ts';
import { orderById } from '../../../src/store/index.ts';
import { forEachEngine } from '../../support/engines.ts';
import { brokerFor, liveBed, liveIntent, liveManager, postsTo, sh, watchedFetch } from './support.ts';

forEachEngine('live preflight in the order path', (engine) => {
  const bed = liveBed(engine, { seed: 23 });

  const setUp = async (fund: number) => {
    const { world, store } = bed;
    const watch = watchedFetch();
    const { broker, privateKey } = await brokerFor(world, `preflight ${engine} ${fund}`, {
      fund,
      fetch: watch.fetch,
    });
    const preflight = createPreflight({
      reader: new ClobAccount({
        clobUrl: world.sim.urls.clob,
        chainId: 137,
        privateKey,
        signatureType: 0,
        apiCreds: await broker.ensureApiCreds(),
      }),
      chainId: 137,
      wallet: broker.funder,
      signatureType: 0,
      clock: systemClock,
    });
    return { watch, orders: liveManager(store, world, broker, preflight) };
  };

  it('refuses a buy the wallet cannot pay and a sell of shares it lacks, sending nothing', async () => {
    const { world, store, accountId } = bed;
    const { watch, orders } = await setUp(2);
    const buy = await orders.place(liveIntent(world, accountId));
    expect(buy).toMatchObject({ kind: 'rejected', code: 'INSUFFICIENT_BALANCE' });
    if (buy.kind !== 'rejected') throw new Error('unreachable');
    expect(buy.reason).toMatch(/2(\.0+)? pUSD/);
    const sell = await orders.place(liveIntent(world, accountId, { side: 'SELL', size: sh(5) }));
    expect(sell).toMatchObject({ kind: 'rejected', code: 'INSUFFICIENT_SHARES' });
    expect(postsTo(watch, '/order')).toBe(0);
    const row = await orderById(store.db, buy.orderId);
    expect(row).toMatchObject({ status: 'REJECTED', order_hash: null });
  });

  it('lets a buy the wallet can pay through to the venue', async () => {
    const { world, accountId } = bed;
    const { watch, orders } = await setUp(100);
    const buy = await orders.place(liveIntent(world, accountId));
    expect(buy).toMatchObject({ kind: 'submitted', venueStatus: 'matched' });
    expect(postsTo(watch, '/order')).toBe(1);
  });
});
