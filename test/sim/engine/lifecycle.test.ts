import { describe, expect, it } from 'vitest';
import { type Shares, tickSize, type Usdc } from '../../../src/core/index.ts';
import {
  MatchingEngine,
  NOT_CANCELABLE,
  ORDER_NOT_FOUND,
  SimEngineError,
  seededIds,
} from '../../../src/sim/engine/index.ts';
import {
  ALICE,
  BOB,
  CAROL,
  CONDITION,
  fund,
  harness,
  limit,
  m,
  NO,
  ofType,
  T0,
  violations,
  YES,
} from './helpers.ts';

describe('cancels', () => {
  it('take the order off the book, free its reservation and answer {canceled, notCanceled}', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '0', '10');
    const a = h.engine.submit(limit(ALICE, 'BUY', YES, '0.40', '10', { owner: 'key-a' })).orderId;
    const b = h.engine.submit(limit(BOB, 'SELL', YES, '0.60', '10', { owner: 'key-b' })).orderId;
    const r = h.engine.cancel([a, b, '0xunknown'], 'key-a');
    expect(r.canceled).toEqual([a]);
    expect(r.notCanceled).toEqual({ [b]: ORDER_NOT_FOUND, '0xunknown': ORDER_NOT_FOUND });
    expect(ofType(r.events, 'order_cancelled')[0]).toMatchObject({
      reason: 'USER',
      order: { id: a, status: 'CANCELED' },
    });
    expect(h.engine.balance(ALICE).reserved).toBe(0);
    expect(h.engine.cancel([a]).notCanceled).toEqual({ [a]: NOT_CANCELABLE });
    expect(h.engine.levelsFor(YES)).toEqual({ bids: [], asks: [{ price: m('0.6'), size: m('10') }] });
  });

  it('cancelAll takes every open order of a key, optionally in one token only', () => {
    const h = harness();
    fund(h.engine, ALICE, '100', '20');
    const yesBid = h.engine.submit(limit(ALICE, 'BUY', YES, '0.30', '10', { owner: 'k' })).orderId;
    const noAsk = h.engine.submit(limit(ALICE, 'SELL', NO, '0.90', '10', { owner: 'k' })).orderId;
    expect(h.engine.cancelAll('k', { tokenId: NO }).canceled).toEqual([noAsk]);
    expect(h.engine.cancelAll('k').canceled).toEqual([yesBid]);
    expect(h.engine.openOrders()).toEqual([]);
    expect(violations(h.engine)).toEqual([]);
  });
});

describe('tick size changes', () => {
  it('emit one event per token; resting orders stay when the grid gets finer; new orders follow the new tick', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    const r = h.engine.submit(limit(ALICE, 'BUY', YES, '0.96', '10'));
    const events = h.engine.setTickSize(CONDITION, tickSize(1_000));
    expect(ofType(events, 'tick_size_changed').map((e) => [e.tokenId, e.oldTickSize, e.newTickSize])).toEqual(
      [
        [YES, 10_000, 1_000],
        [NO, 10_000, 1_000],
      ],
    );
    expect(h.engine.order(r.orderId)!.status).toBe('LIVE');
    expect(h.engine.bookFor(NO)!.tick_size).toBe('0.001');
    expect(h.engine.submit(limit(ALICE, 'BUY', YES, '0.965', '10')).success).toBe(true);
  });

  it('cancel resting orders that fall off a coarser grid', () => {
    const h = harness({ tickSize: tickSize(1_000) });
    fund(h.engine, ALICE, '100');
    const onGrid = h.engine.submit(limit(ALICE, 'BUY', YES, '0.5', '10')).orderId;
    const offGrid = h.engine.submit(limit(ALICE, 'BUY', YES, '0.505', '10')).orderId;
    const events = h.engine.setTickSize(CONDITION, tickSize(10_000));
    expect(ofType(events, 'order_cancelled').map((e) => [e.order.id, e.reason])).toEqual([
      [offGrid, 'TICK_SIZE_CHANGE'],
    ]);
    expect(h.engine.order(onGrid)!.status).toBe('LIVE');
    expect(h.engine.balance(ALICE).reserved).toBe(m('5'));
    expect(h.engine.submit(limit(ALICE, 'BUY', YES, '0.505', '10')).errorCode).toBe(
      'INVALID_ORDER_MIN_TICK_SIZE',
    );
  });
});

