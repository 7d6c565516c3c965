/**
 * Every message the CLOB websocket sends has its sample's shape (test/support/shape.ts: keys, value
 * kinds, string kinds). REAL captures are compared exactly. DOCS examples and NT fixtures carry
 * placeholder values, but their placeholders keep the kinds of real values (a uuid stays a plain
 * string, a hex id stays hex, a seconds or ms timestamp stays a decimal), so they are compared
 * exactly too, except where a test says which keys differ and why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickSize } from '../../../../src/core/index.ts';
import type { SimMarket } from '../../../../src/sim/catalog/model.ts';
import { readSample, type Shape, shapeOf } from '../../../support/shape.ts';
import {
  type ClobProbe,
  type Message,
  marketProbe,
  order,
  startWorld,
  userProbe,
  type World,
} from './support.ts';

let world: World;
let late: SimMarket | undefined;
let market: ClobProbe;
/** Subscribed after the orders rested, so its book has both sides. */
let books: ClobProbe;
let alice: ClobProbe;
let carol: ClobProbe;

const pick = (shape: Shape, keys: string[]): Record<string, Shape> =>
  Object.fromEntries(keys.map((k) => [k, (shape as Record<string, Shape>)[k]!]));
const sampleShape = (name: string) => shapeOf(readSample(name)) as Record<string, Shape>;
const keysOf = (name: string) => Object.keys(readSample(name) as object);
const one = (p: ClobProbe, event: string, test: (m: Message) => boolean = () => true): Message => {
  const found = p.of(event).find(test);
  if (found === undefined) throw new Error(`no ${event} message`);
  return found;
};

/** One run that produces every message: a book with both sides, a trade, a tick change, a new market, a resolution. */
beforeAll(async () => {
  world = await startWorld({
    withhold: (m) => {
      if (late === undefined && m.negRisk) late = m;
      return m === late;
    },
  });
  const { keys, yes, venue } = world;
  market = await marketProbe(world, { assets_ids: [yes], type: 'market', custom_feature_enabled: true });
  alice = await userProbe(world, keys.alice);
  carol = await userProbe(world, keys.carol);
  await venue.submit(order(keys.alice, yes, 'BUY', '0.40', '10'));
  await venue.submit(order(keys.alice, yes, 'SELL', '0.60', '20'));
  await venue.submit(order(keys.bob, yes, 'BUY', '0.60', '5', 'FOK'));
  await venue.submit(order(keys.carol, yes, 'BUY', '0.90', '100', 'FOK'));
  venue.engine.setTickSize(world.market.conditionId, tickSize(1_000));
  await world.clock.advance(3_000);
  const m = late!;
  (world.catalog.markets as SimMarket[]).push(m);
  venue.engine.registerMarket({
    conditionId: m.conditionId,
    yesTokenId: m.tokens[0].tokenId,
    noTokenId: m.tokens[1].tokenId,
    tickSize: m.tickSize,
    minOrderSize: m.minSize,
    negRisk: true,
  });
  market.send({ operation: 'subscribe', assets_ids: [m.tokens[0].tokenId], initial_dump: false });
  await market.roundTrip();
  venue.engine.resolveMarket(m.conditionId, m.tokens[1].tokenId);
  await market.until(() => market.of('market_resolved').length === 1);
  await alice.until(() => alice.of('trade').length === 3);
  await carol.until(() => carol.of('order').length === 1);
  books = await marketProbe(world, { assets_ids: [yes], type: 'market' });
});

afterAll(async () => {
  for (const p of [market, books, alice, carol]) p?.close();
  await world?.close();
});

describe('market channel (REAL captures, exact)', () => {
  it('book on subscribe', () => {
    const book = one(books, 'book');
    expect((book.bids as unknown[]).length * (book.asks as unknown[]).length).toBeGreaterThan(0);
    expect(shapeOf(book)).toEqual(shapeOf(readSample('ws_market_book.json')));
  });

  it('price_change', () => {
    const change = one(market, 'price_change', (m) =>
      (m.price_changes as Message[]).every((c) => c.best_bid !== '' && c.best_ask !== ''),
    );
    expect(shapeOf(change)).toEqual(shapeOf(readSample('ws_market_price_change.json')));
  });

  it('last_trade_price', () => {
    expect(shapeOf(one(market, 'last_trade_price'))).toEqual(
      shapeOf(readSample('ws_market_last_trade_price.json')),
    );
  });

  it('book after a trade: the subscribe book without tick_size and last_trade_price (NT crossing-burst capture)', () => {
    const book = market.of('book').find((b) => !('tick_size' in b))!;
    const expected = sampleShape('ws_market_book.json');
    delete expected.tick_size;
    delete expected.last_trade_price;
    expect(shapeOf(book)).toEqual(expected);
  });
});

