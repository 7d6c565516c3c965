import { describe, expect, it } from 'vitest';
import { FAK_NO_MATCH_MESSAGE, FOK_NOT_FILLED_MESSAGE } from '../../../src/sim/engine/index.ts';
import {
  ALICE,
  BOB,
  fund,
  harness,
  limit,
  m,
  marketOrder,
  NO,
  ofType,
  T0,
  violations,
  YES,
} from './helpers.ts';

const seconds = (ms: number): number => Math.floor(ms / 1000);

describe('GTC', () => {
  it('rests when it does not cross, reported live, and stays until cancelled', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    const r = h.engine.submit(limit(ALICE, 'BUY', YES, '0.40', '10'));
    expect(r).toMatchObject({
      success: true,
      status: 'live',
      makingAmount: 0,
      takingAmount: 0,
      tradeIds: [],
    });
    h.advance(365 * 86_400_000);
    expect(h.engine.order(r.orderId)!.status).toBe('LIVE');
    expect(h.engine.openOrders().map((o) => o.id)).toEqual([r.orderId]);
  });
});

describe('GTD', () => {
  it('rests until its expiration, then expire() removes it and frees its funds', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    const expiration = seconds(T0) + 120;
    const r = h.engine.submit(limit(ALICE, 'BUY', YES, '0.40', '10', { type: 'GTD', expiration }));
    expect(r.status).toBe('live');
    expect(h.engine.balance(ALICE).reserved).toBe(m('4'));

    h.advance(119_999);
    expect(h.engine.expire()).toEqual([]);
    expect(h.engine.order(r.orderId)!.status).toBe('LIVE');

    h.advance(1);
    const events = h.engine.expire();
    expect(ofType(events, 'order_cancelled').map((e) => [e.order.id, e.reason, e.order.status])).toEqual([
      [r.orderId, 'EXPIRED', 'CANCELED'],
    ]);
    expect(ofType(events, 'book_changed')[0]!.changes.map((c) => [c.tokenId, c.size])).toEqual([
      [YES, 0],
      [NO, 0],
    ]);
    expect(h.engine.balance(ALICE)).toEqual({ balance: m('100'), reserved: 0, available: m('100') });
    expect(h.engine.openOrders()).toEqual([]);
  });

  it('expires on access too: a read or a submit after the expiration no longer sees it', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '0', '10');
    const expiration = seconds(T0) + 60;
    h.engine.submit(limit(ALICE, 'BUY', YES, '0.40', '10', { type: 'GTD', expiration }));
    h.advance(60_000);
    expect(h.engine.bookFor(YES)!.bids).toEqual([]);
    expect(ofType(h.events, 'order_cancelled')).toHaveLength(1);

    h.engine.submit(limit(ALICE, 'BUY', YES, '0.40', '10', { type: 'GTD', expiration: expiration + 60 }));
    h.advance(60_000);
    // The SELL would have matched the bid had it not expired first.
    const r = h.engine.submit(limit(BOB, 'SELL', YES, '0.40', '10'));
    expect(r.status).toBe('live');
    expect(r.events[0]).toMatchObject({ type: 'order_cancelled', reason: 'EXPIRED' });
  });

  it('partly fills as a taker and rests the remainder until it expires', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '0', '10');
    expect(h.engine.submit(limit(BOB, 'SELL', YES, '0.40', '5')).status).toBe('live');
    const r = h.engine.submit(
      limit(ALICE, 'BUY', YES, '0.40', '10', { type: 'GTD', expiration: seconds(T0) + 100 }),
    );
    expect(r.status).toBe('matched');
    h.advance(100_000);
    h.engine.expire();
    expect(h.engine.order(r.orderId)).toMatchObject({
      status: 'CANCELED',
      cancelReason: 'EXPIRED',
      sizeMatched: m('5'),
    });
    expect(h.engine.balance(ALICE).reserved).toBe(0);
  });
});

describe('FOK', () => {
  it('fills entirely at once', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '0', '20');
    h.engine.submit(limit(BOB, 'SELL', YES, '0.50', '10'));
    h.engine.submit(limit(BOB, 'SELL', YES, '0.60', '10'));
    const r = h.engine.submit(marketOrder(ALICE, 'BUY', YES, '11', '0.60', 'FOK'));
    expect(r).toMatchObject({
      success: true,
      status: 'matched',
      makingAmount: m('11'),
      takingAmount: m('20'),
    });
    expect(h.engine.order(r.orderId)!.status).toBe('MATCHED');
  });

  it('or not at all: the CLOB message, no balance moved, the book untouched, a CANCELLATION event', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '0', '20');
    h.engine.submit(limit(BOB, 'SELL', YES, '0.50', '10'));
    h.engine.submit(limit(BOB, 'SELL', YES, '0.60', '10'));
    const book = h.engine.bookFor(YES);
    const r = h.engine.submit(marketOrder(ALICE, 'BUY', YES, '11.01', '0.60', 'FOK'));
    expect(r).toMatchObject({ success: false, status: null, errorCode: 'FOK_ORDER_NOT_FILLED_ERROR' });
    expect(r.errorMsg).toBe("order couldn't be fully filled. FOK orders are fully filled or killed.");
    expect(r.events.map((e) => e.type)).toEqual(['order_cancelled']);
    expect(r.events[0]).toMatchObject({
      reason: 'FOK_NOT_FILLED',
      message: FOK_NOT_FILLED_MESSAGE,
      order: { id: r.orderId, status: 'CANCELED', orderType: 'FOK', sizeMatched: 0 },
    });
    expect(h.engine.balance(ALICE)).toEqual({ balance: m('100'), reserved: 0, available: m('100') });
    expect(h.engine.bookFor(YES)).toEqual(book);
  });

  it('a FOK SELL beyond its limit price is killed even if the book is deep', () => {
    const h = harness();
    fund(h.engine, ALICE, '0', '10');
    fund(h.engine, BOB, '100');
    h.engine.submit(limit(BOB, 'BUY', YES, '0.50', '5'));
    h.engine.submit(limit(BOB, 'BUY', YES, '0.30', '50'));
    const r = h.engine.submit(marketOrder(ALICE, 'SELL', YES, '10', '0.40', 'FOK'));
    expect(r.errorMsg).toBe(FOK_NOT_FILLED_MESSAGE);
    expect(h.engine.position(ALICE, YES)).toEqual({ balance: m('10'), reserved: 0, available: m('10') });
  });
});

