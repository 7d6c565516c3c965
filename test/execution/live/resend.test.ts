/**
 * After a crash between storing a live order's hash and the venue getting it, the next start posts
 * the very same signed order again (`OrderManager.resendUnseen`): once, only when the venue answers
 * that it does not know the hash, and never as a second order (same hash; the venue refuses a
 * duplicate). The crash is stood in for by a POST that never reaches the venue and never answers:
 * the order is left SUBMITTED with its hash and signed order, exactly as a SIGKILL would leave it.
 */
import { expect, it } from 'vitest';
import { orderById } from '../../../src/store/index.ts';
import { forEachEngine } from '../../support/engines.ts';
import { brokerFor, liveBed, liveIntent, liveManager, postsTo, watchedFetch } from './support.ts';

forEachEngine('resending a live order the venue never got', (engine) => {
  const bed = liveBed(engine, { seed: 29 });

  /** The venue as the order manager sees it at start: the broker, its resend and its lookup. */
  const venueOf = (broker: Awaited<ReturnType<typeof brokerFor>>['broker']) => ({
    submit: broker.submit.bind(broker),
    resubmit: (signed: Parameters<typeof broker.submitSigned>[0]) => broker.submitSigned(signed),
    lookup: (hash: string) => broker.order(hash),
  });

  /** Places a FOK whose POST is swallowed: SUBMITTED, hash and signed order stored, venue empty. */
  const lostOrder = async (label: string) => {
    const { world, store, accountId } = bed;
    const watch = watchedFetch();
    const { broker } = await brokerFor(world, `${label} ${engine}`, { fetch: watch.fetch, timeoutMs: 300 });
    watch.next(
      (_input, init) =>
        new Promise<Response>((_, reject) =>
          init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        ),
    );
    const orders = liveManager(store, world, venueOf(broker));
    const out = await orders.place(liveIntent(world, accountId));
    if (out.kind !== 'unknown') throw new Error(`expected an unknown fate, got ${JSON.stringify(out)}`);
    const row = (await orderById(store.db, out.orderId))!;
    expect(row).toMatchObject({ status: 'SUBMITTED' });
    expect(row.order_hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(JSON.parse(row.signed_order!)).toMatchObject({ orderHash: row.order_hash });
    expect(await broker.order(row.order_hash!)).toBeNull();
    return { watch, broker, orderId: out.orderId, hash: row.order_hash! };
  };

  it('posts the same signed order once; the venue then holds it under the stored hash', async () => {
    const { world, store } = bed;
    const { watch, broker, orderId, hash } = await lostOrder('resend');
    // The next start: a fresh order manager over the same store.
    const restarted = liveManager(store, world, venueOf(broker));
    expect(await restarted.resendUnseen()).toBe(1);
    expect(postsTo(watch, '/order')).toBe(2);
    expect(await orderById(store.db, orderId)).toMatchObject({ status: 'FILLED', order_hash: hash });
    expect(await broker.order(hash)).toMatchObject({ id: hash });
    // Done: a second start has nothing to resend.
    expect(await liveManager(store, world, venueOf(broker)).resendUnseen()).toBe(0);
    expect(postsTo(watch, '/order')).toBe(2);
  });

  it('does not resend what the venue already holds (the dead process got it there after all)', async () => {
    const { world, store } = bed;
    const { watch, broker, orderId, hash } = await lostOrder('already there');
    const row = (await orderById(store.db, orderId))!;
    // The lost request arrives late: the venue takes it.
    expect(await broker.submitSigned(JSON.parse(row.signed_order!))).toMatchObject({ kind: 'accepted' });
    const posts = postsTo(watch, '/order');
    expect(await liveManager(store, world, venueOf(broker)).resendUnseen()).toBe(0);
    expect(postsTo(watch, '/order')).toBe(posts);
    // Still SUBMITTED: the tracker's reconcile settles it from the venue's state.
    expect(await orderById(store.db, orderId)).toMatchObject({ status: 'SUBMITTED', order_hash: hash });
  });
});
