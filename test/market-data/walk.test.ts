import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoneyError } from '../../src/core/errors.ts';
import { MICRO, type Price, type Shares, type Usdc } from '../../src/core/money.ts';
import {
  depthWithin,
  type Level,
  OrderBook,
  type TakerSide,
  type WalkTarget,
  walkBook,
  walkOrderBook,
} from '../../src/market-data/index.ts';

const p = (n: number) => n as Price;
const sh = (n: number) => n as Shares;
const usd = (n: number) => n as Usdc;
const lv = (price: number, size: number): Level => ({ price: p(price), size: sh(size) });

/** Asks best first: 0.50 x10, 0.52 x5, 0.60 x20. */
const ASKS = [lv(500_000, 10_000_000), lv(520_000, 5_000_000), lv(600_000, 20_000_000)];
/** Bids best first: 0.48 x10, 0.45 x5, 0.30 x100. */
const BIDS = [lv(480_000, 10_000_000), lv(450_000, 5_000_000), lv(300_000, 100_000_000)];

describe('walkBook (table)', () => {
  it.each([
    {
      name: 'BUY 12 shares up to 0.55 crosses two levels',
      book: ASKS,
      side: 'BUY',
      target: { shares: sh(12_000_000) },
      limit: 550_000,
      filled: 12_000_000,
      cost: 6_040_000,
      avg: 503_334, // 6.04 / 12 = 0.5033333.., rounded up for a buy
      worst: 520_000,
      used: 2,
      complete: true,
    },
    {
      name: 'BUY 100 shares stopped by the limit',
      book: ASKS,
      side: 'BUY',
      target: { shares: sh(100_000_000) },
      limit: 520_000,
      filled: 15_000_000,
      cost: 7_600_000,
      avg: 506_667,
      worst: 520_000,
      used: 2,
      complete: false,
    },
    {
      name: 'BUY 100 shares runs the book out',
      book: ASKS,
      side: 'BUY',
      target: { shares: sh(100_000_000) },
      limit: 990_000,
      filled: 35_000_000,
      cost: 19_600_000,
      avg: 560_000,
      worst: 600_000,
      used: 3,
      complete: false,
    },
    {
      name: 'BUY $1 spends exactly the budget at one level',
      book: ASKS,
      side: 'BUY',
      target: { usdc: usd(1_000_000) },
      limit: 990_000,
      filled: 2_000_000,
      cost: 1_000_000,
      avg: 500_000,
      worst: 500_000,
      used: 1,
      complete: true,
    },
    {
      name: 'BUY $6 takes all of 0.50 then part of 0.52',
      book: ASKS,
      side: 'BUY',
      target: { usdc: usd(6_000_000) },
      limit: 990_000,
      filled: 11_923_076,
      cost: 6_000_000,
      avg: 503_226,
      worst: 520_000,
      used: 2,
      complete: true,
    },
    {
      name: 'BUY with a limit below the best ask takes nothing',
      book: ASKS,
      side: 'BUY',
      target: { shares: sh(1_000_000) },
      limit: 490_000,
      filled: 0,
      cost: 0,
      avg: null,
      worst: null,
      used: 0,
      complete: false,
    },
    {
      name: 'SELL 12 shares down to 0.40',
      book: BIDS,
      side: 'SELL',
      target: { shares: sh(12_000_000) },
      limit: 400_000,
      filled: 12_000_000,
      cost: 5_700_000,
      avg: 475_000,
      worst: 450_000,
      used: 2,
      complete: true,
    },
    {
      name: 'SELL to raise $5 sells the fewest shares that do',
      book: BIDS,
      side: 'SELL',
      target: { usdc: usd(5_000_000) },
      limit: 10_000,
      filled: 10_444_445,
      cost: 5_000_000,
      avg: 478_723,
      worst: 450_000,
      used: 2,
      complete: true,
    },
    {
      name: 'SELL with both targets stops at the first reached (shares)',
      book: BIDS,
      side: 'SELL',
      target: { shares: sh(3_000_000), usdc: usd(100_000_000) },
      limit: 10_000,
      filled: 3_000_000,
      cost: 1_440_000,
      avg: 480_000,
      worst: 480_000,
      used: 1,
      complete: true,
    },
    {
      name: 'zero target is complete with nothing filled',
      book: ASKS,
      side: 'BUY',
      target: { shares: sh(0) },
      limit: 990_000,
      filled: 0,
      cost: 0,
      avg: null,
      worst: null,
      used: 0,
      complete: true,
    },
  ])('$name', (c) => {
    const r = walkBook(c.book, c.side as TakerSide, c.target, p(c.limit));
    expect(r).toMatchObject({
      filledShares: c.filled,
      costUsdc: c.cost,
      avgPrice: c.avg,
      worstPrice: c.worst,
      levelsUsed: c.used,
      complete: c.complete,
    });
    expect(r.fills).toHaveLength(c.used);
  });

  it('rounds each level: a buy never under-counts cost, a sell never over-counts proceeds', () => {
    // 1 micro-share at 0.5 is worth half a micro-dollar.
    const buy = walkBook([lv(500_000, 1)], 'BUY', { shares: sh(1) }, p(MICRO));
    expect(buy.costUsdc).toBe(1);
    expect(buy.avgPrice).toBe(500_000);
    const sell = walkBook([lv(500_000, 1)], 'SELL', { shares: sh(1) }, p(0));
    expect(sell.costUsdc).toBe(0);
  });

  it('refuses levels that are not best first, and a walk without a target', () => {
    expect(() => walkBook([ASKS[1]!, ASKS[0]!], 'BUY', { shares: sh(100_000_000) }, p(MICRO))).toThrow(
      MoneyError,
    );
    expect(() => walkBook(ASKS, 'BUY', {}, p(MICRO))).toThrow(MoneyError);
    expect(() => walkBook(ASKS, 'BUY', { shares: sh(-1) }, p(MICRO))).toThrow(MoneyError);
  });

  it('walks a live OrderBook on the right side', () => {
    const book = new OrderBook('t');
    book.replace([...BIDS].reverse(), [...ASKS].reverse());
    expect(walkOrderBook(book, 'BUY', { shares: sh(12_000_000) }, p(550_000)).costUsdc).toBe(6_040_000);
    expect(walkOrderBook(book, 'SELL', { shares: sh(12_000_000) }, p(400_000)).costUsdc).toBe(5_700_000);
  });

  it('depthWithin sums level cash within the limit, rounded as the walk rounds', () => {
    expect(depthWithin(ASKS, 'BUY', p(520_000))).toBe(7_600_000);
    expect(depthWithin(BIDS, 'SELL', p(450_000))).toBe(7_050_000);
    expect(depthWithin(BIDS, 'SELL', p(500_000))).toBe(0);
  });
});

