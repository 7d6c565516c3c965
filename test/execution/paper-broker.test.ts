/**
 * The paper broker: what an order gets from a book, as tables of cases and as properties over
 * arbitrary books and orders. Fees are checked against the venue formula written out here again
 * (shares x rate x p(1 - p), truncated to 5 decimals, per fill).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MICRO, type Price, type Shares } from '../../src/core/money.ts';
import {
  executePaper,
  matchResting,
  type PaperBook,
  type PaperOrder,
  type PaperOrderType,
} from '../../src/execution/paper-broker.ts';
import type { Level } from '../../src/market-data/book/index.ts';

const RATE = 70_000; // 0.07
const px = (dollars: number) => Math.round(dollars * MICRO) as Price;
const sh = (n: number) => Math.round(n * MICRO) as Shares;
const level = (p: number, s: number): Level => ({ price: px(p), size: sh(s) });

/** The venue's taker fee, independently: floor(size x rate x p x (1 - p) / 1e18) to a multiple of 10. */
function expectedFee(size: number, p: number, rate: number): number {
  const raw = (BigInt(size) * BigInt(rate) * BigInt(p) * BigInt(MICRO - p)) / BigInt(MICRO) ** 3n;
  return Number(raw - (raw % 10n));
}

// asks 0.40 x 10, 0.42 x 10, 0.45 x 20; bids 0.38 x 10, 0.36 x 10.
const BOOK: PaperBook = {
  asks: [level(0.4, 10), level(0.42, 10), level(0.45, 20)],
  bids: [level(0.38, 10), level(0.36, 10)],
};

const order = (side: 'BUY' | 'SELL', size: number, limit: number, orderType: PaperOrderType): PaperOrder => ({
  side,
  size: sh(size),
  limitPrice: px(limit),
  orderType,
});

/** [price, shares] of each fill, in dollars and shares. */
const fillsOf = (fills: readonly { price: number; shares: number }[]) =>
  fills.map((f) => [f.price / MICRO, f.shares / MICRO]);

