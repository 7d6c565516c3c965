/** The market channel over a real websocket: books, price changes, prints, tick sizes, custom events. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tickSize } from '../../../../src/core/index.ts';
import type { SimMarket } from '../../../../src/sim/catalog/model.ts';
import { readSample } from '../../../support/shape.ts';
import { ClobProbe, type Message, marketProbe, order, startWorld, type World } from './support.ts';

let world: World;
const probes: ClobProbe[] = [];
const track = (p: ClobProbe): ClobProbe => {
  probes.push(p);
  return p;
};

beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  for (const p of probes.splice(0)) p.close();
  await world.close();
});

/** Resting orders on both sides of the YES book, and one trade so `last_trade_price` is set. */
async function seedBook() {
  const { alice, bob } = world.keys;
  await world.venue.submit(order(alice, world.yes, 'BUY', '0.40', '10'));
  await world.venue.submit(order(alice, world.yes, 'BUY', '0.42', '15'));
  await world.venue.submit(order(bob, world.yes, 'SELL', '0.55', '20'));
  await world.venue.submit(order(bob, world.no, 'BUY', '0.40', '12')); // an ask at 0.60 on YES
  await world.venue.submit(order(alice, world.yes, 'BUY', '0.55', '5', 'FOK'));
}

const withoutRestOnly = (book: Record<string, unknown>) => {
  const { min_order_size: _m, neg_risk: _n, ...rest } = book;
  return rest;
};

describe('subscribe', () => {
  it('sends one array frame of books equal to GET /book minus min_order_size and neg_risk, keyed like the capture', async () => {
    await seedBook();
    const p = track(await marketProbe(world, { assets_ids: [world.yes, world.no], type: 'market' }));
    const dump = p.frames.filter((f) => f !== 'PONG');
    expect(dump).toHaveLength(1);
    const books = JSON.parse(dump[0]!) as Message[];
    expect(Array.isArray(books)).toBe(true);
    expect(books.map((b) => b.asset_id)).toEqual([world.yes, world.no]);
    for (const book of books) {
      const rest = world.venue.engine.bookFor(book.asset_id as string)!;
      expect(book).toEqual({ ...withoutRestOnly({ ...rest }), event_type: 'book' });
      expect(Object.keys(book)).toEqual(Object.keys(readSample('ws_market_book.json') as object));
      // Best last: bids ascending, asks descending, as REST.
      const prices = (side: unknown) => (side as { price: string }[]).map((l) => Number(l.price));
      expect(prices(book.bids)).toEqual([...prices(book.bids)].sort((a, b) => a - b));
      expect(prices(book.asks)).toEqual([...prices(book.asks)].sort((a, b) => b - a));
    }
    expect(books[0]).toMatchObject({
      bids: [
        { price: '0.4', size: '10' },
        { price: '0.42', size: '15' },
      ],
      asks: [
        { price: '0.6', size: '12' },
        { price: '0.55', size: '15' },
      ],
      tick_size: '0.01',
      last_trade_price: '0.550',
    });
    // The NO book is the YES book mirrored at 1 - p.
    expect(books[1]).toMatchObject({
      bids: [
        { price: '0.4', size: '12' },
        { price: '0.45', size: '15' },
      ],
      asks: [
        { price: '0.6', size: '10' },
        { price: '0.58', size: '15' },
      ],
      last_trade_price: '0.450',
    });
  });

  it('can send the books one frame each, skips unknown assets, and sends none with initial_dump false', async () => {
    await world.close();
    world = await startWorld({ bookDump: 'single' });
    const p = track(
      await marketProbe(world, { assets_ids: [world.yes, '123', world.no], type: 'market', level: 2 }),
    );
    expect(p.frames.filter((f) => f !== 'PONG').map((f) => JSON.parse(f).asset_id)).toEqual([
      world.yes,
      world.no,
    ]);
    const quiet = track(
      await marketProbe(world, { assets_ids: [world.yes], type: 'market', initial_dump: false }),
    );
    expect(quiet.frames).toEqual(['PONG']);
    const unknown = track(await marketProbe(world, { assets_ids: ['123'], type: 'market' }));
    expect(unknown.frames).toEqual(['PONG']);
  });

  it('adds and removes assets with operation frames; a subscribe operation dumps the new books', async () => {
    const p = track(await marketProbe(world, { assets_ids: [], type: 'market' }));
    expect(p.frames).toEqual(['PONG']);
    p.send({ operation: 'subscribe', assets_ids: [world.yes] });
    await p.roundTrip();
    expect(p.of('book').map((b) => b.asset_id)).toEqual([world.yes]);

    p.send({ operation: 'unsubscribe', assets_ids: [world.yes] });
    await p.roundTrip();
    p.clear();
    await world.venue.submit(order(world.keys.alice, world.yes, 'BUY', '0.30', '10'));
    await p.roundTrip();
    expect(p.messages()).toEqual([]);
  });
});

