import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Price, Shares } from '../../../src/core/index.ts';
import { type LiveQuote, type QuoteTarget, reconcile } from '../../../src/sim/traders/index.ts';

const key = (q: QuoteTarget) => `${q.tokenId}|${q.side}|${q.price}|${q.size}`;
const multiset = (qs: readonly QuoteTarget[]) => qs.map(key).sort();

// Few distinct values, so targets and live orders overlap often.
const quoteArb: fc.Arbitrary<QuoteTarget> = fc.record({
  tokenId: fc.constantFrom('1', '2'),
  side: fc.constantFrom('BUY' as const, 'SELL' as const),
  price: fc.integer({ min: 40, max: 44 }).map((c) => (c * 10_000) as Price),
  size: fc.constantFrom(5_000_000, 10_000_000).map((s) => s as Shares),
});

describe('reconcile', () => {
  it('applying its output to the live orders yields exactly the targets, and nothing needless', () => {
    fc.assert(
      fc.property(
        fc.array(quoteArb, { maxLength: 12 }),
        fc.array(quoteArb, { maxLength: 12 }),
        (targets, rows) => {
          const live: LiveQuote[] = rows.map((q, i) => ({ ...q, orderId: `o${i}` }));
          const { cancel, place } = reconcile(targets, live);
          // Only live orders are cancelled, each once.
          expect(new Set(cancel).size).toBe(cancel.length);
          for (const id of cancel) expect(live.some((q) => q.orderId === id)).toBe(true);
          const after = [...live.filter((q) => !cancel.includes(q.orderId)), ...place];
          expect(multiset(after)).toEqual(multiset(targets));
          // Minimal: nothing is cancelled and placed again identical; the kept count is the overlap.
          const cancelled = new Set(live.filter((q) => cancel.includes(q.orderId)).map(key));
          for (const p of place) expect(cancelled.has(key(p))).toBe(false);
          const count = (qs: readonly QuoteTarget[], k: string) => qs.filter((q) => key(q) === k).length;
          let overlap = 0;
          for (const k of new Set(targets.map(key))) overlap += Math.min(count(targets, k), count(live, k));
          expect(live.length - cancel.length).toBe(overlap);
          expect(place.length).toBe(targets.length - overlap);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps the oldest of equal orders and leaves a book that already matches alone', () => {
    const q = { tokenId: '1', side: 'BUY' as const, price: 400_000 as Price, size: 5_000_000 as Shares };
    const live = [
      { ...q, orderId: 'old' },
      { ...q, orderId: 'new' },
    ];
    expect(reconcile([q], live)).toEqual({ cancel: ['new'], place: [] });
    expect(reconcile([q, q], live)).toEqual({ cancel: [], place: [] });
  });

  it('replaces a partly filled order: its remaining size no longer matches', () => {
    const q = { tokenId: '1', side: 'SELL' as const, price: 450_000 as Price, size: 10_000_000 as Shares };
    const { cancel, place } = reconcile([q], [{ ...q, size: 7_500_000 as Shares, orderId: 'part' }]);
    expect(cancel).toEqual(['part']);
    expect(place).toEqual([q]);
  });
});