describe('market channel (DOCS and fixtures)', () => {
  it('tick_size_change (docs; its timestamp placeholder is still a decimal)', () => {
    expect(shapeOf(one(market, 'tick_size_change'))).toEqual(
      shapeOf(readSample('ws_market_tick_size_change.json')),
    );
  });

  it('best_bid_ask (docs and NT fixture alike)', () => {
    const msg = one(market, 'best_bid_ask', (m) => m.best_bid !== '' && m.best_ask !== '');
    expect(shapeOf(msg)).toEqual(shapeOf(readSample('ws_market_best_bid_ask.json')));
  });

  it('new_market: exact but `tags`, empty because the catalog has none', () => {
    expect(shapeOf(one(market, 'new_market'))).toEqual({
      ...sampleShape('ws_market_new_market.json'),
      tags: [],
    });
  });

  it('market_resolved: the fixture’s keys exactly, plus the metadata keys shaped as in new_market', () => {
    const msg = shapeOf(one(market, 'market_resolved')) as Record<string, Shape>;
    const fixture = sampleShape('ws_market_market_resolved.json');
    const extra = ['question', 'slug', 'description', 'outcomes', 'event_message'];
    expect(msg).toEqual({
      ...fixture,
      tags: [],
      ...pick(sampleShape('ws_market_new_market.json'), extra),
    });
  });
});

describe('user channel', () => {
  const v2Keys = ['created_at', 'expiration', 'order_type', 'status', 'maker_address'];

  it('a killed FOK is shaped exactly as the NT capture, key order included', () => {
    const killed = one(carol, 'order');
    expect(shapeOf(killed)).toEqual(shapeOf(readSample('ws_user_order_fok_killed_nautilus.json')));
    expect(Object.keys(killed)).toEqual(keysOf('ws_user_order_fok_killed_nautilus.json'));
  });

  it('PLACEMENT: the docs example’s shape plus the V2 keys, which the NT capture has', () => {
    const placed = one(alice, 'order', (m) => m.type === 'PLACEMENT');
    expect(Object.keys(placed).sort()).toEqual(keysOf('ws_user_order_fok_killed_nautilus.json').sort());
    expect(shapeOf(placed)).toEqual({
      ...sampleShape('ws_user_order_docs.json'),
      ...pick(sampleShape('ws_user_order_fok_killed_nautilus.json'), v2Keys),
      // The capture's killed FOK was never created; a resting order has a creation time.
      created_at: 'string:decimal',
    });
  });

  it('UPDATE: as PLACEMENT, with the trade ids in associate_trades', () => {
    const update = one(alice, 'order', (m) => m.type === 'UPDATE');
    expect(shapeOf(update)).toMatchObject({ associate_trades: ['string'], size_matched: 'string:decimal' });
    expect(Object.keys(update).sort()).toEqual(keysOf('ws_user_order_fok_killed_nautilus.json').sort());
  });

  it('trade: the docs example’s keys and shapes, plus the V2 keys the reference lists', () => {
    for (const trade of alice.of('trade')) {
      const shape = shapeOf(trade) as Record<string, Shape>;
      const docs = sampleShape('ws_user_trade_docs.json');
      expect(pick(shape, Object.keys(docs))).toEqual({
        ...docs,
        maker_orders: [
          {
            ...(docs.maker_orders as Record<string, Shape>[])[0],
            fee_rate_bps: 'string:decimal',
            maker_address: 'string:hex',
            side: 'string',
          },
        ],
      });
      expect(
        pick(
          shape,
          Object.keys(shape).filter((k) => !(k in docs)),
        ),
      ).toEqual({
        fee_rate_bps: 'string:decimal',
        match_time: 'string:decimal',
        maker_address: 'string:hex',
        transaction_hash: 'string:hex',
        bucket_index: 'number',
        trader_side: 'string',
      });
    }
    expect(alice.of('trade').map((t) => t.status)).toEqual(['MATCHED', 'MINED', 'CONFIRMED']);
  });
});
