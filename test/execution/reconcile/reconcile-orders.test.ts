/** reconcileOrders over tables: one local order against the venue's open orders, trades and lookups. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ACCEPTANCE_WINDOW_MS,
  type LocalOrder,
  type ReconcileOptions,
  reconcileOrders,
  type VenueOrder,
  type VenueTrade,
} from '../../../src/execution/reconcile/index.ts';
import { fill, HASH, makerTrade, NOW, OTHER, order, sh, TX, takerTrade, venueOrder } from './support.ts';

function one(
  local: LocalOrder,
  open: VenueOrder[] = [],
  trades: VenueTrade[] = [],
  options: ReconcileOptions = {},
) {
  const result = reconcileOrders([local], open, trades, NOW, options);
  expect(result.decisions).toHaveLength(1);
  return result.decisions[0]!;
}

const unknown = (hash = HASH): ReconcileOptions => ({ lookups: new Map([[hash, null]]) });
const young = { createdAt: NOW - 10_000, submittedAt: NOW - 9_000 };

describe('reconcileOrders: SUBMITTED (an ambiguous send) settled by the hash', () => {
  it('found open and unmatched: LIVE', () => {
    expect(one(order(), [venueOrder(0)])).toMatchObject({ to: 'LIVE', changed: true, resendable: false });
  });

  it('found open and partly traded: PARTIAL, with the fill added', () => {
    const d = one(order(), [venueOrder(4)], [makerTrade(4, { status: 'MINED', txHash: TX })]);
    expect(d.to).toBe('PARTIAL');
    expect(d.fillChanges).toEqual([
      {
        kind: 'add',
        fill: expect.objectContaining({ tradeId: 't1', size: sh(4), status: 'MINED', txHash: TX }),
      },
    ]);
    expect(d.filledSize).toBe(sh(4));
    expect(d.reason).toMatch(/open at the venue.*SUBMITTED -> PARTIAL \(1 fill added\)/);
  });

  it('in the trades and filled, not open: FILLED', () => {
    const d = one(order({ orderType: 'FOK' }), [], [takerTrade(10)]);
    expect(d).toMatchObject({ to: 'FILLED', filledSize: sh(10) });
  });

  it('traded in part, not open, past the acceptance window: CANCELLED with its fill', () => {
    const d = one(order({ orderType: 'GTC' }), [], [makerTrade(4)]);
    expect(d).toMatchObject({ to: 'CANCELLED', filledSize: sh(4) });
    expect(d.reason).toMatch(/its trades do not fill it/);
  });

  it('a FAK traded in part is done (FILLED with its fill): a FAK never rests', () => {
    const d = one(order({ orderType: 'FAK' }), [], [takerTrade(4)]);
    expect(d).toMatchObject({ to: 'FILLED', filledSize: sh(4) });
    expect(d.reason).toMatch(/its trades are all a FAK gets/);
  });

  it('traded in part, not open, but sent moments ago: PARTIAL until the next check', () => {
    expect(one(order(young), [], [makerTrade(4)]).to).toBe('PARTIAL');
  });

  it('nowhere, within the acceptance window: stays SUBMITTED', () => {
    const d = one(order(young), [], [], unknown());
    expect(d).toMatchObject({ to: 'SUBMITTED', changed: false, resendable: false });
    expect(d.reason).toMatch(/within the acceptance window/);
  });

  it('nowhere after the window, and the venue does not know the hash: REJECTED', () => {
    expect(one(order(), [], [], unknown())).toMatchObject({ to: 'REJECTED', resendable: false });
  });

  it('nowhere after the window, not looked up: FAILED (fate unknown), never resendable', () => {
    const d = one(order());
    expect(d).toMatchObject({ to: 'FAILED', resendable: false });
    expect(d.reason).toMatch(/fate unknown.*not resent/);
  });

  it.each([
    ['CANCELED', 'CANCELLED'],
    ['CANCELED_MARKET_RESOLVED', 'CANCELLED'],
    ['MATCHED', 'FILLED'],
    ['INVALID', 'REJECTED'],
    ['LIVE', 'LIVE'],
  ] as const)('looked up by hash as %s: %s', (status, to) => {
    const lookups = new Map([[HASH, venueOrder(status === 'MATCHED' ? 10 : 0, { status })]]);
    expect(one(order(), [], [], { lookups }).to).toBe(to);
  });

  it('looked up as a cancelled GTD past its expiration: EXPIRED', () => {
    const lookups = new Map([[HASH, venueOrder(0, { status: 'CANCELED', expiration: (NOW - 1000) / 1000 })]]);
    expect(one(order({ orderType: 'GTD' }), [], [], { lookups }).to).toBe('EXPIRED');
  });

  it('matches hashes whatever their case, in the lists and in the lookups', () => {
    const upper = HASH.toUpperCase().replace('0X', '0x');
    expect(one(order(), [venueOrder(0, { id: upper })]).to).toBe('LIVE');
    expect(one(order({ orderHash: upper }), [], [], unknown()).to).toBe('REJECTED');
  });
});

describe('reconcileOrders: PENDING (written, maybe never sent)', () => {
  it('never signed and young: may be sent', () => {
    const d = one(order({ status: 'PENDING', orderHash: null, ...young, submittedAt: null }));
    expect(d).toMatchObject({ to: 'PENDING', resendable: true, changed: false });
    expect(d.reason).toMatch(/never signed/);
  });

  it('older than 10 minutes with nothing at the venue: FAILED, not resendable', () => {
    const old = { createdAt: NOW - 11 * 60_000, submittedAt: null };
    for (const o of [
      order({ status: 'PENDING', orderHash: null, ...old }),
      order({ status: 'PENDING', ...old }),
    ]) {
      expect(one(o, [], [], unknown())).toMatchObject({ to: 'FAILED', resendable: false });
    }
  });

  it('signed, young, not looked up: fate unknown, so not resendable', () => {
    const d = one(order({ status: 'PENDING', createdAt: NOW - 2 * 60_000, submittedAt: null }));
    expect(d).toMatchObject({ to: 'PENDING', resendable: false });
    expect(d.reason).toMatch(/fate is unknown/);
  });

  it('signed, young, and the venue does not know the hash: resendable once past the acceptance window', () => {
    const past = order({ status: 'PENDING', createdAt: NOW - 2 * 60_000, submittedAt: null });
    expect(one(past, [], [], unknown())).toMatchObject({ to: 'PENDING', resendable: true });
    const inFlight = order({
      status: 'PENDING',
      createdAt: NOW - DEFAULT_ACCEPTANCE_WINDOW_MS + 1,
      submittedAt: null,
    });
    expect(one(inFlight, [], [], unknown())).toMatchObject({ to: 'PENDING', resendable: false });
  });

  it('found at the venue: it was sent before a crash, and is settled like SUBMITTED', () => {
    expect(one(order({ status: 'PENDING' }), [venueOrder(0)])).toMatchObject({
      to: 'LIVE',
      resendable: false,
    });
    expect(one(order({ status: 'PENDING' }), [], [takerTrade(10)])).toMatchObject({
      to: 'FILLED',
      resendable: false,
    });
  });
});

describe('reconcileOrders: LIVE and PARTIAL', () => {
  it('still open: unchanged', () => {
    expect(one(order({ status: 'LIVE' }), [venueOrder(0)])).toMatchObject({ to: 'LIVE', changed: false });
  });

  it('no longer open, no trades: CANCELLED', () => {
    expect(one(order({ status: 'LIVE' })).to).toBe('CANCELLED');
  });

  it('no longer open, GTD expiry passed: EXPIRED', () => {
    expect(one(order({ status: 'LIVE', orderType: 'GTD', expiresAt: NOW - 1 })).to).toBe('EXPIRED');
  });

  it('no longer open, and new trades fill it: FILLED', () => {
    const local = order({
      status: 'PARTIAL',
      fills: [fill({ tradeId: 't0', size: sh(4), status: 'CONFIRMED' })],
    });
    const trades = [makerTrade(4, { id: 't0', status: 'CONFIRMED' }), makerTrade(6, { id: 't1' })];
    const d = one(local, [], trades);
    expect(d).toMatchObject({ to: 'FILLED', filledSize: sh(10) });
    expect(d.fillChanges.map((c) => c.kind)).toEqual(['add']);
  });

  it('a hash the venue says it does not know: flagged and CANCELLED', () => {
    const d = one(order({ status: 'LIVE' }), [], [], unknown());
    expect(d.to).toBe('CANCELLED');
    expect(d.flags.map((f) => f.kind)).toEqual(['venue_forgot_order']);
  });
});

describe('reconcileOrders: fills', () => {
  it('advances a fill to the venue status, and rolls back a FAILED one', () => {
    const local = order({
      status: 'PARTIAL',
      fills: [
        fill({ tradeId: 'a', size: sh(2) }),
        fill({ tradeId: 'b', size: sh(3), status: 'MINED', txHash: TX }),
      ],
    });
    const trades = [
      makerTrade(2, { id: 'a', status: 'CONFIRMED', txHash: TX }),
      makerTrade(3, { id: 'b', status: 'FAILED', txHash: TX }),
    ];
    const d = one(local, [venueOrder(5)], trades);
    expect(d.fillChanges).toEqual([
      { kind: 'advance', tradeId: 'a', from: 'MATCHED', to: 'CONFIRMED', txHash: TX },
      { kind: 'rollback', tradeId: 'b', from: 'MINED', size: sh(3), txHash: TX },
    ]);
    expect(d).toMatchObject({ to: 'PARTIAL', filledSize: sh(2) });
  });

  it('flags a fill the venue does not list, and keeps it', () => {
    const d = one(order({ status: 'PARTIAL', fills: [fill({ tradeId: 'ghost' })] }), [venueOrder(4)]);
    expect(d.fills).toHaveLength(1);
    expect(d.flags).toEqual([expect.objectContaining({ kind: 'fill_unknown_to_venue', tradeId: 'ghost' })]);
  });

  it('merges fills into terminal orders too, leaving their status', () => {
    const d = one(order({ status: 'CANCELLED' }), [], [makerTrade(4, { status: 'CONFIRMED' })]);
    expect(d).toMatchObject({ to: 'CANCELLED', filledSize: sh(4), changed: true });
  });

  it('flags a terminal order the venue still has open', () => {
    const d = one(order({ status: 'CANCELLED' }), [venueOrder(0)]);
    expect(d.to).toBe('CANCELLED');
    expect(d.flags.map((f) => f.kind)).toEqual(['open_at_venue_but_terminal']);
    const dead = one(order({ status: 'FAILED' }), [venueOrder(0)]);
    expect(dead.flags.map((f) => f.kind)).toEqual(['open_at_venue_but_terminal', 'venue_knows_dead_order']);
  });

  it('counts a trade listed twice once', () => {
    const d = one(order({ status: 'LIVE' }), [venueOrder(4)], [makerTrade(4), makerTrade(4)]);
    expect(d.filledSize).toBe(sh(4));
    expect(d.fillChanges).toHaveLength(1);
  });
});

describe('reconcileOrders: the whole account', () => {
  it('reports open orders and trades of no local order, and gives every decision a reason', () => {
    const stranger = `0x${'99'.repeat(32)}`;
    const result = reconcileOrders(
      [order(), order({ id: 2, status: 'PENDING', orderHash: null, ...young, submittedAt: null })],
      [venueOrder(0), venueOrder(0, { id: stranger })],
      [
        takerTrade(1, {
          id: 'x',
          takerOrderId: stranger,
          makerOrders: [{ orderId: OTHER, matchedAmount: sh(1), price: 1 as never }],
        }),
      ],
      NOW,
    );
    expect(result.decisions.map((d) => [d.orderId, d.to, d.resendable])).toEqual([
      [1, 'LIVE', false],
      [2, 'PENDING', true],
    ]);
    expect(result.unknownOpenOrders).toEqual([
      { orderId: stranger, reason: expect.stringMatching(/no local order/) },
    ]);
    expect(result.unknownTrades).toEqual([{ tradeId: 'x', reason: expect.any(String) }]);
    for (const d of result.decisions) expect(d.reason.length).toBeGreaterThan(10);
  });
});