describe('resolution and redemption', () => {
  function tradedMarket() {
    const h = harness();
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '100');
    // A mint: Alice holds 10 YES (paid 6), Bob 10 NO (paid 4).
    h.engine.submit(limit(BOB, 'BUY', NO, '0.40', '10'));
    h.engine.submit(limit(ALICE, 'BUY', YES, '0.60', '10'));
    return h;
  }

  it('cancels resting orders as CANCELED_MARKET_RESOLVED, announces the winner and refuses new orders', () => {
    const h = tradedMarket();
    const open = h.engine.submit(limit(ALICE, 'BUY', YES, '0.30', '10')).orderId;
    const events = h.engine.resolveMarket(CONDITION, YES);
    expect(ofType(events, 'order_cancelled')[0]).toMatchObject({
      reason: 'MARKET_RESOLVED',
      order: { id: open, status: 'CANCELED_MARKET_RESOLVED' },
    });
    expect(ofType(events, 'market_resolved')[0]).toMatchObject({
      market: CONDITION,
      tokenIds: [YES, NO],
      winningTokenId: YES,
      winningOutcome: 'Yes',
      winningOutcomeIndex: 0,
    });
    expect(h.engine.market(CONDITION)).toMatchObject({ closed: true, winningTokenId: YES });
    expect(h.engine.submit(limit(ALICE, 'BUY', YES, '0.30', '10')).errorMsg).toBe(
      `the orderbook ${YES} does not exist`,
    );
    expect(h.engine.bookFor(YES)).toBeUndefined();
    expect(h.engine.balance(ALICE).reserved).toBe(0);
  });

  it('pays 1 pUSD per winning share and nothing for losing ones, keeping the books balanced', () => {
    const h = tradedMarket();
    h.engine.resolveMarket(CONDITION, YES);
    expect(violations(h.engine)).toEqual([]);
    const alice = h.engine.redeem(ALICE, CONDITION);
    expect(alice).toMatchObject([{ type: 'positions_redeemed', burned: [m('10'), 0], payout: m('10') }]);
    expect(h.engine.balance(ALICE).balance).toBe(m('104'));
    const bob = h.engine.redeem(BOB, CONDITION);
    expect(bob).toMatchObject([{ type: 'positions_redeemed', burned: [0, m('10')], payout: 0 }]);
    expect(h.engine.balance(BOB).balance).toBe(m('96'));
    expect(h.engine.audit()).toMatchObject({ lockedCollateral: 0, markets: [{ supply: [0, 0] }] });
    expect(violations(h.engine)).toEqual([]);
  });

  it('a NO win pays the NO holders', () => {
    const h = tradedMarket();
    h.engine.resolveMarket(CONDITION, NO);
    h.engine.redeem(BOB, CONDITION);
    expect(h.engine.balance(BOB).balance).toBe(m('106'));
    expect(h.engine.audit().lockedCollateral).toBe(0);
    expect(() => h.engine.resolveMarket(CONDITION, YES)).toThrow(SimEngineError);
  });

  it('redeeming needs a resolved market, and resolving needs one of its tokens', () => {
    const h = tradedMarket();
    expect(() => h.engine.redeem(ALICE, CONDITION)).toThrow(/not resolved/);
    expect(() => h.engine.resolveMarket(CONDITION, '42')).toThrow(/not an outcome/);
  });
});

describe('closing and reopening', () => {
  it('setAcceptingOrders toggles with a market_updated event; closing cancels open orders', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    const open = h.engine.submit(limit(ALICE, 'BUY', YES, '0.30', '10')).orderId;
    expect(
      ofType(h.engine.setAcceptingOrders(CONDITION, false), 'market_updated')[0]!.market.acceptingOrders,
    ).toBe(false);
    expect(h.engine.setAcceptingOrders(CONDITION, false)).toEqual([]);
    h.engine.setAcceptingOrders(CONDITION, true);
    const events = h.engine.closeMarket(CONDITION);
    expect(ofType(events, 'order_cancelled').map((e) => [e.order.id, e.reason])).toEqual([
      [open, 'MARKET_CLOSED'],
    ]);
    expect(h.engine.market(CONDITION)!.closed).toBe(true);
  });
});

