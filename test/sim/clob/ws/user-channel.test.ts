/** The user channel over a real websocket: authentication, order events and trade status changes. */

import type { Hex } from 'viem';
import { afterEach, describe, expect, it } from 'vitest';
import type { Chain } from '../../../../src/sim/chain/index.ts';
import { FAK_NO_MATCH_MESSAGE, FOK_NOT_FILLED_MESSAGE } from '../../../../src/sim/engine/index.ts';
import { ALICE, BOB, ClobProbe, marketProbe, order, startWorld, userProbe, type World } from './support.ts';

let world: World;
const probes: ClobProbe[] = [];
const track = (p: ClobProbe): ClobProbe => {
  probes.push(p);
  return p;
};

afterEach(async () => {
  for (const p of probes.splice(0)) p.close();
  await world.close();
});

const seconds = (ms: number) => String(Math.floor(ms / 1000));

describe('order and trade events', () => {
  it('reports PLACEMENT, MATCHED -> MINED -> CONFIRMED, UPDATE and CANCELLATION to the order owners only', async () => {
    world = await startWorld();
    const { alice, bob, carol } = world.keys;
    const a = track(await userProbe(world, alice));
    const b = track(await userProbe(world, bob));
    const c = track(await userProbe(world, carol));
    await world.clock.advance(100);
    const sell = order(alice, world.yes, 'SELL', '0.60', '20');
    await world.venue.submit(sell);
    const placedAt = world.clock.now();
    await a.until(() => a.of('order').length === 1);
    expect(a.of('order')[0]).toEqual({
      id: sell.id,
      owner: alice.key,
      market: world.market.conditionId,
      asset_id: world.yes,
      side: 'SELL',
      order_owner: alice.key,
      original_size: '20',
      size_matched: '0',
      price: '0.6',
      associate_trades: null,
      outcome: 'Yes',
      type: 'PLACEMENT',
      created_at: String(placedAt),
      expiration: '0',
      order_type: 'GTC',
      status: 'LIVE',
      maker_address: ALICE.toLowerCase(),
      timestamp: String(placedAt),
      event_type: 'order',
    });

    await world.clock.advance(900);
    const buy = order(bob, world.yes, 'BUY', '0.60', '5');
    const { trades } = await world.venue.submit(buy);
    const matchedAt = world.clock.now();
    const record = trades[0]!;
    await a.until(() => a.of('order').length === 2 && a.of('trade').length === 1);
    await b.until(() => b.of('trade').length === 1);

    const bps = String(world.market.feeSchedule.rate / 100);
    const makerEntry = {
      asset_id: world.yes,
      matched_amount: '5',
      order_id: sell.id,
      outcome: 'Yes',
      owner: alice.key,
      price: '0.6',
      fee_rate_bps: '0',
      maker_address: ALICE.toLowerCase(),
      side: 'SELL',
    };
    const trade = (status: string, owner: string, address: string, side: string, at: number) => ({
      event_type: 'trade',
      type: 'TRADE',
      id: record.trade.id,
      taker_order_id: buy.id,
      market: world.market.conditionId,
      asset_id: world.yes,
      side: 'BUY',
      size: '5',
      price: '0.6',
      fee_rate_bps: bps,
      status,
      matchtime: seconds(matchedAt),
      match_time: seconds(matchedAt),
      last_update: seconds(at),
      outcome: 'Yes',
      owner,
      trade_owner: owner,
      maker_address: address,
      transaction_hash: record.txHash,
      bucket_index: 0,
      trader_side: side,
      maker_orders: [makerEntry],
      timestamp: String(at),
    });
    expect(b.of('trade')).toEqual([trade('MATCHED', bob.key, BOB.toLowerCase(), 'TAKER', matchedAt)]);
    expect(a.of('trade')).toEqual([trade('MATCHED', alice.key, ALICE.toLowerCase(), 'MAKER', matchedAt)]);
    expect(a.of('order')[1]).toMatchObject({
      id: sell.id,
      type: 'UPDATE',
      size_matched: '5',
      original_size: '20',
      associate_trades: [record.trade.id],
      status: 'LIVE',
      timestamp: String(matchedAt),
    });

    await world.clock.advance(2000);
    const minedAt = world.clock.now();
    await a.until(() => a.of('trade').length === 2);
    await b.until(() => b.of('trade').length === 2);
    await world.clock.advance(1000);
    const confirmedAt = world.clock.now();
    await a.until(() => a.of('trade').length === 3);
    await b.until(() => b.of('trade').length === 3);
    expect(b.of('trade').slice(1)).toEqual([
      trade('MINED', bob.key, BOB.toLowerCase(), 'TAKER', minedAt),
      trade('CONFIRMED', bob.key, BOB.toLowerCase(), 'TAKER', confirmedAt),
    ]);
    expect(a.of('trade').map((t) => [t.status, t.trader_side])).toEqual([
      ['MATCHED', 'MAKER'],
      ['MINED', 'MAKER'],
      ['CONFIRMED', 'MAKER'],
    ]);

    world.venue.engine.cancel([sell.id], alice.key);
    await a.until(() => a.of('order').length === 3);
    expect(a.of('order')[2]).toMatchObject({
      type: 'CANCELLATION',
      status: 'CANCELED',
      size_matched: '5',
      associate_trades: [record.trade.id],
    });
    expect(a.messages().map((m) => `${m.event_type}:${m.type}:${m.status}`)).toEqual([
      'order:PLACEMENT:LIVE',
      'trade:TRADE:MATCHED',
      'order:UPDATE:LIVE',
      'trade:TRADE:MINED',
      'trade:TRADE:CONFIRMED',
      'order:CANCELLATION:CANCELED',
    ]);
    // Bob's taker order matched in full at once: trades only. Carol was in nothing.
    await b.roundTrip();
    await c.roundTrip();
    expect(b.of('order')).toEqual([]);
    expect(c.messages()).toEqual([]);
  });

  it('marks an order fully matched as a maker with status MATCHED', async () => {
    world = await startWorld();
    const { alice, bob } = world.keys;
    const a = track(await userProbe(world, alice));
    const sell = order(alice, world.yes, 'SELL', '0.55', '10');
    await world.venue.submit(sell);
    await world.venue.submit(order(bob, world.yes, 'BUY', '0.55', '10', 'FOK'));
    await a.until(() => a.of('order').length === 2);
    expect(a.of('order')[1]).toMatchObject({ type: 'UPDATE', size_matched: '10', status: 'MATCHED' });
  });

  it('reports a killed FOK and a killed FAK as CANCELLATION with the kill reason in status', async () => {
    world = await startWorld();
    const { carol } = world.keys;
    const c = track(await userProbe(world, carol));
    await world.clock.advance(5);
    const fok = order(carol, world.yes, 'BUY', '0.50', '10', 'FOK');
    const fak = order(carol, world.no, 'SELL', '0.50', '10', 'FAK');
    expect((await world.venue.submit(fok)).result.success).toBe(false);
    expect((await world.venue.submit(fak)).result.success).toBe(false);
    await c.until(() => c.of('order').length === 2);
    expect(c.of('order')[0]).toEqual({
      id: fok.id,
      owner: carol.key,
      market: world.market.conditionId,
      asset_id: world.yes,
      side: 'BUY',
      order_owner: carol.key,
      original_size: '5', // a market BUY is sized in pUSD
      size_matched: '',
      price: '0.5',
      associate_trades: [],
      outcome: '',
      type: 'CANCELLATION',
      created_at: '',
      expiration: '0',
      order_type: 'FOK',
      status: `CANCELED_${FOK_NOT_FILLED_MESSAGE}`,
      maker_address: carol.owner.toLowerCase(),
      timestamp: String(world.clock.now()),
      event_type: 'order',
    });
    expect(c.of('order')[0]!.status).toBe(
      "CANCELED_order couldn't be fully filled. FOK orders are fully filled or killed.",
    );
    expect(c.of('order')[1]).toMatchObject({
      id: fak.id,
      side: 'SELL',
      original_size: '10',
      order_type: 'FAK',
      status: `CANCELED_${FAK_NO_MATCH_MESSAGE}`,
    });
  });

  it('follows only the markets named at subscribe, and more added later', async () => {
    world = await startWorld();
    const { alice } = world.keys;
    const other = world.catalog.markets.find((m) => m !== world.market)!;
    const p = track(await userProbe(world, alice, [other.conditionId]));
    await world.venue.submit(order(alice, world.yes, 'BUY', '0.30', '10'));
    await p.roundTrip();
    expect(p.messages()).toEqual([]);
    p.send({ operation: 'subscribe', markets: [world.market.conditionId], type: 'user' });
    await p.roundTrip();
    await world.venue.submit(order(alice, world.yes, 'BUY', '0.31', '10'));
    await p.until(() => p.of('order').length === 1);
    expect(p.of('order')[0]).toMatchObject({ price: '0.31', type: 'PLACEMENT' });
    p.send({ operation: 'unsubscribe', markets: [world.market.conditionId] });
    await p.roundTrip();
    await world.venue.submit(order(alice, world.yes, 'BUY', '0.32', '10'));
    await p.roundTrip();
    expect(p.of('order')).toHaveLength(1);
  });
});