describe('price_change', () => {
  it('shows a resting order on both tokens in one message, mirrored at 1 - p, with each token’s hash and top', async () => {
    // Subscribed to YES only, as the capture: the NO entry still comes.
    const p = track(await marketProbe(world, { assets_ids: [world.yes], type: 'market' }));
    p.clear();
    await world.clock.advance(1234);
    const sell = order(world.keys.bob, world.yes, 'SELL', '0.65', '20');
    await world.venue.submit(sell);
    await world.venue.submit(order(world.keys.alice, world.yes, 'BUY', '0.41', '10'));
    await p.until(() => p.of('price_change').length === 2);
    const [first, second] = p.of('price_change') as Message[];
    const yesBook = world.venue.engine.bookFor(world.yes)!;
    const noBook = world.venue.engine.bookFor(world.no)!;
    expect(second).toEqual({
      market: world.market.conditionId,
      price_changes: [
        {
          asset_id: world.yes,
          price: '0.41',
          size: '10',
          side: 'BUY',
          hash: yesBook.hash,
          best_bid: '0.41',
          best_ask: '0.65',
        },
        {
          asset_id: world.no,
          price: '0.59',
          size: '10',
          side: 'SELL',
          hash: noBook.hash,
          best_bid: '0.35',
          best_ask: '0.59',
        },
      ],
      timestamp: String(world.clock.now()),
      event_type: 'price_change',
    });
    // Before the bid existed, YES had no best bid and NO no best ask: empty strings.
    expect(first!.price_changes).toEqual([
      expect.objectContaining({
        asset_id: world.yes,
        price: '0.65',
        side: 'SELL',
        best_bid: '',
        best_ask: '0.65',
      }),
      expect.objectContaining({
        asset_id: world.no,
        price: '0.35',
        side: 'BUY',
        best_bid: '0.35',
        best_ask: '',
      }),
    ]);

    // Size is the level's new aggregate; a cancel takes it to "0".
    p.clear();
    await world.venue.submit(order(world.keys.carol, world.no, 'BUY', '0.35', '5'));
    world.venue.engine.cancel([sell.id]);
    await p.until(() => p.of('price_change').length === 2);
    expect(p.of('price_change').map((m) => (m.price_changes as Message[])[0])).toEqual([
      expect.objectContaining({ asset_id: world.yes, price: '0.65', size: '25', side: 'SELL' }),
      expect.objectContaining({ asset_id: world.yes, price: '0.65', size: '5', side: 'SELL' }),
    ]);
  });

  it('sends nothing to sockets subscribed to another market', async () => {
    const other = world.catalog.markets.find((m) => m !== world.market)!;
    const p = track(await marketProbe(world, { assets_ids: [other.tokens[0].tokenId], type: 'market' }));
    p.clear();
    await world.venue.submit(order(world.keys.alice, world.yes, 'BUY', '0.41', '10'));
    await p.roundTrip();
    expect(p.messages()).toEqual([]);
  });
});

