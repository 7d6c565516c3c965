import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoneyError } from '../../src/core/errors.ts';
import {
  add,
  complement,
  MICRO,
  micro,
  notional,
  type Price,
  price,
  roundToLot,
  SHARE_LOT,
  type Shares,
  shares,
  sharesFor,
  sub,
  sum,
  type Usdc,
  usdc,
} from '../../src/core/money.ts';
import { ROUNDING_MODES } from '../../src/core/rounding.ts';

const MAX = Number.MAX_SAFE_INTEGER;

describe('constructors', () => {
  it('accept safe integers and reject anything else', () => {
    expect(usdc(-5)).toBe(-5);
    expect(shares(MAX)).toBe(MAX);
    expect(micro(0)).toBe(0);
    for (const bad of [0.5, MAX + 1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => usdc(bad)).toThrow(MoneyError);
      expect(() => shares(bad)).toThrow(MoneyError);
      expect(() => micro(bad)).toThrow(MoneyError);
      expect(() => price(bad)).toThrow(MoneyError);
    }
  });

  it('price is 0..1', () => {
    expect(price(0)).toBe(0);
    expect(price(MICRO)).toBe(1_000_000);
    expect(() => price(-1)).toThrow(MoneyError);
    expect(() => price(MICRO + 1)).toThrow(/0\.\.1000000/);
  });

  it('keeps units apart at compile time', () => {
    const cash = usdc(1);
    const size = shares(1);
    const p = price(1);
    // @ts-expect-error USDC is not shares
    const wrong: Shares = cash;
    // @ts-expect-error a plain number is not a price
    const raw: Price = 5;
    // @ts-expect-error units do not mix in add
    add(cash, size);
    // @ts-expect-error notional takes shares then a price
    notional(p, size, 'floor');
    const total: Usdc = add(cash, usdc(2));
    const asNumber: number = p; // reading a branded value as a number is fine
    expect([wrong, raw, total, asNumber]).toEqual([1, 5, 3, 1]);
  });
});

describe('add, sub, sum', () => {
  it('add and subtract exactly and refuse to leave the safe range', () => {
    expect(add(usdc(2), usdc(3))).toBe(5);
    expect(sub(usdc(2), usdc(3))).toBe(-1);
    expect(() => add(usdc(MAX), usdc(1))).toThrow(MoneyError);
    expect(() => sub(usdc(-MAX), usdc(1))).toThrow(MoneyError);
  });

  it('sum', () => {
    expect(sum<Usdc>([])).toBe(0);
    expect(sum([usdc(1), usdc(2), usdc(-4)])).toBe(-1);
    expect(sum(new Set([shares(7), shares(8)]))).toBe(15);
    expect(() => sum([usdc(MAX), usdc(1), usdc(-5)])).toThrow(MoneyError);
  });
});

