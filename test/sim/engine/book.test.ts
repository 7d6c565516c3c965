import { describe, expect, it } from 'vitest';
import type { Micro } from '../../../src/core/index.ts';
import { type BookSummary, bookHash } from '../../../src/sim/engine/index.ts';
import { ALICE, BOB, CAROL, CONDITION, fund, harness, limit, m, NO, ofType, T0, YES } from './helpers.ts';

/** samples/clob_book_rest_empty_ask.json, verbatim: a real `GET /book` reply (2026-08-03). */
const REAL_BOOK: BookSummary = {
  market: '0x9d839bf0aa31324b9848f5b89841b779238a7c07dee2f7fca675d934e8ab5bf2',
  asset_id: '72610532355343625199299853218161700546393390326785971247545541945337255643692',
  timestamp: '1785734468581',
  hash: 'd7df883ae546b09533a4f485bfae0810da1af04e',
  bids: [
    { price: '0.001', size: '667.12' },
    { price: '0.002', size: '6.99' },
  ],
  asks: [],
  min_order_size: '5',
  tick_size: '0.001',
  neg_risk: true,
  last_trade_price: '',
};

describe('book hash', () => {
  it('is the server hash: SHA-1 of the reply with an empty hash, keys in reply order', () => {
    expect(bookHash(REAL_BOOK)).toBe(REAL_BOOK.hash);
    expect(bookHash({ ...REAL_BOOK, hash: 'anything' })).toBe(REAL_BOOK.hash);
    expect(bookHash({ ...REAL_BOOK, timestamp: '1785734468582' })).not.toBe(REAL_BOOK.hash);
  });
});

describe('bookFor: the /book reply of each token', () => {
  function populated() {
    const h = harness({ negRisk: true });
    fund(h.engine, ALICE, '100', '100');
    fund(h.engine, BOB, '100', '100');
    fund(h.engine, CAROL, '100', '100');
    h.engine.submit(limit(ALICE, 'BUY', YES, '0.40', '10'));
    h.engine.submit(limit(BOB, 'BUY', YES, '0.40', '5.5'));
    h.engine.submit(limit(CAROL, 'SELL', NO, '0.58', '7')); // a YES bid at 0.42
    h.engine.submit(limit(ALICE, 'BUY', YES, '0.1', '20'));
    h.engine.submit(limit(BOB, 'SELL', YES, '0.55', '12.25'));
    h.engine.submit(limit(CAROL, 'BUY', NO, '0.4', '30')); // a YES ask at 0.6
    return h;
  }

  it('lists aggregated levels, bids ascending and asks descending (best last), as strings', () => {
    const h = populated();
    const book = h.engine.bookFor(YES)!;
    expect(Object.keys(book)).toEqual([
      'market',
      'asset_id',
      'timestamp',
      'hash',
      'bids',
      'asks',
      'min_order_size',
      'tick_size',
      'neg_risk',
      'last_trade_price',
    ]);
    expect(book).toMatchObject({
      market: CONDITION,
      asset_id: YES,
      timestamp: String(T0),
      bids: [
        { price: '0.1', size: '20' },
        { price: '0.4', size: '15.5' },
        { price: '0.42', size: '7' },
      ],
      asks: [
        { price: '0.6', size: '30' },
        { price: '0.55', size: '12.25' },
      ],
      min_order_size: '5',
      tick_size: '0.01',
      neg_risk: true,
      last_trade_price: '',
    });
    expect(book.hash).toMatch(/^[0-9a-f]{40}$/);
    expect(book.hash).toBe(bookHash(book));
  });

  it('shows the NO token the same orders mirrored at 1 - p, sides swapped', () => {
    const h = populated();
    expect(h.engine.bookFor(NO)).toMatchObject({
      asset_id: NO,
      bids: [
        { price: '0.4', size: '30' },
        { price: '0.45', size: '12.25' },
      ],
      asks: [
        { price: '0.9', size: '20' },
        { price: '0.6', size: '15.5' },
        { price: '0.58', size: '7' },
      ],
    });
    expect(h.engine.topOfBook(NO)).toEqual({ bestBid: m('0.45'), bestAsk: m('0.58') });
    expect(h.engine.topOfBook(YES)).toEqual({ bestBid: m('0.42'), bestAsk: m('0.55') });
  });

  it('keeps its timestamp and hash until the book changes, and prints the last trade with 3 decimals', () => {
    const h = populated();
    const before = h.engine.bookFor(YES)!;
    h.advance(5_000);
    expect(h.engine.bookFor(YES)).toEqual(before);
    h.engine.submit(limit(ALICE, 'BUY', YES, '0.55', '5'));
    const after = h.engine.bookFor(YES)!;
    expect(after.timestamp).toBe(String(T0 + 5_000));
    expect(after.last_trade_price).toBe('0.550');
    expect(h.engine.bookFor(NO)!.last_trade_price).toBe('0.450');
    expect(after.hash).not.toBe(before.hash);
    expect(h.engine.lastTrade(YES)).toEqual({ price: m('0.55'), side: 'BUY' });
    expect(h.engine.lastTrade(NO)).toEqual({ price: m('0.45'), side: 'SELL' });
  });

  it('answers undefined (a 404) for an unknown token', () => {
    const h = harness();
    expect(h.engine.bookFor('123')).toBeUndefined();
    expect(h.engine.levelsFor('123')).toBeUndefined();
  });
});