describe('a trade', () => {
  it('prints last_trade_price on both tokens, then price_change and a book per subscribed token', async () => {
    const { alice, bob } = world.keys;
    await world.venue.submit(order(alice, world.yes, 'SELL', '0.60', '10'));
    await world.venue.submit(order(alice, world.yes, 'SELL', '0.62', '10'));
    const p = track(await marketProbe(world, { assets_ids: [world.yes, world.no], type: 'market' }));
    p.clear();
    await world.clock.advance(500);
    const { trades } = await world.venue.submit(order(bob, world.yes, 'BUY', '0.62', '15'));
    expect(trades).toHaveLength(1);
    const tx = trades[0]!.txHash;
    await p.until(() => p.of('book').length === 2);
    const messages = p.messages();
    expect(messages.map((m) => m.event_type)).toEqual([
      'last_trade_price',
      'last_trade_price',
      'last_trade_price',
      'last_trade_price',
      'price_change',
      'price_change',
      'book',
      'book',
    ]);
    const ts = String(world.clock.now());
    const bps = String(world.market.feeSchedule.rate / 100);
    const print = (asset: string, price: string, size: string, side: string) => ({
      market: world.market.conditionId,
      asset_id: asset,
      price,
      size,
      fee_rate_bps: bps,
      side,
      timestamp: ts,
      event_type: 'last_trade_price',
      transaction_hash: tx,
    });
    // One print per maker fill at its price on the taker's token, each mirrored on the other token.
    expect(p.of('last_trade_price')).toEqual([
      print(world.yes, '0.6', '10', 'BUY'),
      print(world.no, '0.4', '10', 'SELL'),
      print(world.yes, '0.62', '5', 'BUY'),
      print(world.no, '0.38', '5', 'SELL'),
    ]);
    const yesBook = world.venue.engine.bookFor(world.yes)!;
    const noBook = world.venue.engine.bookFor(world.no)!;
    // Every level the trade touched, all with the final hash.
    expect(p.of('price_change').map((m) => m.price_changes)).toEqual([
      [
        expect.objectContaining({ asset_id: world.yes, price: '0.6', size: '0', hash: yesBook.hash }),
        expect.objectContaining({ asset_id: world.no, price: '0.4', size: '0', hash: noBook.hash }),
      ],
      [
        expect.objectContaining({ asset_id: world.yes, price: '0.62', size: '5', best_ask: '0.62' }),
        expect.objectContaining({ asset_id: world.no, price: '0.38', size: '5', best_bid: '0.38' }),
      ],
    ]);
    // The post-trade books: the real frame's keys, no tick_size or last_trade_price.
    const [bookYes, bookNo] = p.of('book');
    expect(bookYes).toEqual({
      market: world.market.conditionId,
      asset_id: world.yes,
      bids: [],
      asks: [{ price: '0.62', size: '5' }],
      hash: yesBook.hash,
      timestamp: ts,
      event_type: 'book',
    });
    expect(bookNo).toMatchObject({
      asset_id: world.no,
      bids: [{ price: '0.38', size: '5' }],
      hash: noBook.hash,
    });
    expect(Object.keys(bookYes!)).toEqual([
      'market',
      'asset_id',
      'bids',
      'asks',
      'hash',
      'timestamp',
      'event_type',
    ]);
    // No custom events without custom_feature_enabled.
    expect(p.of('best_bid_ask')).toEqual([]);
  });

  it('sends a subscriber of one token only that token’s prints and book', async () => {
    await world.venue.submit(order(world.keys.alice, world.yes, 'SELL', '0.60', '10'));
    const p = track(await marketProbe(world, { assets_ids: [world.no], type: 'market' }));
    p.clear();
    await world.venue.submit(order(world.keys.bob, world.yes, 'BUY', '0.60', '10', 'FOK'));
    await p.until(() => p.of('book').length === 1);
    await p.roundTrip();
    expect(p.of('last_trade_price').map((m) => [m.asset_id, m.price, m.side])).toEqual([
      [world.no, '0.4', 'SELL'],
    ]);
    expect(p.of('book').map((m) => m.asset_id)).toEqual([world.no]);
    expect(p.of('price_change')).toHaveLength(1);
  });
});

describe('tick_size_change', () => {
  it('tells each token’s subscribers the old and new tick', async () => {
    const p = track(await marketProbe(world, { assets_ids: [world.yes, world.no], type: 'market' }));
    p.clear();
    await world.clock.advance(10);
    world.venue.engine.setTickSize(world.market.conditionId, tickSize(1_000));
    await p.until(() => p.of('tick_size_change').length === 2);
    expect(p.of('tick_size_change')).toEqual(
      [world.yes, world.no].map((asset) => ({
        event_type: 'tick_size_change',
        asset_id: asset,
        market: world.market.conditionId,
        old_tick_size: '0.01',
        new_tick_size: '0.001',
        timestamp: String(world.clock.now()),
      })),
    );
  });
});

