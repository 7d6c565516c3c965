/** applyUserEvent over tables of one order and one user-channel event. */
import { describe, expect, it } from 'vitest';
import { applyUserEvent, type UserEvent } from '../../../src/execution/reconcile/index.ts';
import {
  fill,
  HASH,
  makerTrade,
  NOW,
  OTHER,
  order,
  orderEvent,
  px,
  sh,
  TX,
  takerTrade,
  tradeEvent,
} from './support.ts';

describe('applyUserEvent: order events', () => {
  it.each([
    ['PLACEMENT on SUBMITTED', order(), orderEvent('PLACEMENT', 0), 'LIVE'],
    [
      'PLACEMENT on PENDING (sent, then a crash before SUBMITTED was written)',
      order({ status: 'PENDING' }),
      orderEvent('PLACEMENT', 0),
      'LIVE',
    ],
    ['UPDATE with part matched', order({ status: 'LIVE' }), orderEvent('UPDATE', 4), 'PARTIAL'],
    [
      'UPDATE with all matched',
      order({ status: 'PARTIAL' }),
      orderEvent('UPDATE', 10, { status: 'MATCHED' }),
      'FILLED',
    ],
    ['CANCELLATION', order({ status: 'LIVE' }), orderEvent('CANCELLATION', 0), 'CANCELLED'],
    [
      'CANCELLATION after a partial match',
      order({ status: 'PARTIAL' }),
      orderEvent('CANCELLATION', 4),
      'CANCELLED',
    ],
    [
      'FOK killed on arrival ("" size_matched, reason in status)',
      order({ orderType: 'FOK' }),
      orderEvent('CANCELLATION', null, {
        status: "CANCELED_order couldn't be fully filled. FOK orders are fully filled or killed.",
      }),
      // The same end as the POST's answer (a FOK error), whichever arrives first.
      'REJECTED',
    ],
    [
      'FAK remainder killed after a partial fill',
      order({ orderType: 'FAK' }),
      orderEvent('CANCELLATION', 4),
      'FILLED',
    ],
    [
      'market resolved',
      order({ status: 'LIVE' }),
      orderEvent('CANCELLATION', 0, { status: 'CANCELED_MARKET_RESOLVED' }),
      'CANCELLED',
    ],
    [
      'GTD past its expiration',
      order({ status: 'LIVE', orderType: 'GTD' }),
      orderEvent('CANCELLATION', 0, { expiration: (NOW - 60_000) / 1000, timestampMs: NOW }),
      'EXPIRED',
    ],
    [
      'GTD expiry known only locally',
      order({ status: 'LIVE', orderType: 'GTD', expiresAt: NOW - 60_000, fills: [] }),
      orderEvent('CANCELLATION', 0, { expiration: null, timestampMs: NOW }),
      'EXPIRED',
    ],
    ['a delayed order is working', order(), orderEvent('PLACEMENT', 0, { status: 'DELAYED' }), 'LIVE'],
  ] as const)('%s -> %s', (_name, before, event, to) => {
    const out = applyUserEvent(before, event);
    expect(out.order.status).toBe(to);
    expect(out.statusChange).toEqual({ from: before.status, to });
    expect(out.changed).toBe(true);
    expect(out.reason).toContain(`${before.status} -> ${to}`);
  });

  it('never moves backwards: a late PLACEMENT leaves a PARTIAL order PARTIAL', () => {
    const out = applyUserEvent(order({ status: 'PARTIAL' }), orderEvent('PLACEMENT', 0));
    expect(out.order.status).toBe('PARTIAL');
    expect(out.changed).toBe(false);
    expect(out.reason).toMatch(/stays PARTIAL, nothing new/);
  });

  it.each(['FILLED', 'CANCELLED', 'EXPIRED', 'REJECTED', 'FAILED'] as const)(
    'a terminal %s order stays so whatever the event',
    (status) => {
      for (const event of [
        orderEvent('PLACEMENT', 0),
        orderEvent('UPDATE', 5),
        orderEvent('CANCELLATION', 2),
      ]) {
        expect(applyUserEvent(order({ status }), event).order.status).toBe(status);
      }
    },
  );

  it('flags an event for an order we had given up as FAILED or REJECTED', () => {
    const out = applyUserEvent(order({ status: 'FAILED' }), orderEvent('PLACEMENT', 0));
    expect(out.order.status).toBe('FAILED');
    expect(out.flags.map((f) => f.kind)).toEqual(['venue_knows_dead_order']);
  });

  it('ignores events of other orders, and any event for an order never signed', () => {
    const other = applyUserEvent(order(), orderEvent('PLACEMENT', 0, { orderId: OTHER }));
    expect(other.changed).toBe(false);
    expect(other.reason).toContain(`for ${OTHER}`);
    const unsigned = applyUserEvent(
      order({ status: 'PENDING', orderHash: null }),
      orderEvent('PLACEMENT', 0),
    );
    expect(unsigned.changed).toBe(false);
    expect(unsigned.reason).toMatch(/never signed/);
  });

  it('matches hashes whatever their case', () => {
    const out = applyUserEvent(
      order(),
      orderEvent('PLACEMENT', 0, { orderId: HASH.toUpperCase().replace('0X', '0x') }),
    );
    expect(out.order.status).toBe('LIVE');
  });
});

