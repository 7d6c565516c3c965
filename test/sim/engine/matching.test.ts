import { describe, expect, it } from 'vitest';
import { type Micro, tickSize } from '../../../src/core/index.ts';
import type { MatchingEngine } from '../../../src/sim/engine/index.ts';
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
  ofType,
  violations,
  YES,
} from './helpers.ts';

const DAVE = '0xdddd000000000000000000000000000000000004';
const FEE = { feeRate: m('0.05') as Micro };

/** An address's holdings in micro-units: pUSD, reserved pUSD, YES, NO. */
function wallet(engine: MatchingEngine, address: string) {
  return {
    cash: engine.balance(address).balance,
    reserved: engine.balance(address).reserved,
    yes: engine.position(address, YES).balance,
    no: engine.position(address, NO).balance,
  };
}

function supply(engine: MatchingEngine): [number, number] {
  return engine.audit().markets[0]!.supply;
}

describe('settlement of the three match types, with exact balances', () => {
  it('COMPLEMENTARY: BUY YES takes a resting SELL YES at the maker price and pays the fee on top', () => {
    const h = harness(FEE);
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '0', '10');
    h.engine.submit(limit(BOB, 'SELL', YES, '0.60', '10'));
    const r = h.engine.submit(limit(ALICE, 'BUY', YES, '0.65', '10'));
    // 10 x 0.60 = 6.00, fee 10 x 0.05 x 0.6 x 0.4 = 0.12
    expect(r).toMatchObject({
      success: true,
      status: 'matched',
      makingAmount: m('6'),
      takingAmount: m('10'),
    });
    expect(r.fee).toBe(m('0.12'));
    expect(wallet(h.engine, ALICE)).toEqual({ cash: m('93.88'), reserved: 0, yes: m('10'), no: 0 });
    expect(wallet(h.engine, BOB)).toEqual({ cash: m('6'), reserved: 0, yes: 0, no: m('10') });
    expect(supply(h.engine)).toEqual([m('10'), m('10')]);
    expect(h.engine.audit().feesCollected).toBe(m('0.12'));
    const [trade] = ofType(r.events, 'trade');
    expect(trade!.trade.makers).toMatchObject([
      { matchType: 'COMPLEMENTARY', price: m('0.6'), shares: m('10'), usdc: m('6'), fee: 0 },
    ]);
    expect(violations(h.engine)).toEqual([]);
  });

  it('MINT: BUY YES against a resting BUY NO creates the sets; each pays its own price', () => {
    const h = harness(FEE);
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '100');
    h.engine.submit(limit(BOB, 'BUY', NO, '0.45', '10')); // a YES ask at 0.55
    expect(wallet(h.engine, BOB).reserved).toBe(m('4.5'));
    const r = h.engine.submit(limit(ALICE, 'BUY', YES, '0.60', '10'));
    // Alice pays 1 - 0.45 = 0.55 a share plus 10 x 0.05 x 0.55 x 0.45 = 0.12375; Bob pays 0.45.
    expect(r).toMatchObject({ makingAmount: m('5.5'), takingAmount: m('10'), fee: m('0.12375') });
    expect(wallet(h.engine, ALICE)).toEqual({ cash: m('94.37625'), reserved: 0, yes: m('10'), no: 0 });
    expect(wallet(h.engine, BOB)).toEqual({ cash: m('95.5'), reserved: 0, yes: 0, no: m('10') });
    expect(supply(h.engine)).toEqual([m('10'), m('10')]);
    expect(ofType(r.events, 'trade')[0]!.trade.makers[0]).toMatchObject({
      matchType: 'MINT',
      side: 'BUY',
      tokenId: NO,
      price: m('0.45'),
      usdc: m('4.5'),
      takerPrice: m('0.55'),
      takerUsdc: m('5.5'),
    });
    expect(violations(h.engine)).toEqual([]);
  });

  it('MERGE: SELL YES against a resting SELL NO burns the sets and pays out; the SELL fee comes off the proceeds', () => {
    const h = harness(FEE);
    fund(h.engine, ALICE, '0', '10');
    fund(h.engine, BOB, '0', '10');
    h.engine.submit(limit(BOB, 'SELL', NO, '0.45', '10')); // a YES bid at 0.55
    const r = h.engine.submit(limit(ALICE, 'SELL', YES, '0.50', '10'));
    // Alice gets 0.55 a share less the fee 0.12375; Bob gets 0.45.
    expect(r).toMatchObject({ makingAmount: m('10'), takingAmount: m('5.5'), fee: m('0.12375') });
    expect(wallet(h.engine, ALICE)).toEqual({ cash: m('5.37625'), reserved: 0, yes: 0, no: m('10') });
    expect(wallet(h.engine, BOB)).toEqual({ cash: m('4.5'), reserved: 0, yes: m('10'), no: 0 });
    expect(supply(h.engine)).toEqual([m('10'), m('10')]);
    expect(ofType(r.events, 'trade')[0]!.trade.makers[0]!.matchType).toBe('MERGE');
    expect(violations(h.engine)).toEqual([]);
  });

  it('MERGE that empties a market: supply falls to zero', () => {
    const h = harness();
    fund(h.engine, ALICE, '0', '10');
    h.engine.submit(limit(ALICE, 'SELL', NO, '0.3', '10'));
    h.engine.submit(limit(ALICE, 'SELL', YES, '0.7', '10'));
    expect(supply(h.engine)).toEqual([0, 0]);
    expect(wallet(h.engine, ALICE)).toEqual({ cash: m('10'), reserved: 0, yes: 0, no: 0 });
  });

  it('COMPLEMENTARY on NO: a NO BUY takes a resting NO SELL at its price', () => {
    const h = harness(FEE);
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '0', '10');
    h.engine.submit(limit(BOB, 'SELL', NO, '0.40', '10'));
    const r = h.engine.submit(limit(ALICE, 'BUY', NO, '0.45', '10'));
    expect(r).toMatchObject({ makingAmount: m('4'), takingAmount: m('10'), fee: m('0.12') });
    expect(wallet(h.engine, ALICE)).toEqual({ cash: m('95.88'), reserved: 0, yes: 0, no: m('10') });
    expect(wallet(h.engine, BOB)).toEqual({ cash: m('4'), reserved: 0, yes: m('10'), no: 0 });
  });

  it('a SELL NO taker crossing a resting BUY NO is a transfer at the maker price', () => {
    const h = harness();
    fund(h.engine, ALICE, '0', '10');
    fund(h.engine, BOB, '10');
    h.engine.submit(limit(BOB, 'BUY', NO, '0.35', '10'));
    const r = h.engine.submit(limit(ALICE, 'SELL', NO, '0.30', '10'));
    expect(r).toMatchObject({ makingAmount: m('10'), takingAmount: m('3.5') });
    expect(wallet(h.engine, ALICE)).toEqual({ cash: m('3.5'), reserved: 0, yes: m('10'), no: 0 });
    expect(wallet(h.engine, BOB)).toEqual({ cash: m('6.5'), reserved: 0, yes: 0, no: m('10') });
  });
});