describe('custom features', () => {
  it('sends best_bid_ask when the top moves, only with custom_feature_enabled', async () => {
    const custom = track(
      await marketProbe(world, { assets_ids: [world.yes], type: 'market', custom_feature_enabled: true }),
    );
    const plain = track(await marketProbe(world, { assets_ids: [world.yes], type: 'market' }));
    custom.clear();
    plain.clear();
    await world.venue.submit(order(world.keys.bob, world.yes, 'SELL', '0.70', '10'));
    await world.venue.submit(order(world.keys.alice, world.yes, 'BUY', '0.45', '10'));
    await world.venue.submit(order(world.keys.alice, world.yes, 'BUY', '0.44', '10')); // top unchanged
    await custom.until(() => custom.of('price_change').length === 3);
    await plain.until(() => plain.of('price_change').length === 3);
    expect(custom.of('best_bid_ask')).toEqual([
      {
        event_type: 'best_bid_ask',
        market: world.market.conditionId,
        asset_id: world.yes,
        best_bid: '',
        best_ask: '0.7',
        spread: '',
        timestamp: String(world.clock.now()),
      },
      expect.objectContaining({ asset_id: world.yes, best_bid: '0.45', best_ask: '0.7', spread: '0.25' }),
    ]);
    expect(plain.of('best_bid_ask')).toEqual([]);
  });

  it('sends new_market to every custom subscriber and market_resolved to the market’s and wide ones', async () => {
    let late: SimMarket | undefined;
    await world.close();
    world = await startWorld({
      withhold: (m) => {
        if (late === undefined && m.negRisk) late = m;
        return m === late;
      },
    });
    const wide = track(
      await marketProbe(world, { assets_ids: [], type: 'market', custom_feature_enabled: true }),
    );
    const elsewhere = track(
      await marketProbe(world, { assets_ids: [world.yes], type: 'market', custom_feature_enabled: true }),
    );
    const plain = track(await marketProbe(world, { assets_ids: [], type: 'market' }));
    const m = late!;
    (world.catalog.markets as SimMarket[]).push(m);
    await world.clock.advance(7);
    world.venue.engine.registerMarket({
      conditionId: m.conditionId,
      yesTokenId: m.tokens[0].tokenId,
      noTokenId: m.tokens[1].tokenId,
      outcomes: ['Yes', 'No'],
      tickSize: m.tickSize,
      minOrderSize: m.minSize,
      negRisk: m.negRisk,
    });
    await wide.until(() => wide.of('new_market').length === 1);
    await elsewhere.until(() => elsewhere.of('new_market').length === 1);
    const event = world.catalog.events.find((e) => e.id === m.eventId)!;
    const tokens = m.tokens.map((t) => t.tokenId);
    expect(wide.of('new_market')[0]).toEqual({
      event_type: 'new_market',
      id: m.id,
      question: m.question,
      market: m.conditionId,
      slug: m.slug,
      description: m.description,
      assets_ids: tokens,
      outcomes: ['Yes', 'No'],
      event_message: {
        id: event.id,
        ticker: event.ticker,
        slug: event.slug,
        title: event.title,
        description: event.description,
      },
      timestamp: String(world.clock.now()),
      tags: [],
      condition_id: m.conditionId,
      active: true,
      clob_token_ids: tokens,
      sports_market_type: '',
      line: '',
      game_start_time: '',
      order_price_min_tick_size: m.tickSize === 10_000 ? '0.01' : '0.001',
      group_item_title: m.groupItemTitle,
    });

    const follower = track(
      await marketProbe(world, { assets_ids: [tokens[1]], type: 'market', custom_feature_enabled: true }),
    );
    world.venue.engine.resolveMarket(m.conditionId, tokens[0]!);
    await wide.until(() => wide.of('market_resolved').length === 1);
    await follower.until(() => follower.of('market_resolved').length === 1);
    await elsewhere.roundTrip();
    await plain.roundTrip();
    expect(follower.of('market_resolved')[0]).toEqual({
      event_type: 'market_resolved',
      id: m.id,
      question: m.question,
      market: m.conditionId,
      slug: m.slug,
      description: m.description,
      assets_ids: tokens,
      outcomes: ['Yes', 'No'],
      winning_asset_id: tokens[0],
      winning_outcome: 'Yes',
      event_message: expect.objectContaining({ id: event.id, slug: event.slug }),
      timestamp: String(world.clock.now()),
      tags: [],
    });
    expect(elsewhere.of('market_resolved')).toEqual([]);
    expect(plain.messages()).toEqual([]);
  });
});

describe('client frames', () => {
  it('answers text PING with PONG and ignores malformed frames without closing', async () => {
    const p = track(await ClobProbe.open(world.server.marketUrl));
    for (const junk of [
      '',
      'ping',
      'not json',
      '[1,2]',
      '{"assets_ids":"x"}',
      '{"type":"user","assets_ids":[]}',
      '42',
    ])
      p.send(junk);
    p.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    p.send({ assets_ids: [world.yes], type: 'market', operation: 'resubscribe' });
    await p.roundTrip();
    expect(p.frames).toEqual(['PONG']);
    expect(p.closed).toBe(false);
    // The connection never subscribed: no data.
    await world.venue.submit(order(world.keys.alice, world.yes, 'BUY', '0.30', '10'));
    await p.roundTrip();
    expect(p.frames).toEqual(['PONG', 'PONG']);
  });
});