describe('executePaper against a book', () => {
  it.each([
    // name, order, status, fills [price, shares], filled, resting
    [
      'FOK BUY within depth fills all',
      order('BUY', 15, 0.42, 'FOK'),
      'FILLED',
      [
        [0.4, 10],
        [0.42, 5],
      ],
      15,
      0,
    ],
    [
      'FOK BUY beyond depth within the limit is killed whole',
      order('BUY', 25, 0.42, 'FOK'),
      'CANCELLED',
      [],
      0,
      0,
    ],
    ['FOK BUY with nothing at the limit is killed', order('BUY', 5, 0.39, 'FOK'), 'CANCELLED', [], 0, 0],
    [
      'FAK BUY takes what is within the limit, cancels the rest',
      order('BUY', 25, 0.42, 'FAK'),
      'PARTIAL',
      [
        [0.4, 10],
        [0.42, 10],
      ],
      20,
      0,
    ],
    [
      'FAK BUY with nothing within the limit is cancelled',
      order('BUY', 5, 0.39, 'FAK'),
      'CANCELLED',
      [],
      0,
      0,
    ],
    [
      'FAK BUY within depth fills all',
      order('BUY', 12, 0.45, 'FAK'),
      'FILLED',
      [
        [0.4, 10],
        [0.42, 2],
      ],
      12,
      0,
    ],
    [
      'GTC BUY takes what crosses and rests the rest',
      order('BUY', 25, 0.42, 'GTC'),
      'PARTIAL',
      [
        [0.4, 10],
        [0.42, 10],
      ],
      20,
      5,
    ],
    ['GTC BUY below the ask rests whole', order('BUY', 10, 0.39, 'GTC'), 'LIVE', [], 0, 10],
    [
      'GTC BUY within depth fills and rests nothing',
      order('BUY', 10, 0.4, 'GTC'),
      'FILLED',
      [[0.4, 10]],
      10,
      0,
    ],
    [
      'FOK SELL walks the bids down to the limit',
      order('SELL', 15, 0.36, 'FOK'),
      'FILLED',
      [
        [0.38, 10],
        [0.36, 5],
      ],
      15,
      0,
    ],
    ['FAK SELL stops at the limit', order('SELL', 30, 0.37, 'FAK'), 'PARTIAL', [[0.38, 10]], 10, 0],
    ['FOK SELL above the best bid is killed', order('SELL', 1, 0.39, 'FOK'), 'CANCELLED', [], 0, 0],
    [
      'GTC SELL takes the bids it crosses and rests the rest',
      order('SELL', 25, 0.36, 'GTC'),
      'PARTIAL',
      [
        [0.38, 10],
        [0.36, 10],
      ],
      20,
      5,
    ],
  ] as const)('%s', (_name, o, status, fills, filled, resting) => {
    const r = executePaper(o, BOOK, RATE, px(0.5));
    expect(r.status).toBe(status);
    expect(fillsOf(r.fills)).toEqual(fills);
    expect(r.filledShares).toBe(sh(filled));
    expect(r.restingShares).toBe(sh(resting));
    // A book exists, so the leader's price is never used.
    for (const f of r.fills) expect(f.priceSource).toBe('book');
    expect(r.note === null).toBe(status === 'FILLED');
  });

  it('never takes a level past the limit, even when the book is deep beyond it', () => {
    const deep: PaperBook = { asks: [level(0.5, 1), level(0.51, 1_000)], bids: [] };
    const r = executePaper(order('BUY', 100, 0.5, 'FAK'), deep, RATE, null);
    expect(fillsOf(r.fills)).toEqual([[0.5, 1]]);
    expect(r.status).toBe('PARTIAL');
  });

  it('an empty side is a book, not "no book": nothing fills and the leader price is not used', () => {
    const oneSided: PaperBook = { asks: [], bids: [level(0.3, 10)] };
    for (const t of ['FOK', 'FAK'] as const) {
      const r = executePaper(order('BUY', 5, 0.9, t), oneSided, RATE, px(0.4));
      expect(r).toMatchObject({ status: 'CANCELLED', fills: [], filledShares: 0 });
    }
    expect(executePaper(order('BUY', 5, 0.9, 'GTC'), oneSided, RATE, px(0.4))).toMatchObject({
      status: 'LIVE',
      fills: [],
      restingShares: sh(5),
    });
  });
});

describe('taker fees', () => {
  it('are shares x rate x p(1 - p), truncated to 5 decimals on each fill', () => {
    // 7.77 @ 0.41: 0.131569... -> 0.13156; 3.33 @ 0.43: 0.0571328... -> 0.05713.
    const book: PaperBook = { asks: [level(0.41, 7.77), level(0.43, 100)], bids: [] };
    const r = executePaper(order('BUY', 11.1, 0.43, 'FOK'), book, RATE, null);
    expect(r.fills.map((f) => f.fee)).toEqual([131_560, 57_130]);
    // Truncating the total instead would give 188_700: the fee is per fill.
    expect(r.fills.reduce((s, f) => s + f.fee, 0)).toBe(188_690);
  });

  it.each([
    [0.4, 10, 168_000],
    [0.42, 5, 85_260],
    [0.5, 1, 17_500],
    [0.99, 3, 2_070], // 0.002079 -> 0.00207
    [0.01, 0.01, 0], // 0.00000069 truncates to nothing
  ])('at %s for %s shares: %i micro-USDC', (p, s, fee) => {
    const book: PaperBook = { asks: [level(p, s)], bids: [level(p, s)] };
    for (const side of ['BUY', 'SELL'] as const) {
      const r = executePaper(order(side, s, p, 'FOK'), book, RATE, null);
      expect(r.fills).toHaveLength(1);
      expect(r.fills[0]!.fee).toBe(fee);
      expect(fee).toBe(expectedFee(sh(s), px(p), RATE));
    }
  });

  it('are zero when the market charges none', () => {
    const r = executePaper(order('BUY', 15, 0.45, 'FOK'), BOOK, 0, null);
    expect(r.fills.map((f) => f.fee)).toEqual([0, 0]);
  });
});