describe('price-time priority on the one YES book', () => {
  it('fills the best price first, then oldest first, whether the resting order is YES or mirrored NO', () => {
    const h = harness();
    for (const who of [ALICE, BOB, CAROL, DAVE]) fund(h.engine, who, '100', '50');
    const bob = h.engine.submit(limit(BOB, 'SELL', YES, '0.55', '10')).orderId; // ask 0.55, first
    const carol = h.engine.submit(limit(CAROL, 'BUY', NO, '0.45', '10')).orderId; // ask 0.55, second
    const dave = h.engine.submit(limit(DAVE, 'SELL', YES, '0.55', '10')).orderId; // ask 0.55, third
    const carolBetter = h.engine.submit(limit(CAROL, 'BUY', NO, '0.46', '5')).orderId; // ask 0.54, last but best
    const r = h.engine.submit(limit(ALICE, 'BUY', YES, '0.55', '22'));
    const trade = ofType(r.events, 'trade')[0]!.trade;
    expect(trade.makers.map((f) => [f.orderId, f.matchType, f.price, f.shares])).toEqual([
      [carolBetter, 'MINT', m('0.46'), m('5')],
      [bob, 'COMPLEMENTARY', m('0.55'), m('10')],
      [carol, 'MINT', m('0.45'), m('7')],
    ]);
    expect(h.engine.order(carol)).toMatchObject({ status: 'LIVE', sizeMatched: m('7') });
    expect(h.engine.order(dave)).toMatchObject({ status: 'LIVE', sizeMatched: 0 });
    // Carol's order keeps its place: it is still ahead of Dave's at 0.55.
    const next = h.engine.submit(limit(ALICE, 'BUY', YES, '0.55', '5'));
    expect(ofType(next.events, 'trade')[0]!.trade.makers.map((f) => [f.orderId, f.shares])).toEqual([
      [carol, m('3')],
      [dave, m('2')],
    ]);
    // Alice paid 5 x 0.54 + 10 x 0.55 + 7 x 0.55 then 5 x 0.55.
    expect(wallet(h.engine, ALICE).cash).toBe(m('100') - m('2.7') - m('5.5') - m('3.85') - m('2.75'));
    expect(violations(h.engine)).toEqual([]);
  });

  it('executes at the maker price: a generous BUY pays the ask and gets its unused reservation back', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '0', '10');
    h.engine.submit(limit(BOB, 'SELL', YES, '0.30', '10'));
    const r = h.engine.submit(limit(ALICE, 'BUY', YES, '0.90', '10'));
    expect(r.makingAmount).toBe(m('3'));
    expect(wallet(h.engine, ALICE)).toEqual({ cash: m('97'), reserved: 0, yes: m('10'), no: 0 });
  });

  it('a resting BUY is the maker: a later SELL gets the BUY price, not its own', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '0', '10');
    h.engine.submit(limit(ALICE, 'BUY', YES, '0.70', '10'));
    const r = h.engine.submit(limit(BOB, 'SELL', YES, '0.10', '10'));
    expect(r.takingAmount).toBe(m('7'));
    expect(wallet(h.engine, BOB).cash).toBe(m('7'));
  });
});

