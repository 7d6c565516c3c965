/**
 * Invariants of applyUserEvent and reconcileOrders over generated histories.
 *
 * A consistent history is what a venue could send about one order: a PLACEMENT, trades (each
 * MATCHED, then maybe MINED, RETRYING, CONFIRMED or FAILED) never matching more than the order,
 * an UPDATE after each, and maybe a CANCELLATION or expiry. Over those, any delivery (reordered,
 * repeated) gives one final state, the same as REST reconciliation of the venue's final picture.
 * Over arbitrary (even contradictory) events, duplicates change nothing and terminal stays terminal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Micro } from '../../../src/core/money.ts';
import {
  applyUserEvent,
  isFinalFill,
  isTerminalOrder,
  type LocalOrder,
  reconcileOrders,
  type UserEvent,
  type VenueOrder,
  type VenueTrade,
  type VenueTradeStatus,
} from '../../../src/execution/reconcile/index.ts';
import { HASH, NOW, OTHER, order, orderEvent, px, sh } from './support.ts';

const RUNS = { numRuns: 500 };
const LOT = 10_000; // 0.01 share, the venue's size step

const FATES = {
  pending: ['MATCHED'],
  mined: ['MATCHED', 'MINED'],
  confirmed: ['MATCHED', 'MINED', 'CONFIRMED'],
  retried: ['MATCHED', 'MINED', 'RETRYING', 'MINED', 'CONFIRMED'],
  failed: ['MATCHED', 'MINED', 'FAILED'],
  failedAtOnce: ['MATCHED', 'FAILED'],
} as const satisfies Record<string, readonly VenueTradeStatus[]>;

interface History {
  start: LocalOrder;
  events: UserEvent[];
  /** The venue's picture at the end, as REST gives it. */
  finalTrades: VenueTrade[];
  /** The order as `/data/order/<hash>` gives it at the end. */
  venueOrder: VenueOrder;
  openAtEnd: boolean;
}

const historyArb: fc.Arbitrary<History> = fc
  .record({
    lots: fc.integer({ min: 1, max: 60 }),
    trades: fc.array(
      fc.record({
        lots: fc.integer({ min: 1, max: 30 }),
        role: fc.constantFrom('TAKER', 'MAKER'),
        fate: fc.constantFrom(...(Object.keys(FATES) as (keyof typeof FATES)[])),
        cents: fc.integer({ min: 1, max: 99 }),
      }),
      { maxLength: 5 },
    ),
    end: fc.constantFrom('none', 'cancel', 'expire'),
  })
  .map(({ lots, trades, end }) => {
    const size = lots * LOT;
    // A GTD that expired, or one cancelled well before its expiry (the venue's record of a
    // cancelled GTD cannot say which it was once the expiry has passed too).
    const expiration =
      end === 'none' ? 0 : Math.floor(end === 'expire' ? (NOW - 1000) / 1000 : NOW / 1000 + 3600);
    const start = order({
      size: sh(size / 1e6),
      orderType: end === 'none' ? 'GTC' : 'GTD',
      expiresAt: expiration === 0 ? null : expiration * 1000,
    });
    const events: UserEvent[] = [
      orderEvent('PLACEMENT', 0, { originalSize: size as Micro, timestampMs: NOW - 99_000 }),
    ];
    const finalTrades: VenueTrade[] = [];
    let matched = 0;
    let t = NOW - 90_000;
    trades.forEach((spec, i) => {
      const shares = Math.min(spec.lots * LOT, size - matched);
      if (shares <= 0) return;
      matched += shares;
      const id = `trade-${i}`;
      const tx = `0x${String(i + 1).padStart(64, '0')}`;
      const price = px(spec.cents / 100);
      const base = {
        id,
        takerOrderId: spec.role === 'TAKER' ? HASH : OTHER,
        size: shares as never,
        price,
        makerOrders: [
          { orderId: spec.role === 'MAKER' ? HASH : OTHER, matchedAmount: shares as never, price },
        ],
        matchTimeMs: t,
      };
      const statuses = FATES[spec.fate];
      for (const status of statuses) {
        events.push({ kind: 'trade', trade: { ...base, status, txHash: status === 'MATCHED' ? null : tx } });
      }
      t += 1000;
      finalTrades.push({
        ...base,
        status: statuses[statuses.length - 1]!,
        txHash: statuses.length > 1 ? tx : null,
      });
      events.push(
        orderEvent('UPDATE', null, {
          originalSize: size as Micro,
          sizeMatched: matched as Micro,
          status: matched === size ? 'MATCHED' : 'LIVE',
          timestampMs: t,
        }),
      );
    });
    const done = matched === size;
    if (!done && end !== 'none') {
      events.push(
        orderEvent('CANCELLATION', null, {
          originalSize: size as Micro,
          sizeMatched: matched as Micro,
          expiration,
          timestampMs: end === 'expire' ? NOW : NOW - 5000,
        }),
      );
    }
    const venueOrder: VenueOrder = {
      id: HASH,
      status: done ? 'MATCHED' : end === 'none' ? 'LIVE' : 'CANCELED',
      originalSize: size as Micro,
      sizeMatched: matched as Micro,
      expiration,
    };
    return { start, events, finalTrades, venueOrder, openAtEnd: !done && end === 'none' };
  });