describe('no book at all: the leader’s price as a fallback', () => {
  it.each([
    ['BUY at the leader’s price within the limit', order('BUY', 10, 0.42, 'FOK'), 0.4, true],
    ['BUY at exactly the limit', order('BUY', 10, 0.42, 'FAK'), 0.42, true],
    ['BUY beyond the limit is refused', order('BUY', 10, 0.42, 'FOK'), 0.43, false],
    ['GTC BUY beyond the limit is refused, not rested', order('BUY', 10, 0.42, 'GTC'), 0.43, false],
    ['SELL at the leader’s price above the limit', order('SELL', 10, 0.36, 'FAK'), 0.37, true],
    ['SELL below the limit is refused', order('SELL', 10, 0.36, 'FOK'), 0.35, false],
  ] as const)('%s', (_name, o, leader, fills) => {
    const r = executePaper(o, null, RATE, px(leader));
    if (!fills) {
      expect(r).toMatchObject({ status: 'CANCELLED', fills: [], filledShares: 0, restingShares: 0 });
      expect(r.note).toMatch(/beyond the limit/);
      return;
    }
    expect(r.status).toBe('FILLED');
    expect(r.fills).toEqual([
      {
        price: px(leader),
        shares: o.size,
        fee: expectedFee(o.size, px(leader), RATE),
        priceSource: 'leader_fallback',
      },
    ]);
    expect(r.note).toMatch(/leader’s price/);
  });

  it('without a leader price nothing fills', () => {
    expect(executePaper(order('BUY', 10, 0.5, 'FOK'), null, RATE, null)).toMatchObject({
      status: 'CANCELLED',
      fills: [],
      note: 'no order book and no leader price',
    });
  });
});

describe('matchResting: a resting GTC against a later book', () => {
  it('fills at its own limit, without a fee, as far as the book crosses it', () => {
    const book: PaperBook = { asks: [level(0.39, 4), level(0.4, 3), level(0.41, 100)], bids: [] };
    expect(matchResting('BUY', sh(10), px(0.4), book)).toEqual({
      price: px(0.4),
      shares: sh(7),
      fee: 0,
      priceSource: 'book',
    });
    expect(matchResting('BUY', sh(5), px(0.4), book)?.shares).toBe(sh(5));
  });

  it('a SELL fills against bids at or above its limit', () => {
    const book: PaperBook = { asks: [], bids: [level(0.42, 2), level(0.4, 20), level(0.39, 50)] };
    expect(matchResting('SELL', sh(30), px(0.4), book)).toMatchObject({ price: px(0.4), shares: sh(22) });
  });

  it('nothing crosses: no fill', () => {
    const book: PaperBook = { asks: [level(0.41, 100)], bids: [level(0.45, 100)] };
    expect(matchResting('BUY', sh(10), px(0.4), book)).toBeNull();
    expect(matchResting('SELL', sh(10), px(0.46), book)).toBeNull();
    expect(matchResting('BUY', sh(10), px(0.4), { asks: [], bids: [] })).toBeNull();
  });
});

// --- properties ------------------------------------------------------------------------------------

const RUNS = { numRuns: 500 };
const priceArb = fc.integer({ min: 1, max: MICRO - 1 });
const sizeArb = fc.integer({ min: 1, max: 5_000 * MICRO });

/** Best-first levels: distinct prices, ascending for asks and descending for bids. */
const levelsArb = (side: 'ask' | 'bid') =>
  fc
    .uniqueArray(fc.tuple(priceArb, sizeArb), { maxLength: 8, selector: ([p]) => p })
    .map((ls) =>
      ls
        .map(([p, s]) => ({ price: p as Price, size: s as Shares }))
        .sort((a, b) => (side === 'ask' ? a.price - b.price : b.price - a.price)),
    );

const bookArb: fc.Arbitrary<PaperBook> = fc.record({ asks: levelsArb('ask'), bids: levelsArb('bid') });

const orderArb: fc.Arbitrary<PaperOrder> = fc.record({
  side: fc.constantFrom('BUY' as const, 'SELL' as const),
  size: sizeArb.map((n) => n as Shares),
  limitPrice: priceArb.map((n) => n as Price),
  orderType: fc.constantFrom('FOK' as const, 'FAK' as const, 'GTC' as const),
});