describe('partial fills', () => {
  it('a GTC taker fills what crosses and rests the rest, holding exactly its remaining cost', () => {
    const h = harness(FEE);
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '0', '10');
    h.engine.submit(limit(BOB, 'SELL', YES, '0.55', '10'));
    const r = h.engine.submit(limit(ALICE, 'BUY', YES, '0.60', '15'));
    expect(r).toMatchObject({ status: 'matched', takingAmount: m('10'), makingAmount: m('5.5') });
    const placed = ofType(r.events, 'order_placed');
    expect(placed).toHaveLength(1);
    expect(placed[0]!.order).toMatchObject({ status: 'LIVE', originalSize: m('15'), sizeMatched: m('10') });
    // 5 left at 0.60 = 3.00 reserved; the fee on the fill (0.12375) is paid.
    expect(wallet(h.engine, ALICE)).toEqual({
      cash: m('100') - m('5.5') - m('0.12375'),
      reserved: m('3'),
      yes: m('10'),
      no: 0,
    });
    expect(h.engine.levelsFor(YES)).toEqual({ bids: [{ price: m('0.6'), size: m('5') }], asks: [] });
  });

  it('a partly filled maker keeps resting with its remaining size and reservation', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '0', '10');
    const maker = h.engine.submit(limit(BOB, 'SELL', YES, '0.55', '10')).orderId;
    h.engine.submit(limit(ALICE, 'BUY', YES, '0.55', '6'));
    expect(h.engine.order(maker)).toMatchObject({
      status: 'LIVE',
      sizeMatched: m('6'),
      matchedUsdc: m('3.3'),
    });
    expect(h.engine.position(BOB, YES)).toEqual({ balance: m('4'), reserved: m('4'), available: 0 });
    expect(h.engine.levelsFor(YES)!.asks).toEqual([{ price: m('0.55'), size: m('4') }]);
  });
});

describe('market orders (FOK/FAK) are sized in pUSD for BUY and shares for SELL', () => {
  it('a market BUY spends its dollars across levels and gets more shares at better prices', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '0', '50');
    h.engine.submit(limit(BOB, 'SELL', YES, '0.60', '10'));
    h.engine.submit(limit(BOB, 'SELL', YES, '0.50', '10'));
    const r = h.engine.submit(marketOrder(ALICE, 'BUY', YES, '8', '0.70', 'FAK'));
    // $5 buys 10 at 0.50, the other $3 buys 5 at 0.60: 15 shares, not 8 / 0.70.
    expect(r).toMatchObject({ status: 'matched', makingAmount: m('8'), takingAmount: m('15') });
    expect(wallet(h.engine, ALICE)).toEqual({ cash: m('92'), reserved: 0, yes: m('15'), no: 0 });
    expect(h.engine.levelsFor(YES)!.asks).toEqual([{ price: m('0.6'), size: m('5') }]);
  });

  it('buys whole 0.0001-share quanta and leaves the pUSD dust with the buyer; a FOK counts that as filled', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '0', '50');
    h.engine.submit(limit(BOB, 'SELL', YES, '0.57', '50'));
    const r = h.engine.submit(marketOrder(ALICE, 'BUY', YES, '7', '0.60', 'FOK'));
    // 7 / 0.57 = 12.2807017...: 12.2807 shares cost 6.999999.
    expect(r).toMatchObject({
      success: true,
      status: 'matched',
      takingAmount: 12_280_700,
      makingAmount: 6_999_999,
    });
    expect(wallet(h.engine, ALICE)).toEqual({
      cash: m('100') - 6_999_999,
      reserved: 0,
      yes: 12_280_700,
      no: 0,
    });
    expect(h.engine.order(r.orderId)).toMatchObject({
      status: 'MATCHED',
      sizeUnit: 'usdc',
      sizeMatched: 6_999_999,
    });
    expect(violations(h.engine)).toEqual([]);
  });

  it('a market SELL sells its shares down the bids, the fee coming off the proceeds', () => {
    const h = harness(FEE);
    fund(h.engine, ALICE, '0', '10');
    fund(h.engine, BOB, '100');
    h.engine.submit(limit(BOB, 'BUY', YES, '0.45', '5'));
    h.engine.submit(limit(BOB, 'BUY', YES, '0.50', '5'));
    const r = h.engine.submit(marketOrder(ALICE, 'SELL', YES, '10', '0.40', 'FOK'));
    // 5 x 0.50 + 5 x 0.45 = 4.75; fees 0.0625 + 0.06187 (truncated from 0.061875)
    expect(r).toMatchObject({ makingAmount: m('10'), takingAmount: m('4.75'), fee: m('0.12437') });
    expect(wallet(h.engine, ALICE)).toEqual({
      cash: m('4.75') - m('0.12437'),
      reserved: 0,
      yes: 0,
      no: m('10'),
    });
  });
});