/** A delivery of a history: shuffled, with some events repeated anywhere. */
const deliveryArb = historyArb.chain((h) =>
  fc
    .record({
      order: fc.shuffledSubarray(h.events, { minLength: h.events.length, maxLength: h.events.length }),
      repeats: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 12 }),
    })
    .map(({ order: shuffled, repeats }) => {
      const delivered = [...shuffled];
      for (const [which, where] of repeats) {
        delivered.splice(where % (delivered.length + 1), 0, h.events[which % h.events.length]!);
      }
      return { history: h, delivered };
    }),
);

function fold(start: LocalOrder, events: readonly UserEvent[], each?: (o: LocalOrder) => void): LocalOrder {
  let state = start;
  for (const event of events) {
    state = applyUserEvent(state, event).order;
    each?.(state);
  }
  return state;
}

/** The state that matters, independent of the order fills were added in. */
function essence(o: LocalOrder) {
  return { status: o.status, fills: [...o.fills].sort((a, b) => a.tradeId.localeCompare(b.tradeId)) };
}

describe('applyUserEvent over consistent histories', () => {
  it('any order and any repeats of the events give the state of the in-order delivery', () => {
    fc.assert(
      fc.property(deliveryArb, ({ history, delivered }) => {
        expect(essence(fold(history.start, delivered))).toEqual(essence(fold(history.start, history.events)));
      }),
      RUNS,
    );
  });

  it('delivering everything twice, or each event twice in a row, changes nothing', () => {
    fc.assert(
      fc.property(historyArb, (h) => {
        const once = essence(fold(h.start, h.events));
        expect(essence(fold(h.start, [...h.events, ...h.events]))).toEqual(once);
        expect(
          essence(
            fold(
              h.start,
              h.events.flatMap((e) => [e, e]),
            ),
          ),
        ).toEqual(once);
      }),
      RUNS,
    );
  });

  it('the filled size never exceeds the order size, at any step', () => {
    fc.assert(
      fc.property(deliveryArb, ({ history, delivered }) => {
        let state = history.start;
        for (const event of delivered) {
          const out = applyUserEvent(state, event);
          expect(out.filledSize).toBeLessThanOrEqual(history.start.size);
          expect(out.flags.filter((f) => f.kind === 'overfill')).toEqual([]);
          state = out.order;
        }
      }),
      RUNS,
    );
  });

  it('ends where REST reconciliation of the venue at the end puts the order', () => {
    fc.assert(
      fc.property(deliveryArb, ({ history, delivered }) => {
        const bySocket = essence(fold(history.start, delivered));
        const { start, venueOrder, finalTrades } = history;
        const open = history.openAtEnd ? [venueOrder] : [];
        const lookups = new Map([[HASH, venueOrder]]);
        const [decision] = reconcileOrders([start], open, finalTrades, NOW, { lookups }).decisions;
        expect(essence({ ...start, status: decision!.to, fills: decision!.fills })).toEqual(bySocket);
      }),
      RUNS,
    );
  });
});

