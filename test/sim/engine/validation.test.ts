import { describe, expect, it } from 'vitest';
import { type Micro, tickSize } from '../../../src/core/index.ts';
import type { OrderRequest } from '../../../src/sim/engine/index.ts';
import {
  ALICE,
  BOB,
  CAROL,
  CONDITION,
  fund,
  harness,
  limit,
  m,
  marketOrder,
  NO,
  T0,
  YES,
} from './helpers.ts';

const seconds = (ms: number): number => Math.floor(ms / 1000);

/**
 * Each row: a name, an order against a fresh market (Alice 100 pUSD + 50 sets, Bob 100 pUSD + 20
 * sets and a SELL YES 10 @ 0.15 resting), the code and the exact message.
 */
const CASES: [string, (id: string) => OrderRequest, string, string][] = [
  [
    'zero maker amount',
    (id) => ({ ...limit(ALICE, 'BUY', YES, '0.5', '10', { id }), makerAmount: 0 as Micro }),
    'INVALID_ORDER_PAYLOAD',
    'Invalid order payload',
  ],
  [
    'unknown order type',
    (id) => ({ ...limit(ALICE, 'BUY', YES, '0.5', '10', { id }), orderType: 'IOC' as never }),
    'INVALID_ORDER_PAYLOAD',
    'Invalid order payload',
  ],
  [
    'no maker address',
    (id) => ({ ...limit(ALICE, 'BUY', YES, '0.5', '10', { id }), maker: '' }),
    'INVALID_ORDER_PAYLOAD',
    'Invalid order payload',
  ],
  [
    'unknown token',
    (id) => limit(ALICE, 'BUY', '999', '0.5', '10', { id }),
    'MARKET_NOT_FOUND',
    'the orderbook 999 does not exist',
  ],
  [
    'price of 1 or more',
    (id) => ({ ...limit(ALICE, 'BUY', YES, '0.5', '10', { id }), makerAmount: m('10') as Micro }),
    'INVALID_PRICE',
    'invalid price, price must be greater than 0 and less than 1',
  ],
  [
    'SELL asking nothing',
    (id) => ({ ...limit(ALICE, 'SELL', YES, '0.5', '10', { id }), takerAmount: m('20') as Micro }),
    'INVALID_PRICE',
    'invalid price, price must be greater than 0 and less than 1',
  ],
  [
    'price off the tick',
    (id) => limit(ALICE, 'BUY', YES, '0.505', '10', { id }),
    'INVALID_ORDER_MIN_TICK_SIZE',
    'order ID is invalid. Price (0.505) breaks minimum tick size rule: 0.01',
  ],
  [
    'amounts whose ratio is not a whole micro price',
    (id) => ({ ...limit(ALICE, 'BUY', YES, '0.5', '10', { id }), takerAmount: m('10.01') as Micro }),
    'INVALID_ORDER_MIN_TICK_SIZE',
    'order ID is invalid. Price (0.499500499500499) breaks minimum tick size rule: 0.01',
  ],
  [
    'limit size with 3 decimals',
    (id) => limit(ALICE, 'SELL', YES, '0.5', '10.005', { id }),
    'INVALID_AMOUNTS',
    'invalid amounts, the limit orders size supports a max accuracy of 2 decimals',
  ],
  [
    'market BUY spending fractions of a cent',
    (id) => ({
      ...marketOrder(ALICE, 'BUY', YES, '5', '0.5', 'FOK', { id }),
      makerAmount: m('5.001') as Micro,
    }),
    'INVALID_AMOUNTS',
    'invalid amounts, the market buy orders maker amount supports a max accuracy of 2 decimals, taker amount a max of 4 decimals',
  ],
  [
    'market BUY asking 5-decimal shares on a cent market',
    (id) => ({
      ...marketOrder(ALICE, 'BUY', YES, '5', '0.5', 'FAK', { id }),
      takerAmount: m('9.99999') as Micro,
    }),
    'INVALID_AMOUNTS',
    'invalid amounts, the market buy orders maker amount supports a max accuracy of 2 decimals, taker amount a max of 4 decimals',
  ],
  [
    'market SELL asking 5-decimal pUSD',
    (id) => ({
      ...marketOrder(ALICE, 'SELL', YES, '10', '0.5', 'FOK', { id }),
      takerAmount: m('4.99999') as Micro,
    }),
    'INVALID_AMOUNTS',
    'invalid amounts, the sell orders maker amount supports a max accuracy of 2 decimals, taker amount a max of 4 decimals',
  ],
  [
    'below the minimum size',
    (id) => limit(ALICE, 'BUY', YES, '0.5', '4.99', { id }),
    'INVALID_ORDER_MIN_SIZE',
    'order ID is invalid. Size (4.99) lower than the minimum: 5',
  ],
  [
    'market BUY whose shares at its limit are below the minimum',
    (id) => marketOrder(ALICE, 'BUY', YES, '2', '0.5', 'FOK', { id }),
    'INVALID_ORDER_MIN_SIZE',
    'order ID is invalid. Size (4) lower than the minimum: 5',
  ],
  [
    'marketable BUY under $1',
    (id) => limit(ALICE, 'BUY', YES, '0.15', '6', { id }),
    'INVALID_MARKETABLE_BUY_AMOUNT',
    'invalid amount for a marketable BUY order ($0.9), min size: $1',
  ],
  [
    'GTD expiring in under a minute',
    (id) => limit(ALICE, 'BUY', YES, '0.5', '10', { id, type: 'GTD', expiration: seconds(T0) + 59 }),
    'INVALID_ORDER_EXPIRATION',
    'invalid expiration',
  ],
  [
    'GTD without an expiration',
    (id) => limit(ALICE, 'BUY', YES, '0.5', '10', { id, type: 'GTD', expiration: 0 }),
    'INVALID_ORDER_EXPIRATION',
    'invalid expiration',
  ],
  [
    'post-only that would cross',
    (id) => limit(ALICE, 'BUY', YES, '0.15', '10', { id, postOnly: true }),
    'INVALID_POST_ONLY',
    'invalid post-only order: order crosses book',
  ],
  [
    'post-only NO SELL crossing the YES ask through the mirror',
    (id) => limit(ALICE, 'SELL', NO, '0.85', '10', { id, postOnly: true }),
    'INVALID_POST_ONLY',
    'invalid post-only order: order crosses book',
  ],
  [
    'post-only FOK',
    (id) => ({ ...marketOrder(ALICE, 'BUY', YES, '5', '0.5', 'FOK', { id }), postOnly: true }),
    'INVALID_POST_ONLY',
    'invalid post-only order: only GTC and GTD orders can be post-only',
  ],
  [
    'BUY beyond the pUSD balance',
    (id) => limit(ALICE, 'BUY', YES, '0.1', '1001', { id }),
    'INVALID_ORDER_NOT_ENOUGH_BALANCE',
    'not enough balance / allowance: the balance is not enough -> balance: 100000000, order amount: 100100000',
  ],
  [
    'SELL beyond the shares held',
    (id) => limit(ALICE, 'SELL', NO, '0.5', '50.01', { id }),
    'INVALID_ORDER_NOT_ENOUGH_BALANCE',
    'not enough balance / allowance: the balance is not enough -> balance: 50000000, order amount: 50010000',
  ],
  [
    'SELL of a token never held',
    (id) => limit(CAROL, 'SELL', NO, '0.5', '10', { id }),
    'INVALID_ORDER_NOT_ENOUGH_BALANCE',
    'not enough balance / allowance: the balance is not enough -> balance: 0, order amount: 10000000',
  ],
];