describe('accounts', () => {
  it('split and merge move pUSD and sets one for one', () => {
    const h = harness();
    h.engine.deposit(ALICE, m('10') as Usdc);
    expect(h.engine.split(ALICE, CONDITION, m('4') as Shares)).toMatchObject([
      { type: 'positions_split', address: ALICE, market: CONDITION, amount: m('4') },
    ]);
    expect([h.engine.balance(ALICE).balance, h.engine.position(ALICE, YES).balance]).toEqual([
      m('6'),
      m('4'),
    ]);
    h.engine.merge(ALICE, CONDITION, m('1.5') as Shares);
    expect([h.engine.balance(ALICE).balance, h.engine.position(ALICE, NO).balance]).toEqual([
      m('7.5'),
      m('2.5'),
    ]);
    expect(violations(h.engine)).toEqual([]);
  });

  it('refuse to spend what open orders hold, in the balance message format', () => {
    const h = harness();
    fund(h.engine, ALICE, '10', '10');
    h.engine.submit(limit(ALICE, 'BUY', YES, '0.5', '10'));
    h.engine.submit(limit(ALICE, 'SELL', NO, '0.9', '8'));
    expect(() => h.engine.withdraw(ALICE, m('5.01') as Usdc)).toThrow(
      'not enough balance / allowance: the balance is not enough -> balance: 5000000, order amount: 5010000',
    );
    expect(() => h.engine.merge(ALICE, CONDITION, m('3') as Shares)).toThrow(
      /balance: 2000000, order amount: 3000000/,
    );
    expect(() => h.engine.split(CAROL, CONDITION, m('1') as Shares)).toThrow(
      /balance: 0, order amount: 1000000/,
    );
    h.engine.withdraw(ALICE, m('5') as Usdc);
    expect(h.engine.audit().netDeposits).toBe(m('15'));
    expect(violations(h.engine)).toEqual([]);
  });

  it('addresses are case-insensitive', () => {
    const h = harness();
    h.engine.deposit(ALICE.toUpperCase().replace('0X', '0x'), m('3') as Usdc);
    expect(h.engine.balance(ALICE).balance).toBe(m('3'));
  });
});

describe('operations', () => {
  it('report what already happened even when they then refuse: an expiry before a failing split', () => {
    const h = harness();
    fund(h.engine, ALICE, '10');
    h.engine.submit(
      limit(ALICE, 'BUY', YES, '0.5', '10', { type: 'GTD', expiration: Math.floor(T0 / 1000) + 60 }),
    );
    h.events.length = 0;
    h.advance(60_000);
    expect(() => h.engine.split(ALICE, CONDITION, m('11') as Shares)).toThrow(SimEngineError);
    expect(ofType(h.events, 'order_cancelled').map((e) => e.reason)).toEqual(['EXPIRED']);
    expect(ofType(h.events, 'book_changed')).toHaveLength(1);
    expect(h.engine.balance(ALICE)).toEqual({ balance: m('10'), reserved: 0, available: m('10') });
  });

  it('let a listener call back into the engine once the operation is over', () => {
    const seen: (string | undefined)[] = [];
    const engine = new MatchingEngine({
      now: () => T0,
      newId: seededIds(1),
      onEvents: () => seen.push(engine.bookFor(YES)?.hash),
    });
    engine.registerMarket({
      conditionId: CONDITION,
      yesTokenId: YES,
      noTokenId: NO,
      tickSize: tickSize(10_000),
      minOrderSize: 0 as Shares,
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('markets', () => {
  it('register once, with distinct tokens, and report what they were given', () => {
    const h = harness();
    expect(() =>
      h.engine.registerMarket({
        conditionId: CONDITION,
        yesTokenId: '7',
        noTokenId: '8',
        tickSize: tickSize(10_000),
        minOrderSize: 0 as Shares,
      }),
    ).toThrow(/already registered/);
    expect(() =>
      h.engine.registerMarket({
        conditionId: '0x2',
        yesTokenId: YES,
        noTokenId: '8',
        tickSize: tickSize(10_000),
        minOrderSize: 0 as Shares,
      }),
    ).toThrow(/another market/);
    expect(h.engine.marketOfToken(NO)).toEqual({
      conditionId: CONDITION,
      tokenIds: [YES, NO],
      outcomes: ['Yes', 'No'],
      tickSize: 10_000,
      minOrderSize: m('5'),
      negRisk: false,
      feeRate: 0,
      acceptingOrders: true,
      matchDelayMs: 0,
      closed: false,
      winningTokenId: null,
    });
  });
});