describe('authentication', () => {
  it('drops the socket without a closing handshake on bad, missing or malformed credentials', async () => {
    world = await startWorld();
    const { alice, bob } = world.keys;
    const attempts: object[] = [
      {
        auth: { apiKey: alice.key, secret: bob.secret, passphrase: alice.passphrase },
        markets: [],
        type: 'user',
      },
      { auth: { apiKey: alice.key, secret: alice.secret, passphrase: 'x' }, type: 'user' },
      {
        auth: {
          apiKey: '00000000-0000-5000-8000-000000000000',
          secret: alice.secret,
          passphrase: alice.passphrase,
        },
      },
      { markets: [], type: 'user' },
      { auth: 'alice', type: 'user' },
    ];
    for (const attempt of attempts) {
      const p = track(await ClobProbe.open(world.server.userUrl));
      p.send(attempt);
      await p.until(() => p.closed);
      expect(p.closeCode).toBe(1006);
      expect(p.frames).toEqual([]);
    }
    // A revoked key no longer authenticates.
    world.venue.apiKeys.revoke(bob.key);
    const revoked = track(await ClobProbe.open(world.server.userUrl));
    revoked.send({ auth: { apiKey: bob.key, secret: bob.secret, passphrase: bob.passphrase }, type: 'user' });
    await revoked.until(() => revoked.closed);
    expect(world.server.connectionCount('user')).toBe(0);
  });

  it('keeps an authenticated socket, ignores junk, and drops it if a later frame names another key', async () => {
    world = await startWorld();
    const { alice, bob } = world.keys;
    const p = track(await userProbe(world, alice));
    p.clear();
    for (const junk of ['nope', '[]', '{}', '{"foo":1}', 'ping']) p.send(junk);
    await p.roundTrip();
    expect(p.frames).toEqual(['PONG']);
    expect(p.closed).toBe(false);
    p.send({ auth: { apiKey: bob.key, secret: bob.secret, passphrase: bob.passphrase }, type: 'user' });
    await p.until(() => p.closed);
  });
});