function setup() {
  const h = harness();
  fund(h.engine, ALICE, '100', '50');
  fund(h.engine, BOB, '100', '20');
  h.engine.submit(limit(BOB, 'SELL', YES, '0.15', '10'));
  h.events.length = 0;
  return h;
}

describe('order validation: each refusal in the CLOB words', () => {
  it.each(CASES)('%s', (_name, build, code, message) => {
    const h = setup();
    const before = [h.engine.balance(ALICE), h.engine.position(ALICE, YES), h.engine.bookFor(YES)];
    const id = `0x${'ab'.repeat(32)}`;
    const r = h.engine.submit(build(id));
    expect(r).toMatchObject({ success: false, status: null, errorCode: code, orderId: id, tradeIds: [] });
    expect(r.errorMsg).toBe(message.replace('order ID', `order ${id}`));
    // A refused order changes nothing and says nothing.
    expect(r.events).toEqual([]);
    expect([h.engine.balance(ALICE), h.engine.position(ALICE, YES), h.engine.bookFor(YES)]).toEqual(before);
    expect(h.engine.order(id)).toBeUndefined();
  });

  it('accepts the boundary cases of the same rules', () => {
    const h = setup();
    const ok = (o: OrderRequest) => expect(h.engine.submit(o).errorMsg).toBe('');
    ok(limit(ALICE, 'BUY', YES, '0.01', '5')); // lowest price, minimum size
    ok(limit(ALICE, 'SELL', YES, '0.99', '5')); // highest price
    ok(limit(ALICE, 'BUY', YES, '0.15', '6.67')); // marketable at $1.0005
    ok(limit(ALICE, 'BUY', YES, '0.1', '10', { type: 'GTD', expiration: seconds(T0) + 60 }));
    ok(limit(ALICE, 'BUY', YES, '0.1', '10', { postOnly: true }));
  });

  it('a second order with the same hash is a duplicate, even after the first was killed', () => {
    const h = setup();
    const id = `0x${'cd'.repeat(32)}`;
    expect(h.engine.submit(marketOrder(ALICE, 'BUY', YES, '50', '0.2', 'FOK', { id })).errorCode).toBe(
      'FOK_ORDER_NOT_FILLED_ERROR',
    );
    const again = h.engine.submit(limit(ALICE, 'BUY', YES, '0.1', '10', { id }));
    expect(again.errorMsg).toBe(`order ${id} is invalid. Duplicated.`);
    expect(again.errorCode).toBe('INVALID_ORDER_DUPLICATED');
  });

  it('counts open orders against the balance, and the maximum taker fee with them', () => {
    const h = harness({ feeRate: m('0.05') as Micro });
    fund(h.engine, ALICE, '10');
    expect(h.engine.submit(limit(ALICE, 'BUY', YES, '0.5', '10')).success).toBe(true); // rests, holds 5
    // 10 shares at up to 0.5: 5 pUSD + at most 10 x 0.05 x 0.25 = 0.125 of fees.
    const r = h.engine.submit(limit(ALICE, 'BUY', YES, '0.5', '10'));
    expect(r.errorMsg).toBe(
      'not enough balance / allowance: the balance is not enough -> balance: 5000000, order amount: 5125000',
    );
  });

  it('refuses orders on a market not accepting them, or closed', () => {
    const h = setup();
    h.engine.setAcceptingOrders(CONDITION, false);
    expect(h.engine.submit(limit(ALICE, 'BUY', YES, '0.5', '10')).errorMsg).toBe(
      'the market is not yet ready to process new orders',
    );
    h.engine.closeMarket(CONDITION);
    expect(h.engine.submit(limit(ALICE, 'BUY', NO, '0.5', '10')).errorMsg).toBe(
      `the orderbook ${NO} does not exist`,
    );
  });

  it('checks the tick and amount precision against the current tick size', () => {
    const h = harness({ tickSize: tickSize(1_000) });
    fund(h.engine, ALICE, '100');
    expect(h.engine.submit(limit(ALICE, 'BUY', YES, '0.505', '10')).success).toBe(true);
    // 0.001 tick: market orders may ask 5-decimal amounts, not 6.
    const five = { ...marketOrder(ALICE, 'BUY', YES, '5', '0.5', 'FAK'), takerAmount: m('9.99999') as Micro };
    expect(h.engine.submit(five).errorCode).toBe('FAK_ORDER_NOT_FILLED_ERROR');
    const six = { ...marketOrder(ALICE, 'BUY', YES, '5', '0.5', 'FAK'), takerAmount: 9_999_999 as Micro };
    expect(h.engine.submit(six).errorMsg).toBe(
      'invalid amounts, the market buy orders maker amount supports a max accuracy of 2 decimals, taker amount a max of 5 decimals',
    );
  });

  it('ignores a fund check for size units it does not need (SELL of shares reserves no pUSD)', () => {
    const h = harness();
    fund(h.engine, ALICE, '0', '10');
    expect(h.engine.submit(limit(ALICE, 'SELL', YES, '0.9', '10')).success).toBe(true);
    expect(h.engine.balance(ALICE).reserved).toBe(0);
    expect(h.engine.position(ALICE, YES)).toEqual({ balance: m('10'), reserved: m('10'), available: 0 });
  });

  it('takes shares in micro-units as given (no hidden rounding of sizes)', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    const r = h.engine.submit(limit(ALICE, 'BUY', YES, '0.37', '12.34'));
    expect(r.success).toBe(true);
    expect(h.engine.order(r.orderId)).toMatchObject({ originalSize: 12_340_000, price: 370_000 });
    expect(h.engine.balance(ALICE).reserved).toBe(4_565_800);
  });
});