describe('exact settlement', () => {
  it('after a tick change, a remainder that cannot settle exactly at a price is not matched there', () => {
    const h = harness();
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '100');
    fund(h.engine, CAROL, '0', '10');
    h.engine.submit(limit(CAROL, 'SELL', YES, '0.57', '10'));
    // $5 at 0.57 buys 8.7719 shares (whole 0.0001 quanta), leaving Carol 1.2281.
    expect(h.engine.submit(marketOrder(BOB, 'BUY', YES, '5', '0.57', 'FAK')).takingAmount).toBe(8_771_900);
    h.engine.setTickSize(CONDITION, tickSize(1_000));
    h.engine.submit(limit(BOB, 'BUY', NO, '0.425', '20')); // YES ask 0.575: fills must be multiples of 0.00004
    const r = h.engine.submit(limit(ALICE, 'BUY', YES, '0.58', '20'));
    const fills = ofType(r.events, 'trade')[0]!.trade.makers.map((f) => [
      f.price,
      f.shares,
      f.usdc,
      f.takerUsdc,
    ]);
    expect(fills).toEqual([
      [m('0.57'), 1_228_100, 700_017, 700_017],
      [m('0.425'), 18_771_880, 7_978_049, 10_793_831],
    ]);
    // 0.00002 share is left that no price on the book can settle exactly; it cannot rest across the book.
    expect(ofType(r.events, 'order_cancelled')[0]).toMatchObject({ reason: 'UNFILLABLE_REMAINDER' });
    expect(h.engine.order(r.orderId)).toMatchObject({ status: 'CANCELED', sizeMatched: m('20') - 20 });
    expect(violations(h.engine)).toEqual([]);
  });
});

describe('trade records carry what the chain layer needs', () => {
  it('OrderFilled amounts per maker order and for the taker, from each order point of view', () => {
    const h = harness(FEE);
    fund(h.engine, ALICE, '100');
    fund(h.engine, BOB, '100', '10');
    h.engine.submit(limit(BOB, 'SELL', YES, '0.40', '5'));
    h.engine.submit(limit(BOB, 'BUY', NO, '0.58', '5')); // YES ask 0.42
    const r = h.engine.submit(limit(ALICE, 'BUY', YES, '0.42', '10'));
    const trade = ofType(r.events, 'trade')[0]!.trade;
    expect(trade.market).toBe(CONDITION);
    expect(
      trade.makers.map((f) => [f.side, f.tokenId, f.makerAmountFilled, f.takerAmountFilled, f.fee]),
    ).toEqual([
      ['SELL', YES, m('5'), m('2'), 0],
      ['BUY', NO, m('2.9'), m('5'), 0],
    ]);
    // fees: 5 x 0.05 x 0.4 x 0.6 = 0.06 and 5 x 0.05 x 0.42 x 0.58 = 0.0609
    expect(trade.taker).toMatchObject({
      side: 'BUY',
      tokenId: YES,
      makerAmountFilled: m('4.1'),
      takerAmountFilled: m('10'),
      fee: m('0.1209'),
      feeRate: m('0.05'),
      limitPrice: m('0.42'),
    });
    expect(r.tradeIds).toEqual([trade.id]);
    expect(h.engine.order(r.orderId)!.tradeIds).toEqual([trade.id]);
  });
});