/** Any event about our order or another, consistent or not. */
const anyEventArb: fc.Arbitrary<UserEvent> = fc.oneof(
  fc
    .record({
      type: fc.constantFrom('PLACEMENT', 'UPDATE', 'CANCELLATION'),
      matched: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
      status: fc.constantFrom('LIVE', 'MATCHED', 'CANCELED', 'DELAYED', 'INVALID', null),
      mine: fc.boolean(),
      expired: fc.boolean(),
    })
    .map(({ type, matched, status, mine, expired }) =>
      orderEvent(type, matched, {
        status,
        orderId: mine ? HASH : OTHER,
        expiration: expired ? Math.floor((NOW - 1000) / 1000) : 0,
        timestampMs: NOW,
      }),
    ),
  fc
    .record({
      id: fc.constantFrom('a', 'b', 'c'),
      status: fc.constantFrom<VenueTradeStatus>('MATCHED', 'MINED', 'CONFIRMED', 'RETRYING', 'FAILED'),
      shares: fc.integer({ min: 1, max: 8 }),
      role: fc.constantFrom('TAKER', 'MAKER', 'NONE'),
      tx: fc.constantFrom(null, `0x${'01'.repeat(32)}`, `0x${'02'.repeat(32)}`),
    })
    .map(
      ({ id, status, shares, role, tx }): UserEvent => ({
        kind: 'trade',
        trade: {
          id,
          status,
          takerOrderId: role === 'TAKER' ? HASH : OTHER,
          size: sh(shares),
          price: px(0.5),
          makerOrders: [
            { orderId: role === 'MAKER' ? HASH : OTHER, matchedAmount: sh(shares), price: px(0.5) },
          ],
          matchTimeMs: NOW,
          txHash: tx,
        },
      }),
    ),
);

describe('applyUserEvent over arbitrary events', () => {
  it('a terminal status never changes, and a final fill status never changes', () => {
    fc.assert(
      fc.property(fc.array(anyEventArb, { maxLength: 25 }), (events) => {
        let terminal: string | null = null;
        const final = new Map<string, string>();
        fold(order(), events, (state) => {
          if (terminal !== null) expect(state.status).toBe(terminal);
          else if (isTerminalOrder(state.status)) terminal = state.status;
          for (const f of state.fills) {
            const seen = final.get(f.tradeId);
            if (seen !== undefined) expect(f.status).toBe(seen);
            else if (isFinalFill(f.status)) final.set(f.tradeId, f.status);
          }
        });
      }),
      RUNS,
    );
  });

  it('repeating earlier events later changes nothing', () => {
    fc.assert(
      fc.property(
        fc.array(anyEventArb, { minLength: 1, maxLength: 20 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 10 }),
        (events, repeats) => {
          const delivered = [...events];
          for (const [which, after] of repeats) {
            // A repeat comes after the original: insert it somewhere past its first delivery.
            const event = events[which % events.length]!;
            const first = delivered.indexOf(event);
            delivered.splice(first + 1 + (after % (delivered.length - first)), 0, event);
          }
          expect(fold(order(), delivered)).toEqual(fold(order(), events));
        },
      ),
      RUNS,
    );
  });
});

describe('reconcileOrders', () => {
  it('is idempotent: applying its decision and reconciling again changes nothing', () => {
    fc.assert(
      fc.property(historyArb, fc.constantFrom('SUBMITTED', 'PENDING', 'LIVE', 'PARTIAL'), (h, status) => {
        const start = { ...h.start, status } as LocalOrder;
        const open = h.openAtEnd ? [h.venueOrder] : [];
        const [first] = reconcileOrders([start], open, h.finalTrades, NOW).decisions;
        const next = { ...start, status: first!.to, fills: first!.fills };
        const [again] = reconcileOrders([next], open, [...h.finalTrades, ...h.finalTrades], NOW).decisions;
        expect(again).toMatchObject({ to: first!.to, changed: false, fillChanges: [] });
        expect(again!.filledSize).toBeLessThanOrEqual(h.start.size);
        if (isTerminalOrder(first!.to)) expect(again!.to).toBe(first!.to);
      }),
      RUNS,
    );
  });
});
