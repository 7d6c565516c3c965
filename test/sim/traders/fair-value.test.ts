import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MICRO, type Price, tickSize } from '../../../src/core/index.ts';
import { createRandom } from '../../../src/sim/random.ts';
import {
  fairBounds,
  normalizeEvent,
  stepEvent,
  stepFair,
  type WalkMarket,
} from '../../../src/sim/traders/index.ts';

const TICKS = [tickSize(10_000), tickSize(1_000), tickSize(100), tickSize(5_000)] as const;
const tickArb = fc.constantFrom(...TICKS);
/** Half spreads and step sizes from one tick to a dime. */
const priceArb = fc.integer({ min: 1, max: 100_000 }).map((n) => n as Price);

const walkMarket = (tick: (typeof TICKS)[number], halfSpread: Price): WalkMarket => ({
  tick,
  bounds: fairBounds(tick, halfSpread),
});

describe('fairBounds', () => {
  it('leaves a whole-tick half spread inside [tick, 1 - tick] on both sides', () => {
    expect(fairBounds(tickSize(10_000), 10_000 as Price)).toEqual({ min: 20_000, max: 980_000 });
    // A half spread below one tick counts as one tick; an off-grid one rounds up.
    expect(fairBounds(tickSize(10_000), 1 as Price)).toEqual({ min: 20_000, max: 980_000 });
    expect(fairBounds(tickSize(1_000), 2_500 as Price)).toEqual({ min: 4_000, max: 996_000 });
    expect(() => fairBounds(tickSize(10_000), 495_000 as Price)).toThrow(/no room/);
  });
});

describe('stepFair (the binary walk)', () => {
  it('stays on the tick and inside its bounds for any start, step size and seed', () => {
    fc.assert(
      fc.property(
        tickArb,
        priceArb,
        priceArb,
        fc.integer(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (tick, halfSpread, maxStep, seed, where) => {
          const market = walkMarket(tick, halfSpread);
          const { min, max } = market.bounds;
          const random = createRandom(seed);
          let fair = (min + Math.floor(((max - min) / tick) * where) * tick) as Price;
          for (let i = 0; i < 200; i++) {
            const next = stepFair(fair, market, maxStep, random);
            expect(next % tick).toBe(0);
            expect(next).toBeGreaterThanOrEqual(min);
            expect(next).toBeLessThanOrEqual(max);
            // Never further than the step allows (whole ticks, at least one).
            expect(Math.abs(next - fair)).toBeLessThanOrEqual(Math.max(tick, maxStep - (maxStep % tick)));
            fair = next;
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('moves: a long walk visits more than a handful of prices', () => {
    const market = walkMarket(tickSize(10_000), 10_000 as Price);
    const random = createRandom(3);
    const seen = new Set<number>();
    let fair = 500_000 as Price;
    for (let i = 0; i < 500; i++) {
      fair = stepFair(fair, market, 10_000 as Price, random);
      seen.add(fair);
    }
    expect(seen.size).toBeGreaterThan(10);
  });
});

describe('the neg-risk walk', () => {
  const eventArb = fc.array(fc.tuple(tickArb, fc.integer({ min: 1, max: 10 })), {
    minLength: 2,
    maxLength: 8,
  });

  it('normalizeEvent puts every fair on its tick and bounds, summing to 1 within the largest tick', () => {
    fc.assert(
      fc.property(eventArb, priceArb, (members, halfSpread) => {
        const markets = members.map(([tick]) => walkMarket(tick, halfSpread));
        const sumMin = markets.reduce((a, m) => a + m.bounds.min, 0);
        const sumMax = markets.reduce((a, m) => a + m.bounds.max, 0);
        fc.pre(sumMin <= MICRO && sumMax >= MICRO);
        // Raw weights, as the catalog invents them, not normalised.
        const raw = members.map(([, w]) => w * 97_000);
        const fairs = normalizeEvent(raw, markets);
        fairs.forEach((f, i) => {
          expect(f % markets[i]!.tick).toBe(0);
          expect(f).toBeGreaterThanOrEqual(markets[i]!.bounds.min);
          expect(f).toBeLessThanOrEqual(markets[i]!.bounds.max);
        });
        const sum = fairs.reduce((a, b) => a + b, 0);
        expect(Math.abs(sum - MICRO)).toBeLessThan(Math.max(...markets.map((m) => m.tick)));
        // Idempotent: normalising again changes nothing.
        expect(normalizeEvent(fairs, markets)).toEqual(fairs);
      }),
      { numRuns: 300 },
    );
  });

  it('stepEvent keeps the sum exactly and every fair on its tick and bounds', () => {
    fc.assert(
      fc.property(eventArb, priceArb, priceArb, fc.integer(), (members, halfSpread, maxStep, seed) => {
        const markets = members.map(([tick]) => walkMarket(tick, halfSpread));
        const sumMin = markets.reduce((a, m) => a + m.bounds.min, 0);
        fc.pre(sumMin <= MICRO && markets.reduce((a, m) => a + m.bounds.max, 0) >= MICRO);
        let fairs = normalizeEvent(
          members.map(([, w]) => w * 100_000),
          markets,
        );
        const sum = fairs.reduce((a, b) => a + b, 0);
        const random = createRandom(seed);
        for (let i = 0; i < 100; i++) {
          fairs = stepEvent(fairs, markets, maxStep, random);
          expect(fairs.reduce((a, b) => a + b, 0)).toBe(sum);
          fairs.forEach((f, j) => {
            expect(f % markets[j]!.tick).toBe(0);
            expect(f).toBeGreaterThanOrEqual(markets[j]!.bounds.min);
            expect(f).toBeLessThanOrEqual(markets[j]!.bounds.max);
          });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a one-market event does not move', () => {
    const m = walkMarket(tickSize(10_000), 10_000 as Price);
    expect(stepEvent([400_000 as Price], [m], 10_000 as Price, createRandom(1))).toEqual([400_000]);
  });
});