/** A side's levels best first: distinct on-tick prices, sizes in whole micro-shares. */
function levelsArb(side: TakerSide) {
  return fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: 0, maxLength: 12 }).chain((ticks) =>
    fc.tuple(...ticks.map(() => fc.integer({ min: 1, max: 5_000_000_000 }))).map((sizes) => {
      const sorted = [...ticks].sort((a, b) => (side === 'BUY' ? a - b : b - a));
      return sorted.map((t, i) => lv(t * 1_000, sizes[i]!));
    }),
  );
}

const sideArb = fc.constantFrom<TakerSide>('BUY', 'SELL');
const targetArb: fc.Arbitrary<WalkTarget> = fc.oneof(
  fc.record({ shares: fc.integer({ min: 0, max: 20_000_000_000 }).map(sh) }),
  fc.record({ usdc: fc.integer({ min: 0, max: 10_000_000_000 }).map(usd) }),
  fc.record({
    shares: fc.integer({ min: 0, max: 20_000_000_000 }).map(sh),
    usdc: fc.integer({ min: 0, max: 10_000_000_000 }).map(usd),
  }),
);
const caseArb = sideArb.chain((side) =>
  fc.record({
    side: fc.constant(side),
    levels: levelsArb(side),
    target: targetArb,
    limit: fc.integer({ min: 0, max: MICRO }).map(p),
  }),
);

describe('walkBook (properties)', () => {
  it('never passes the limit or the target, and its cost is the sum of its fills', () => {
    fc.assert(
      fc.property(caseArb, ({ side, levels, target, limit }) => {
        const r = walkBook(levels, side, target, limit);
        for (const f of r.fills) expect(side === 'BUY' ? f.price <= limit : f.price >= limit).toBe(true);
        if (target.shares !== undefined) expect(r.filledShares).toBeLessThanOrEqual(target.shares);
        if (target.usdc !== undefined) expect(r.costUsdc).toBeLessThanOrEqual(target.usdc);
        expect(r.costUsdc).toBe(r.fills.reduce((t, f) => t + f.usdc, 0));
        expect(r.filledShares).toBe(r.fills.reduce((t, f) => t + f.shares, 0));
        expect(r.levelsUsed).toBe(r.fills.length);
        // Each fill's cash is its notional rounded toward the taker's disadvantage.
        for (const f of r.fills) {
          const exact = (BigInt(f.shares) * BigInt(f.price)) / 1_000_000n;
          const rem = (BigInt(f.shares) * BigInt(f.price)) % 1_000_000n;
          const expected = side === 'BUY' && rem !== 0n ? exact + 1n : exact;
          expect(BigInt(f.usdc)).toBe(expected);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('prices between the best and worst level used (a buy never averages below the best ask)', () => {
    fc.assert(
      fc.property(caseArb, ({ side, levels, target, limit }) => {
        const r = walkBook(levels, side, target, limit);
        if (r.filledShares === 0) {
          expect(r.avgPrice).toBeNull();
          return;
        }
        const best = levels[0]!.price;
        const avg = r.avgPrice!;
        if (side === 'BUY') {
          expect(avg).toBeGreaterThanOrEqual(best);
          expect(avg).toBeLessThanOrEqual(r.worstPrice!);
        } else {
          expect(avg).toBeLessThanOrEqual(best);
          expect(avg).toBeGreaterThanOrEqual(r.worstPrice!);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('is incomplete only when the limit stopped it or the book ran out', () => {
    fc.assert(
      fc.property(caseArb, ({ side, levels, target, limit }) => {
        const r = walkBook(levels, side, target, limit);
        if (r.complete) return;
        const within = levels.filter((l) => (side === 'BUY' ? l.price <= limit : l.price >= limit));
        // Everything within the limit was taken.
        expect(r.fills.length).toBe(within.length);
        expect(r.filledShares).toBe(within.reduce((t, l) => t + l.size, 0));
      }),
      { numRuns: 2_000 },
    );
  });

  it('depthWithin equals the cost of sweeping everything within the limit', () => {
    fc.assert(
      fc.property(caseArb, ({ side, levels, limit }) => {
        const all = levels.reduce((t, l) => t + l.size, 0);
        const sweep = walkBook(levels, side, { shares: sh(all) }, limit);
        expect(depthWithin(levels, side, limit)).toBe(sweep.costUsdc);
      }),
      { numRuns: 1_000 },
    );
  });
});