describe('settlement on a chain', () => {
  it('holds last_trade_price until the transaction hash exists, and reports FAILED', async () => {
    const tx = `0x${'ab'.repeat(32)}` as Hex;
    let release: ((v: { txHash: Hex; mined: Promise<never> }) => void) | undefined;
    let failMined: ((e: Error) => void) | undefined;
    const chain = {
      submitMatch: () =>
        new Promise((resolve) => {
          release = resolve;
        }),
    } as unknown as Chain;
    world = await startWorld({ chain });
    const { alice, bob } = world.keys;
    const a = track(await userProbe(world, alice));
    const m = track(await marketProbe(world, { assets_ids: [world.yes], type: 'market' }));
    await world.venue.submit(order(alice, world.yes, 'SELL', '0.60', '10'));
    await m.until(() => m.of('price_change').length === 1);
    m.clear();
    const pending = world.venue.submit(order(bob, world.yes, 'BUY', '0.60', '10', 'FOK'));
    await m.until(() => m.of('book').length === 1);
    await m.roundTrip();
    await a.roundTrip();
    expect(m.of('last_trade_price')).toEqual([]);
    expect(a.of('trade')).toEqual([]);

    release!({ txHash: tx, mined: new Promise<never>((_, reject) => (failMined = reject)) });
    await pending;
    await m.until(() => m.of('last_trade_price').length === 1);
    expect(m.of('last_trade_price')[0]).toMatchObject({ asset_id: world.yes, transaction_hash: tx });
    await a.until(() => a.of('trade').length === 1);
    expect(a.of('trade')[0]).toMatchObject({ status: 'MATCHED', transaction_hash: tx });

    failMined!(new Error('reverted'));
    await a.until(() => a.of('trade').length === 2);
    expect(a.of('trade')[1]).toMatchObject({ status: 'FAILED', transaction_hash: tx, trader_side: 'MAKER' });
    expect(world.errors).toHaveLength(1);
  });
});
