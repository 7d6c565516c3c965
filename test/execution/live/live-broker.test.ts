/**
 * The live broker against the whole simulator, the official client underneath: API keys, each
 * order type ending in its state on the venue, batches, cancels, queries, and the venue's order id
 * equal to the hash computed before sending.
 */

import type { Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/core/errors.ts';
import { LiveBroker } from '../../../src/execution/live/live-broker.ts';
import type { SignedLiveOrder } from '../../../src/execution/live/order-signer.ts';
import { exchangeV2Address } from '../../../src/polymarket/clob/addresses.ts';
import { orderHash } from '../../../src/polymarket/clob/order-v2.ts';
import { clientOrderHash } from '../../polymarket/clob/official-client.ts';
import {
  brokerFor,
  type LiveWorld,
  postsTo,
  px,
  sh,
  silent as silentLogger,
  startLiveWorld,
  type TestBroker,
  usd,
  watchedFetch,
} from './support.ts';

let world: LiveWorld;
beforeAll(async () => {
  world = await startLiveWorld();
});
afterAll(async () => {
  await world?.stop();
});

/** Captures the signed order the broker is about to send. */
function capture() {
  const seen: SignedLiveOrder[] = [];
  return { seen, hooks: { beforeSend: (s: SignedLiveOrder) => void seen.push(s) } };
}

describe('API credentials', () => {
  it('creates a key for a new wallet, derives the same one later, and uses stored ones as given', async () => {
    const { broker, privateKey } = await brokerFor(world, 'creds');
    const created = await broker.ensureApiCreds();
    expect(created).toEqual({
      key: expect.any(String),
      secret: expect.any(String),
      passphrase: expect.any(String),
    });

    const again = new LiveBroker({ ...optionsOf(world, privateKey) });
    expect(await again.ensureApiCreds()).toEqual(created);

    const stored = new LiveBroker({ ...optionsOf(world, privateKey), apiCreds: created });
    expect(await stored.ensureApiCreds()).toBe(created);
    expect(await stored.openOrders()).toEqual([]);
  });
});

describe('orders on the simulator', () => {
  let trader: TestBroker;
  beforeAll(async () => {
    trader = await brokerFor(world, 'orders', { fund: 10_000, sets: 100 });
  });

  it("GTC rests, with the venue id equal to the hash computed before sending (and to the client's)", async () => {
    const { seen, hooks } = capture();
    const out = await trader.broker.submit(
      { tokenId: world.yes, side: 'BUY', price: px(0.4), size: sh(10) },
      { orderType: 'GTC' },
      hooks,
    );
    const signed = seen[0]!;
    expect(out).toMatchObject({
      kind: 'accepted',
      status: 'live',
      hashMatches: true,
      orderId: signed.orderHash,
    });
    expect(signed.orderHash).toBe(
      await clientOrderHash(signed.clientOrder, exchangeV2Address(137, false), 137),
    );
    const open = await trader.broker.openOrders({ tokenId: world.yes });
    expect(open).toEqual([
      expect.objectContaining({
        id: signed.orderHash,
        status: 'LIVE',
        side: 'BUY',
        price: '0.4',
        original_size: '10',
        maker_address: trader.address.toLowerCase(),
      }),
    ]);
    expect(await trader.broker.order(signed.orderHash)).toMatchObject({
      id: signed.orderHash,
      status: 'LIVE',
    });
    expect(trader.broker.restingOrderIds()).toEqual([signed.orderHash.toLowerCase()]);
    await trader.broker.cancel(signed.orderHash);
  });

  it('FOK fills completely when the book holds enough, and the trade is ours as taker', async () => {
    await world.rest(world.yes, 'SELL', 0.6, 10);
    const out = await trader.broker.submit(
      { tokenId: world.yes, side: 'BUY', price: px(0.6), size: sh(10) },
      { orderType: 'FOK' },
    );
    expect(out).toMatchObject({
      kind: 'accepted',
      status: 'matched',
      makingAmount: usd(6),
      takingAmount: sh(10),
      tradeIds: [expect.any(String)],
    });
    if (out.kind !== 'accepted') return;
    const trades = await trader.broker.trades({ id: out.tradeIds[0] });
    expect(trades).toEqual([
      expect.objectContaining({
        taker_order_id: out.orderId,
        trader_side: 'TAKER',
        size: '10',
        price: '0.6',
      }),
    ]);
    expect(await trader.broker.order(out.orderId)).toMatchObject({ status: 'MATCHED', size_matched: '6' });
  });

  it("FOK is killed when the book cannot fill it all: rejected with the venue's words, nothing traded", async () => {
    await world.rest(world.yes, 'SELL', 0.61, 5);
    const { seen, hooks } = capture();
    const before = (await trader.broker.trades()).length;
    const out = await trader.broker.submit(
      { tokenId: world.yes, side: 'BUY', price: px(0.61), size: sh(10) },
      { orderType: 'FOK' },
      hooks,
    );
    expect(out).toEqual({
      kind: 'rejected',
      code: 'FOK_ORDER_NOT_FILLED_ERROR',
      message: "order couldn't be fully filled. FOK orders are fully filled or killed.",
      source: 'venue',
      status: 400,
    });
    expect(await trader.broker.trades()).toHaveLength(before);
    // The venue remembers the killed order; it never rested.
    expect(await trader.broker.order(seen[0]!.orderHash)).toMatchObject({
      status: 'CANCELED',
      size_matched: '0',
    });
    expect(trader.broker.restingOrderIds()).toEqual([]);
  });

  it('FAK takes what is there and the rest is cancelled', async () => {
    // 5 at 0.61 are left from the killed FOK above; add 5 at 0.62.
    await world.rest(world.yes, 'SELL', 0.62, 5);
    const out = await trader.broker.submit(
      { tokenId: world.yes, side: 'BUY', price: px(0.62), size: sh(20) },
      { orderType: 'FAK' },
    );
    // 5 x 0.61 + 5 x 0.62 = 6.15 for 10 of the 20 shares.
    expect(out).toMatchObject({
      kind: 'accepted',
      status: 'matched',
      makingAmount: usd(6.15),
      takingAmount: sh(10),
    });
    if (out.kind !== 'accepted') return;
    expect(await trader.broker.order(out.orderId)).toMatchObject({ status: 'CANCELED' });
    expect(await trader.broker.openOrders()).toEqual([]);
  });

  it('FAK with nothing to match is rejected', async () => {
    const out = await trader.broker.submit(
      { tokenId: world.yes, side: 'BUY', price: px(0.3), size: sh(10) },
      { orderType: 'FAK' },
    );
    expect(out).toMatchObject({ kind: 'rejected', code: 'FAK_ORDER_NOT_FILLED_ERROR', source: 'venue' });
  });

  it('a SELL GTC rests, and a GTD accepted with its expiration', async () => {
    const sell = await trader.broker.submit(
      { tokenId: world.yes, side: 'SELL', price: px(0.9), size: sh(5) },
      { orderType: 'GTC' },
    );
    const expiration = Math.floor(Date.now() / 1000) + 3_600;
    const gtd = await trader.broker.submit(
      { tokenId: world.yes, side: 'BUY', price: px(0.2), size: sh(5) },
      { orderType: 'GTD', expiration },
    );
    expect(sell).toMatchObject({ kind: 'accepted', status: 'live' });
    expect(gtd).toMatchObject({ kind: 'accepted', status: 'live' });
    if (gtd.kind !== 'accepted') return;
    expect(await trader.broker.order(gtd.orderId)).toMatchObject({
      order_type: 'GTD',
      expiration: String(expiration),
    });
    expect((await trader.broker.cancelAll()).canceled).toHaveLength(2);
  });

  it('an order on a neg-risk market is signed for the neg-risk exchange, and its id is that hash', async () => {
    const token = world.negRiskMarket.tokens[0].tokenId;
    const { seen, hooks } = capture();
    const out = await trader.broker.submit(
      { tokenId: token, side: 'BUY', price: px(0.05), size: sh(10) },
      { orderType: 'GTC' },
      hooks,
    );
    const signed = seen[0]!;
    expect(signed.negRisk).toBe(true);
    expect(out).toMatchObject({ kind: 'accepted', orderId: signed.orderHash, hashMatches: true });
    expect(orderHash(signed.order, { chainId: 137, negRisk: false })).not.toBe(signed.orderHash);
    await trader.broker.cancelAll();
  });

  it('buildSigned + submitSigned: the hash is known before anything is sent, and a resend cannot duplicate', async () => {
    const signed = await trader.broker.buildSigned(
      { tokenId: world.yes, side: 'BUY', price: px(0.35), size: sh(5) },
      { orderType: 'GTC' },
    );
    expect(await trader.broker.order(signed.orderHash)).toBeNull();
    const out = await trader.broker.submitSigned(signed);
    expect(out).toMatchObject({ kind: 'accepted', orderId: signed.orderHash });
    // The same signed order again is the same hash: the venue refuses the copy, which means it
    // holds the order, so the outcome is unknown (to reconcile), never a clean refusal.
    expect(await trader.broker.submitSigned(signed)).toMatchObject({
      kind: 'unknown',
      orderHash: signed.orderHash,
      error: expect.stringMatching(/already holds this order hash.*Duplicated/),
    });
    expect((await trader.broker.openOrders()).map((o) => o.id)).toEqual([signed.orderHash]);
    await expect(
      trader.broker.buildSigned(
        { tokenId: world.yes, side: 'BUY', price: px(0.355), size: sh(5) },
        { orderType: 'GTC' },
      ),
    ).rejects.toThrow(ValidationError);
    await trader.broker.cancelAll();
  });
});

describe('batches', () => {
  it('posts 15 in one request, each accepted under its own hash; 16 are refused before anything is signed', async () => {
    const watch = watchedFetch();
    const { broker } = await brokerFor(world, 'batch', { fetch: watch.fetch, fund: 1_000 });
    const { seen, hooks } = capture();
    const items = Array.from({ length: 15 }, (_, i) => ({
      order: { tokenId: world.no, side: 'BUY' as const, price: px(0.05 + i / 100), size: sh(5) },
      terms: { orderType: 'GTC' as const },
    }));
    const outcomes = await broker.postBatch(items, hooks);
    expect(postsTo(watch, '/orders')).toBe(1);
    expect(outcomes).toHaveLength(15);
    expect(outcomes.map((o) => (o.kind === 'accepted' ? o.orderId : o.kind))).toEqual(
      seen.map((s) => s.orderHash),
    );
    expect(outcomes.every((o) => o.kind === 'accepted' && o.status === 'live' && o.hashMatches)).toBe(true);
    expect(await broker.openOrders()).toHaveLength(15);

    await expect(broker.postBatch([...items, items[0]!])).rejects.toThrow(/at most 15 orders, got 16/);
    expect(postsTo(watch, '/orders')).toBe(1);
    expect(seen).toHaveLength(15);
    await broker.cancelAll();
  });

  it('a batch mixes outcomes: locally refused items are not sent, venue refusals come back per order', async () => {
    const { broker } = await brokerFor(world, 'batch mixed', { fund: 3 });
    const outcomes = await broker.postBatch([
      {
        order: { tokenId: world.no, side: 'BUY', price: px(0.1), size: sh(10) },
        terms: { orderType: 'GTC' },
      },
      {
        order: { tokenId: world.no, side: 'BUY', price: px(0.105), size: sh(10) },
        terms: { orderType: 'GTC' },
      },
      {
        order: { tokenId: world.no, side: 'BUY', price: px(0.2), size: sh(100) },
        terms: { orderType: 'GTC' },
      },
    ]);
    expect(outcomes.map((o) => [o.kind, o.kind === 'rejected' ? `${o.source}:${o.code}` : ''])).toEqual([
      ['accepted', ''],
      ['rejected', 'local:LOCAL_CHECK'],
      ['rejected', 'venue:INVALID_ORDER_NOT_ENOUGH_BALANCE'],
    ]);
    await broker.cancelAll();
  });
});

describe('cancels', () => {
  it('cancel one, cancel many (an unknown and an already cancelled id are reported), cancel all', async () => {
    const { broker } = await brokerFor(world, 'cancels', { fund: 1_000 });
    const ids: Hex[] = [];
    for (let i = 0; i < 6; i++) {
      const out = await broker.submit(
        { tokenId: world.no, side: 'BUY', price: px(0.1 + i / 100), size: sh(5) },
        { orderType: 'GTC' },
      );
      if (out.kind !== 'accepted') throw new Error(JSON.stringify(out));
      ids.push(out.orderId as Hex);
    }
    const [a, b, c, d, ...others] = ids;
    expect(await broker.cancel(a!)).toEqual({ canceled: [a], notCanceled: {} });
    const unknownId = `0x${'00'.repeat(31)}01`;
    const many = await broker.cancelMany([b!, c!, d!, a!, unknownId]);
    expect([...many.canceled].sort()).toEqual([b, c, d].sort());
    expect(Object.keys(many.notCanceled).sort()).toEqual([a, unknownId].sort());
    expect(broker.restingOrderIds().sort()).toEqual(others.map((x) => x.toLowerCase()).sort());

    const all = await broker.cancelAll();
    expect([...all.canceled].sort()).toEqual([...others].sort());
    expect(await broker.openOrders()).toEqual([]);
    expect(broker.restingOrderIds()).toEqual([]);
    expect(await broker.cancelAll()).toEqual({ canceled: [], notCanceled: {} });
  });
});

describe('refusals', () => {
  it("insufficient balance is rejected with the venue's message", async () => {
    const { broker } = await brokerFor(world, 'poor', { fund: 1 });
    const out = await broker.submit(
      { tokenId: world.yes, side: 'BUY', price: px(0.5), size: sh(100) },
      { orderType: 'GTC' },
    );
    expect(out).toMatchObject({
      kind: 'rejected',
      code: 'INVALID_ORDER_NOT_ENOUGH_BALANCE',
      source: 'venue',
      status: 400,
      message: expect.stringMatching(
        /^not enough balance \/ allowance: the balance is not enough -> balance: 1000000/,
      ),
    });
  });

  it('a price off the cached tick is refused locally, and nothing is posted', async () => {
    const watch = watchedFetch();
    const { broker } = await brokerFor(world, 'tick local', { fetch: watch.fetch });
    const out = await broker.submit(
      { tokenId: world.yes, side: 'BUY', price: px(0.555), size: sh(10) },
      { orderType: 'GTC' },
    );
    expect(out).toMatchObject({ kind: 'rejected', code: 'LOCAL_CHECK', source: 'local' });
    expect(postsTo(watch, '/order')).toBe(0);
  });

  it('a token the venue does not know cannot be signed (no tick, no exchange)', async () => {
    const { broker } = await brokerFor(world, 'no market');
    const out = await broker.submit(
      { tokenId: '123', side: 'BUY', price: px(0.5), size: sh(10) },
      { orderType: 'GTC' },
    );
    expect(out).toMatchObject({ kind: 'rejected', code: 'MARKET_PARAMS_UNAVAILABLE', source: 'local' });
  });
});

describe('tick size change', () => {
  it('the venue refuses an order on the old tick with its own message; the cache is dropped and the next order uses the new tick', async () => {
    const own = await startLiveWorld({ seed: 8 });
    try {
      const { broker } = await brokerFor(own, 'tick change');
      expect((await broker.marketParams(own.yes)).tickSize).toBe(10_000);
      own.sim.venue.engine.setTickSize(own.market.conditionId, 100_000 as never);
      const out = await broker.submit(
        { tokenId: own.yes, side: 'BUY', price: px(0.55), size: sh(10) },
        { orderType: 'GTC' },
      );
      expect(out).toMatchObject({
        kind: 'rejected',
        code: 'INVALID_ORDER_MIN_TICK_SIZE',
        source: 'venue',
        message: expect.stringMatching(/breaks minimum tick size rule: 0\.1$/),
      });
      expect((await broker.marketParams(own.yes)).tickSize).toBe(100_000);
      const next = await broker.submit(
        { tokenId: own.yes, side: 'BUY', price: px(0.5), size: sh(10) },
        { orderType: 'GTC' },
      );
      expect(next).toMatchObject({ kind: 'accepted', status: 'live' });
    } finally {
      await own.stop();
    }
  });
});

function optionsOf(w: LiveWorld, privateKey: Hex) {
  return {
    clobUrl: w.sim.urls.clob,
    chainId: 137,
    privateKey,
    signatureType: 0 as const,
    clock: w.sim.clock,
    logger: silentLogger,
  };
}
