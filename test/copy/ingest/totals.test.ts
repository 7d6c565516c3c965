import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { positionAfter, type TradePart, tradeTotals } from '../../../src/copy/ingest/totals.ts';

const part = (source: TradePart['source'], size: number, removed = false): TradePart =>
  ({ source, size, usdc: Math.floor(size / 2), fee: null, removed }) as TradePart;

describe('tradeTotals', () => {
  it('is the largest single-source total, never a sum across sources', () => {
    expect(
      tradeTotals([part('api', 10), part('api', 20), part('chain', 30), part('rtds', 10)]),
    ).toMatchObject({
      size: 30,
      source: 'chain',
    });
    expect(tradeTotals([part('chain', 30, true), part('api', 10)])).toMatchObject({
      size: 10,
      source: 'api',
    });
    expect(tradeTotals([part('chain', 30, true)])).toMatchObject({ size: 0, source: null });
    expect(tradeTotals([part('api', 0)])).toMatchObject({ size: 0, source: null });
  });

  it('reaches the full size whatever order and split the sources deliver in', () => {
    const source = fc.constantFrom<TradePart['source']>('api', 'rtds', 'chain');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.array(fc.tuple(source, fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        (total, splits, seed) => {
          // Each source splits the same total into its own number of rows.
          const parts: TradePart[] = [];
          for (const [src, rows] of splits) {
            const n = Math.min(rows, total);
            if (parts.some((p) => p.source === src)) continue;
            const base = Math.floor(total / n);
            for (let i = 0; i < n; i++) parts.push(part(src, i === n - 1 ? total - base * (n - 1) : base));
          }
          // Any arrival order: every prefix is at most the total, the whole is exactly it.
          const order = [...parts].sort((a, b) => ((a.size * 31 + seed) % 7) - ((b.size * 31 + seed) % 7));
          for (let i = 1; i <= order.length; i++)
            expect(tradeTotals(order.slice(0, i)).size).toBeLessThanOrEqual(total);
          expect(tradeTotals(order).size).toBe(total);
        },
      ),
    );
  });
});

describe('positionAfter', () => {
  it('adds buys, subtracts sells, never below zero', () => {
    expect(positionAfter(10, 'BUY', 5)).toBe(15);
    expect(positionAfter(10, 'SELL', 5)).toBe(5);
    expect(positionAfter(10, 'SELL', 50)).toBe(0);
    expect(positionAfter(10, 'BUY', -15)).toBe(0);
  });
});