describe('FAK', () => {
  it('fills what it can now and cancels the rest', () => {
    const h = harness();
    fund(h.engine, ALICE, '0', '20');
    fund(h.engine, BOB, '100');
    h.engine.submit(limit(BOB, 'BUY', YES, '0.50', '6'));
    const r = h.engine.submit(marketOrder(ALICE, 'SELL', YES, '20', '0.45', 'FAK'));
    expect(r).toMatchObject({ success: true, status: 'matched', makingAmount: m('6'), takingAmount: m('3') });
    const cancelled = ofType(r.events, 'order_cancelled');
    expect(cancelled.map((e) => [e.reason, e.order.sizeMatched, e.order.originalSize])).toEqual([
      ['FAK_REMAINDER', m('6'), m('20')],
    ]);
    expect(h.engine.position(ALICE, YES)).toEqual({ balance: m('14'), reserved: 0, available: m('14') });
    expect(h.engine.openOrders()).toEqual([]);
  });

  it('with nothing to match, is refused with the CLOB message', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    const r = h.engine.submit(marketOrder(ALICE, 'BUY', YES, '5', '0.5', 'FAK'));
    expect(r).toMatchObject({
      success: false,
      errorCode: 'FAK_ORDER_NOT_FILLED_ERROR',
      errorMsg: FAK_NO_MATCH_MESSAGE,
    });
    expect(ofType(r.events, 'order_cancelled')[0]!.reason).toBe('FAK_NO_MATCH');
    expect(h.engine.balance(ALICE).reserved).toBe(0);
  });
});

describe('post-only', () => {
  it('rests like a GTC when it does not cross', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '0', '10');
    h.engine.submit(limit(BOB, 'SELL', YES, '0.50', '10'));
    const r = h.engine.submit(limit(ALICE, 'BUY', YES, '0.49', '10', { postOnly: true }));
    expect(r.status).toBe('live');
    expect(h.engine.order(r.orderId)!.postOnly).toBe(true);
  });
});

describe('matching delay (sports seconds_delay)', () => {
  it('holds a marketable order for the delay, then matches it against the book as it is then', () => {
    const h = harness({ matchDelayMs: 3_000 });
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '0', '20');
    h.engine.submit(limit(BOB, 'SELL', YES, '0.50', '10'));
    const r = h.engine.submit(limit(ALICE, 'BUY', YES, '0.55', '10'));
    expect(r).toMatchObject({ success: true, status: 'delayed', makingAmount: 0, takingAmount: 0 });
    expect(r.events.map((e) => e.type)).toEqual(['order_delayed']);
    expect(h.engine.balance(ALICE).reserved).toBe(m('5.5'));
    expect(h.engine.order(r.orderId)!.status).toBe('DELAYED');

    h.advance(2_999);
    expect(h.engine.expire()).toEqual([]);
    h.advance(1);
    const events = h.engine.expire();
    expect(ofType(events, 'trade')[0]!.trade.taker).toMatchObject({ orderId: r.orderId, shares: m('10') });
    expect(h.engine.order(r.orderId)!.status).toBe('MATCHED');
    expect(h.engine.balance(ALICE)).toEqual({ balance: m('95'), reserved: 0, available: m('95') });
  });

  it('places a non-marketable order at once, and a delayed order can be cancelled', () => {
    const h = harness({ matchDelayMs: 3_000 });
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '0', '20');
    expect(h.engine.submit(limit(BOB, 'SELL', YES, '0.50', '10')).status).toBe('live');
    const r = h.engine.submit(limit(ALICE, 'BUY', YES, '0.55', '10'));
    expect(h.engine.cancel([r.orderId]).canceled).toEqual([r.orderId]);
    h.advance(5_000);
    expect(h.engine.expire()).toEqual([]);
    expect(h.engine.balance(ALICE).reserved).toBe(0);
    expect(violations(h.engine)).toEqual([]);
  });
});