describe('applyUserEvent: trade events', () => {
  it('a MATCHED trade as maker adds a fill at our price and makes the order PARTIAL', () => {
    const out = applyUserEvent(order({ status: 'LIVE' }), tradeEvent(makerTrade(4)));
    expect(out.fillChanges).toEqual([
      {
        kind: 'add',
        fill: expect.objectContaining({ tradeId: 't1', role: 'MAKER', size: sh(4), price: px(0.55) }),
      },
    ]);
    expect(out.order.status).toBe('PARTIAL');
    expect(out.filledSize).toBe(sh(4));
  });

  it('a trade as taker takes the taker size and average price; one that fills the order makes it FILLED', () => {
    const out = applyUserEvent(order({ orderType: 'FOK' }), tradeEvent(takerTrade(10, {}, 0.61)));
    expect(out.order.fills).toEqual([
      expect.objectContaining({ role: 'TAKER', size: sh(10), price: px(0.61) }),
    ]);
    expect(out.order.status).toBe('FILLED');
    expect(out.statusChange).toEqual({ from: 'SUBMITTED', to: 'FILLED' });
  });

  it('sums our maker entries of one trade and averages their prices by shares', () => {
    const trade = makerTrade(6, {
      makerOrders: [
        { orderId: HASH, matchedAmount: sh(2), price: px(0.5) },
        { orderId: OTHER, matchedAmount: sh(1), price: px(0.5) },
        { orderId: HASH, matchedAmount: sh(4), price: px(0.56) },
      ],
    });
    const [added] = applyUserEvent(order({ status: 'LIVE' }), tradeEvent(trade)).order.fills;
    expect(added).toMatchObject({ size: sh(6), price: px(0.54) });
  });

  it('MATCHED -> MINED -> CONFIRMED advances the fill and keeps the settlement hash', () => {
    let state = order({ status: 'LIVE' });
    const steps = [
      makerTrade(4),
      makerTrade(4, { status: 'MINED', txHash: TX }),
      makerTrade(4, { status: 'CONFIRMED', txHash: TX }),
    ];
    const changes = steps.map((t) => {
      const out = applyUserEvent(state, tradeEvent(t));
      state = out.order;
      return out.fillChanges;
    });
    expect(changes).toEqual([
      [{ kind: 'add', fill: expect.objectContaining({ status: 'MATCHED', txHash: null }) }],
      [{ kind: 'advance', tradeId: 't1', from: 'MATCHED', to: 'MINED', txHash: TX }],
      [{ kind: 'advance', tradeId: 't1', from: 'MINED', to: 'CONFIRMED', txHash: TX }],
    ]);
    expect(state.fills).toEqual([expect.objectContaining({ status: 'CONFIRMED', txHash: TX })]);
    expect(state.status).toBe('PARTIAL');
  });

  it('FAILED rolls the fill back: it no longer counts, and the order keeps its status', () => {
    const start = order({ status: 'PARTIAL', fills: [fill({ status: 'MINED', txHash: TX })] });
    const out = applyUserEvent(start, tradeEvent(makerTrade(4, { status: 'FAILED', txHash: TX })));
    expect(out.fillChanges).toEqual([
      { kind: 'rollback', tradeId: 't1', from: 'MINED', size: sh(4), txHash: TX },
    ]);
    expect(out.filledSize).toBe(0);
    expect(out.order.status).toBe('PARTIAL');
  });

  it('a FAILED trade before its MATCHED is recorded FAILED, and the late MATCHED cannot revive it', () => {
    const failed = applyUserEvent(order({ status: 'LIVE' }), tradeEvent(makerTrade(4, { status: 'FAILED' })));
    expect(failed.fillChanges).toEqual([
      { kind: 'add', fill: expect.objectContaining({ status: 'FAILED' }) },
    ]);
    expect(failed.filledSize).toBe(0);
    const late = applyUserEvent(failed.order, tradeEvent(makerTrade(4)));
    expect(late.changed).toBe(false);
    expect(late.order.fills).toEqual(failed.order.fills);
  });

  it('RETRYING never moves a MINED fill back', () => {
    const start = order({ status: 'PARTIAL', fills: [fill({ status: 'MINED', txHash: TX })] });
    const out = applyUserEvent(start, tradeEvent(makerTrade(4, { status: 'RETRYING', txHash: TX })));
    expect(out.changed).toBe(false);
    expect(out.order.fills[0]?.status).toBe('MINED');
  });

  it('a final status stays: FAILED after CONFIRMED is flagged, not applied', () => {
    const start = order({ status: 'PARTIAL', fills: [fill({ status: 'CONFIRMED', txHash: TX })] });
    const out = applyUserEvent(start, tradeEvent(makerTrade(4, { status: 'FAILED', txHash: TX })));
    expect(out.order.fills[0]?.status).toBe('CONFIRMED');
    expect(out.flags.map((f) => f.kind)).toEqual(['fill_conflict']);
  });

  it('the same trade id with another size is flagged and the first kept', () => {
    const start = order({ status: 'PARTIAL', fills: [fill()] });
    const out = applyUserEvent(start, tradeEvent(makerTrade(5, { status: 'MINED', txHash: TX })));
    expect(out.order.fills[0]).toMatchObject({ size: sh(4), status: 'MINED' });
    expect(out.flags.map((f) => f.kind)).toEqual(['fill_mismatch']);
  });

  it('a trade of a terminal order still books the fill (it is money) but leaves the status', () => {
    const out = applyUserEvent(order({ status: 'CANCELLED' }), tradeEvent(makerTrade(4)));
    expect(out.order.status).toBe('CANCELLED');
    expect(out.filledSize).toBe(sh(4));
    expect(out.changed).toBe(true);
  });

  it('fills beyond the order size are kept exact and flagged', () => {
    const out = applyUserEvent(order(), tradeEvent(takerTrade(12)));
    expect(out.filledSize).toBe(sh(12));
    expect(out.flags.map((f) => f.kind)).toEqual(['overfill']);
  });

  it('a trade of other orders changes nothing', () => {
    const trade = takerTrade(4, { takerOrderId: OTHER, makerOrders: [] });
    expect(applyUserEvent(order(), tradeEvent(trade))).toMatchObject({ changed: false, fillChanges: [] });
  });

  it('a duplicate changes nothing', () => {
    const events: UserEvent[] = [
      orderEvent('PLACEMENT', 0),
      tradeEvent(makerTrade(4, { status: 'MINED', txHash: TX })),
    ];
    for (const event of events) {
      const once = applyUserEvent(order(), event);
      const twice = applyUserEvent(once.order, event);
      expect(twice.changed).toBe(false);
      expect(twice.order).toEqual(once.order);
    }
  });
});
