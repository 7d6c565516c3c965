import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.ts';
import type { Price, Shares } from '../../src/core/money.ts';
import { type BookSide, type Level, OrderBook } from '../../src/market-data/index.ts';

const p = (n: number) => n as Price;
const s = (n: number) => n as Shares;
const lv = (price: number, size: number): Level => ({ price: p(price), size: s(size) });

/** Bids 0.40 x10, 0.42 x15; asks 0.55 x20, 0.60 x12 (wire order: best last). */
function sample(): OrderBook {
  const book = new OrderBook('t1');
  book.replace(
    [lv(400_000, 10_000_000), lv(420_000, 15_000_000)],
    [lv(600_000, 12_000_000), lv(550_000, 20_000_000)],
  );
  return book;
}

describe('OrderBook', () => {
  it('reads top of book, mid, spread and best-first levels from a wire-ordered snapshot', () => {
    const book = sample();
    expect(book.bestBid()).toEqual(lv(420_000, 15_000_000));
    expect(book.bestAsk()).toEqual(lv(550_000, 20_000_000));
    expect(book.mid()).toBe(485_000);
    expect(book.spread()).toBe(130_000);
    expect(book.levels('bid')).toEqual([lv(420_000, 15_000_000), lv(400_000, 10_000_000)]);
    expect(book.levels('ask')).toEqual([lv(550_000, 20_000_000), lv(600_000, 12_000_000)]);
    expect(book.levelAt('ask', 1)).toEqual(lv(600_000, 12_000_000));
    expect(book.levelAt('ask', 2)).toBeUndefined();
    expect(book.levelCount('bid')).toBe(2);
  });

  it('sorts a snapshot that is not in wire order, drops empty levels and refuses repeated prices', () => {
    const book = new OrderBook('t');
    book.replace([lv(420_000, 1), lv(100_000, 0), lv(400_000, 2)], [lv(550_000, 3), lv(600_000, 4)]);
    expect(book.levels('bid').map((l) => l.price)).toEqual([420_000, 400_000]);
    expect(book.levels('ask').map((l) => l.price)).toEqual([550_000, 600_000]);
    const before = book.version;
    expect(() => book.replace([lv(1, 1), lv(1, 2)], [])).toThrow(ValidationError);
    expect(() => book.replace([lv(1, -1)], [])).toThrow(ValidationError);
    // A refused snapshot leaves the book as it was.
    expect(book.version).toBe(before);
    expect(book.levelCount('bid')).toBe(2);
  });

  it.each([
    ['adds a better bid', 'bid', 430_000, 5, [430_000, 420_000, 400_000]],
    ['adds a worse bid', 'bid', 300_000, 5, [420_000, 400_000, 300_000]],
    ['adds a bid in between', 'bid', 410_000, 5, [420_000, 410_000, 400_000]],
    ['removes the best bid', 'bid', 420_000, 0, [400_000]],
    ['removes an absent level (no change)', 'bid', 10_000, 0, [420_000, 400_000]],
    ['adds a better ask', 'ask', 540_000, 5, [540_000, 550_000, 600_000]],
    ['adds a worse ask', 'ask', 700_000, 5, [550_000, 600_000, 700_000]],
    ['removes the worst ask', 'ask', 600_000, 0, [550_000]],
  ] as const)('setLevel %s', (_name, side, price, size, prices) => {
    const book = sample();
    book.setLevel(side as BookSide, p(price), s(size));
    expect(book.levels(side).map((l) => l.price)).toEqual(prices);
  });

  it('sets a level to its new aggregate size (not a delta)', () => {
    const book = sample();
    book.setLevel('ask', p(550_000), s(7_000_000));
    expect(book.sizeAt('ask', p(550_000))).toBe(7_000_000);
    expect(book.sizeAt('ask', p(551_000))).toBe(0);
  });

  it('gives depth within a limit and null top/mid/spread for empty sides', () => {
    const book = sample();
    expect(book.depth('bid')).toBe(25_000_000);
    expect(book.depth('bid', p(410_000))).toBe(15_000_000);
    expect(book.depth('ask', p(550_000))).toBe(20_000_000);
    expect(book.depth('ask', p(500_000))).toBe(0);
    book.replace([lv(400_000, 1)], []);
    expect(book.bestAsk()).toBeNull();
    expect(book.mid()).toBeNull();
    expect(book.spread()).toBeNull();
  });

  it('rounds the mid to the nearest micro, ties to even', () => {
    const book = new OrderBook('t');
    book.replace([lv(1, 1)], [lv(2, 1)]);
    expect(book.mid()).toBe(2); // 1.5 -> 2
    book.replace([lv(2, 1)], [lv(3, 1)]);
    expect(book.mid()).toBe(2); // 2.5 -> 2
  });

  it('caches best-first levels until that side changes', () => {
    const book = sample();
    const asks = book.levels('ask');
    book.setLevel('bid', p(100_000), s(1));
    expect(book.levels('ask')).toBe(asks);
    book.setLevel('ask', p(560_000), s(1));
    expect(book.levels('ask')).not.toBe(asks);
  });

  it('matches a plain map model under any sequence of level changes (property)', () => {
    const change = fc.record({
      side: fc.constantFrom<BookSide>('bid', 'ask'),
      price: fc.integer({ min: 0, max: 100 }).map((t) => t * 10_000),
      size: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000_000_000 })),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 200 }), (changes) => {
        const book = new OrderBook('t');
        const model = { bid: new Map<number, number>(), ask: new Map<number, number>() };
        for (const c of changes) {
          book.setLevel(c.side, p(c.price), s(c.size));
          if (c.size === 0) model[c.side].delete(c.price);
          else model[c.side].set(c.price, c.size);
        }
        for (const side of ['bid', 'ask'] as const) {
          const expected = [...model[side].entries()]
            .sort((a, b) => (side === 'bid' ? b[0] - a[0] : a[0] - b[0]))
            .map(([price, size]) => lv(price, size));
          expect(book.levels(side)).toEqual(expected);
          expect(book.depth(side)).toBe(expected.reduce((t, l) => t + l.size, 0));
        }
      }),
      { numRuns: 300 },
    );
  });
});