describe('book events', () => {
  it('one order gives one price_change with its level on both tokens, and the hashes /book gives', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    h.engine.submit(limit(ALICE, 'BUY', YES, '0.59', '10'));
    const r = h.engine.submit(limit(ALICE, 'BUY', YES, '0.59', '5'));
    const [change] = ofType(r.events, 'book_changed');
    expect(change).toMatchObject({ market: CONDITION, traded: false });
    expect(change!.changes).toEqual([
      {
        tokenId: YES,
        price: m('0.59'),
        side: 'BUY',
        size: m('15'),
        bestBid: m('0.59'),
        bestAsk: null,
        hash: h.engine.bookFor(YES)!.hash,
      },
      {
        tokenId: NO,
        price: m('0.41'),
        side: 'SELL',
        size: m('15'),
        bestBid: null,
        bestAsk: m('0.41'),
        hash: h.engine.bookFor(NO)!.hash,
      },
    ]);
    // The top did not move, so no best_bid_ask this time.
    expect(ofType(r.events, 'best_bid_ask')).toEqual([]);
  });

  it('a cancel sends size 0 for an emptied level and the new top on both tokens', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    h.engine.submit(limit(ALICE, 'BUY', YES, '0.50', '10'));
    const best = h.engine.submit(limit(ALICE, 'BUY', YES, '0.55', '10')).orderId;
    const r = h.engine.cancel([best]);
    expect(
      ofType(r.events, 'book_changed')[0]!.changes.map((c) => [c.tokenId, c.side, c.price, c.size]),
    ).toEqual([
      [YES, 'BUY', m('0.55'), 0],
      [NO, 'SELL', m('0.45'), 0],
    ]);
    expect(ofType(r.events, 'best_bid_ask').map((e) => [e.tokenId, e.bestBid, e.bestAsk, e.spread])).toEqual([
      [YES, m('0.5'), null, null],
      [NO, null, m('0.5'), null],
    ]);
  });

  it('a match reports the trade, each maker update, last trade prices, then the book and top changes', () => {
    const h = harness({ feeRate: m('0.02') as Micro });
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '100', '10');
    const ask = h.engine.submit(limit(BOB, 'SELL', YES, '0.60', '5')).orderId;
    const bid = h.engine.submit(limit(BOB, 'BUY', NO, '0.38', '5')).orderId; // YES ask 0.62
    h.engine.submit(limit(BOB, 'BUY', YES, '0.30', '5'));
    const r = h.engine.submit(limit(ALICE, 'BUY', YES, '0.62', '8'));
    expect(r.events.map((e) => e.type)).toEqual([
      'trade',
      'order_updated',
      'order_updated',
      'last_trade_price',
      'last_trade_price',
      'last_trade_price',
      'last_trade_price',
      'book_changed',
      'best_bid_ask',
      'best_bid_ask',
    ]);
    expect(
      ofType(r.events, 'order_updated').map((e) => [e.order.id, e.order.status, e.order.sizeMatched]),
    ).toEqual([
      [ask, 'MATCHED', m('5')],
      [bid, 'LIVE', m('3')],
    ]);
    expect(
      ofType(r.events, 'last_trade_price').map((e) => [e.tokenId, e.price, e.size, e.side, e.feeRate]),
    ).toEqual([
      [YES, m('0.6'), m('5'), 'BUY', m('0.02')],
      [NO, m('0.4'), m('5'), 'SELL', m('0.02')],
      [YES, m('0.62'), m('3'), 'BUY', m('0.02')],
      [NO, m('0.38'), m('3'), 'SELL', m('0.02')],
    ]);
    const change = ofType(r.events, 'book_changed')[0]!;
    expect(change.traded).toBe(true);
    expect(change.changes.map((c) => [c.tokenId, c.side, c.price, c.size])).toEqual([
      [YES, 'SELL', m('0.6'), 0],
      [NO, 'BUY', m('0.4'), 0],
      [YES, 'SELL', m('0.62'), m('2')],
      [NO, 'BUY', m('0.38'), m('2')],
    ]);
    expect(ofType(r.events, 'best_bid_ask')[0]).toMatchObject({
      tokenId: YES,
      bestBid: m('0.3'),
      bestAsk: m('0.62'),
      spread: m('0.32'),
    });
  });

  it('numbers every event in one stream and stamps it with the clock', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    h.advance(250);
    h.engine.submit(limit(ALICE, 'BUY', YES, '0.5', '10'));
    expect(h.events.map((e) => e.seq)).toEqual(h.events.map((_, i) => i + 1));
    expect(h.events.at(-1)!.timestamp).toBe(T0 + 250);
    expect(h.events[0]).toMatchObject({ type: 'market_created', timestamp: T0 });
  });
});