describe('notional, sharesFor, roundToLot, complement', () => {
  it.each([
    // 12.345678 shares at 0.523 = 6.456789594 USDC
    [12_345_678, 523_000, 'floor', 6_456_789],
    [12_345_678, 523_000, 'ceil', 6_456_790],
    [100_000_000, 10_000, 'floor', 1_000_000],
    [1, 1, 'ceil', 1],
    [1, 1, 'floor', 0],
    [-5_000_000, 500_000, 'floor', -2_500_000],
  ] as const)('notional(%d shares, %d) %s = %d', (s, p, r, want) => {
    expect(notional(shares(s), price(p), r)).toBe(want);
  });

  it.each([
    // $10 at 0.3 = 33.333333... shares
    [10_000_000, 300_000, 'floor', 33_333_333],
    [10_000_000, 300_000, 'ceil', 33_333_334],
    [1_000_000, 1_000_000, 'floor', 1_000_000],
    [1, 999_999, 'floor', 1],
    [1, 999_999, 'ceil', 2],
  ] as const)('sharesFor(%d, %d) %s = %d', (u, p, r, want) => {
    expect(sharesFor(usdc(u), price(p), r)).toBe(want);
  });

  it('sharesFor refuses a price of 0', () => {
    expect(() => sharesFor(usdc(1), price(0), 'floor')).toThrow(MoneyError);
  });

  it('roundToLot', () => {
    expect(SHARE_LOT).toBe(10_000);
    expect(roundToLot(shares(12_345_678), SHARE_LOT, 'floor')).toBe(12_340_000);
    expect(roundToLot(shares(12_345_678), SHARE_LOT, 'ceil')).toBe(12_350_000);
    expect(roundToLot(shares(12_345_000), SHARE_LOT, 'halfEven')).toBe(12_340_000);
    expect(roundToLot(shares(12_345_000), SHARE_LOT, 'halfUp')).toBe(12_350_000);
    expect(() => roundToLot(shares(1), shares(0), 'floor')).toThrow(MoneyError);
  });

  it('complement', () => {
    expect(complement(price(523_000))).toBe(477_000);
    expect(complement(price(0))).toBe(MICRO);
    expect(complement(price(MICRO))).toBe(0);
  });

  const amount = fc.integer({ min: 0, max: 1_000_000_000_000_000 }); // up to $1e9
  const positivePrice = fc.integer({ min: 1, max: MICRO });
  /** Whether the shares `u` buys at `p`, plus one, stay in the safe range (at tiny prices they may not). */
  const fits = (u: number, p: number): boolean => (BigInt(u) * 1_000_000n) / BigInt(p) < BigInt(MAX) - 1n;

  it('sharesFor throws rather than overflow', () => {
    expect(() => sharesFor(usdc(10_000_000_000), price(1), 'floor')).toThrow(MoneyError);
  });

  it('buying sharesFor(budget, p, floor) never costs more than the budget, and one micro-share more would', () => {
    fc.assert(
      fc.property(amount, positivePrice, (u, p) => {
        fc.pre(fits(u, p));
        const s = sharesFor(usdc(u), price(p), 'floor');
        expect(notional(s, price(p), 'ceil')).toBeLessThanOrEqual(u);
        expect(notional(shares(s + 1), price(p), 'ceil')).toBeGreaterThan(u);
      }),
      { numRuns: 10_000 },
    );
  });

  it('sharesFor(budget, p, ceil) always covers the budget, and one micro-share less would not', () => {
    fc.assert(
      fc.property(
        amount.filter((u) => u > 0),
        positivePrice,
        (u, p) => {
          fc.pre(fits(u, p));
          const s = sharesFor(usdc(u), price(p), 'ceil');
          expect(notional(s, price(p), 'floor')).toBeGreaterThanOrEqual(u);
          expect(notional(shares(s - 1), price(p), 'floor')).toBeLessThan(u);
        },
      ),
      { numRuns: 10_000 },
    );
  });

  it('notional floor and ceil bracket the exact cost, one micro apart at most', () => {
    const size = fc.integer({ min: -1_000_000_000_000_000, max: 1_000_000_000_000_000 });
    fc.assert(
      fc.property(size, fc.integer({ min: 0, max: MICRO }), (s, p) => {
        const exact = BigInt(s) * BigInt(p);
        const lo = notional(shares(s), price(p), 'floor');
        const hi = notional(shares(s), price(p), 'ceil');
        expect(BigInt(lo) * 1_000_000n <= exact && exact <= BigInt(hi) * 1_000_000n).toBe(true);
        expect(hi - lo).toBe(exact % 1_000_000n === 0n ? 0 : 1);
      }),
      { numRuns: 10_000 },
    );
  });

  it('roundToLot floor never exceeds the size held and lands on the lot', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000_000_000 }),
        fc.constantFrom(...ROUNDING_MODES),
        (s, r) => {
          const lot = roundToLot(shares(s), SHARE_LOT, r);
          expect(lot % SHARE_LOT).toBe(0);
          expect(Math.abs(lot - s)).toBeLessThan(SHARE_LOT);
          if (r === 'floor' || r === 'trunc') expect(lot).toBeLessThanOrEqual(s);
          if (r === 'ceil') expect(lot).toBeGreaterThanOrEqual(s);
        },
      ),
    );
  });
});