const rateArb = fc.constantFrom(0, 40_000, 50_000, 70_000, 250_000);

const within = (o: PaperOrder, p: number) => (o.side === 'BUY' ? p <= o.limitPrice : p >= o.limitPrice);

describe('properties', () => {
  it('never fills beyond the limit or the size; filled + resting <= size; per-fill fees are exact', () => {
    fc.assert(
      fc.property(orderArb, bookArb, rateArb, (o, book, rate) => {
        const r = executePaper(o, book, rate, null);
        const sum = r.fills.reduce((s, f) => s + f.shares, 0);
        expect(sum).toBe(r.filledShares);
        expect(r.filledShares).toBeLessThanOrEqual(o.size);
        expect(r.filledShares + r.restingShares).toBeLessThanOrEqual(o.size);
        for (const f of r.fills) {
          expect(within(o, f.price)).toBe(true);
          expect(f.shares).toBeGreaterThan(0);
          expect(f.fee).toBe(expectedFee(f.shares, f.price, rate));
          expect(f.priceSource).toBe('book');
        }
        // No fill takes more than its level holds.
        const levels = o.side === 'BUY' ? book.asks : book.bids;
        for (const f of r.fills) {
          expect(f.shares).toBeLessThanOrEqual(levels.find((l) => l.price === f.price)!.size);
        }
        if (o.orderType === 'FOK') expect([0, o.size]).toContain(r.filledShares);
        if (o.orderType === 'GTC') expect(r.filledShares + r.restingShares).toBe(o.size);
        else expect(r.restingShares).toBe(0);
        const expected =
          r.filledShares === o.size
            ? 'FILLED'
            : o.orderType === 'GTC'
              ? r.filledShares > 0
                ? 'PARTIAL'
                : 'LIVE'
              : r.filledShares > 0
                ? 'PARTIAL'
                : 'CANCELLED';
        expect(r.status).toBe(expected);
      }),
      RUNS,
    );
  });

  it('takes everything within the limit before giving up (FAK/GTC) or killing (FOK)', () => {
    fc.assert(
      fc.property(orderArb, bookArb, (o, book) => {
        const r = executePaper(o, book, 0, null);
        const levels = o.side === 'BUY' ? book.asks : book.bids;
        const available = levels.filter((l) => within(o, l.price)).reduce((s, l) => s + l.size, 0);
        const takeable = Math.min(available, o.size);
        if (o.orderType === 'FOK') expect(r.filledShares).toBe(available >= o.size ? o.size : 0);
        else expect(r.filledShares).toBe(takeable);
      }),
      RUNS,
    );
  });

  it('without a book, fills all at the leader’s price within the limit, or nothing', () => {
    fc.assert(
      fc.property(orderArb, fc.option(priceArb, { nil: null }), rateArb, (o, leader, rate) => {
        const r = executePaper(o, null, rate, leader as Price | null);
        expect(r.restingShares).toBe(0);
        if (leader !== null && within(o, leader)) {
          expect(r.status).toBe('FILLED');
          expect(r.fills).toEqual([
            {
              price: leader,
              shares: o.size,
              fee: expectedFee(o.size, leader, rate),
              priceSource: 'leader_fallback',
            },
          ]);
        } else {
          expect(r).toMatchObject({ status: 'CANCELLED', fills: [], filledShares: 0 });
        }
      }),
      RUNS,
    );
  });

  it('a resting order fills at its limit, at most what remains and what crosses', () => {
    fc.assert(
      fc.property(orderArb, bookArb, (o, book) => {
        const f = matchResting(o.side, o.size, o.limitPrice, book);
        const levels = o.side === 'BUY' ? book.asks : book.bids;
        const crossed = levels.filter((l) => within(o, l.price)).reduce((s, l) => s + l.size, 0);
        if (crossed === 0) {
          expect(f).toBeNull();
          return;
        }
        expect(f).toEqual({
          price: o.limitPrice,
          shares: Math.min(crossed, o.size),
          fee: 0,
          priceSource: 'book',
        });
      }),
      RUNS,
    );
  });
});
