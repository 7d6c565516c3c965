import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SellSizingInput, sizeSell } from '../../../src/copy/planner/index.ts';
import { SHARE_LOT, type Shares } from '../../../src/core/money.ts';
import { sh } from './helpers.ts';

const sell = (ours: string, sold: string, pre: string | null, fullClose = true) =>
  sizeSell({
    ourShares: sh(ours),
    leaderSellShares: sh(sold),
    leaderPreSellShares: pre === null ? null : sh(pre),
    lot: SHARE_LOT,
    fullClose,
  });

describe('sizeSell', () => {
  it('leader holds 100, we hold 30, leader sells 50 -> we sell 15', () => {
    expect(sell('30', '50', '100')).toMatchObject({ kind: 'size', shares: sh('15'), leaderExit: false });
  });

  it.each<[string, string, string, string | null, boolean, string]>([
    ['floors to the lot', '10.015', '33', '100', true, '3.3'], // 3.30495
    ['floors a third', '10', '1', '3', true, '3.33'],
    ['an over-sell is clamped to everything we hold', '30', '150', '100', false, '30'],
    ['unknown pre-sale holdings are a full exit', '30', '5', null, false, '30'],
    ['zero pre-sale holdings are a full exit', '30', '5', '0', false, '30'],
    ['a full close sells what we hold, floored to the lot', '30.005', '100', '100', true, '30'],
    ['a leader left with dust is out: full close', '30', '99.995', '100', true, '30'],
    ['a leader left with dust, no full close: proportional', '30', '99.995', '100', false, '29.99'],
    ['a leader left with a lot, full close: proportional', '30', '99.99', '100', true, '29.99'],
  ])('%s', (_name, ours, sold, pre, fullClose, expected) => {
    expect(sell(ours, sold, pre, fullClose)).toMatchObject({ kind: 'size', shares: sh(expected) });
  });

  it('nothing held, nothing to sell', () => {
    expect(sell('0', '50', '100')).toMatchObject({ kind: 'skip', reason: 'NOTHING_HELD' });
    expect(sell('-1', '50', '100')).toMatchObject({ kind: 'skip', reason: 'NOTHING_HELD' });
  });

  it('a sale smaller than one lot of ours is ZERO_SIZE', () => {
    const r = sell('0.01', '10', '100');
    expect(r).toMatchObject({ kind: 'skip', reason: 'ZERO_SIZE' });
    if (r.kind === 'skip') expect(r.detail).toContain('0.001 is less than one lot of 0.01');
    expect(sell('30', '0', '100')).toMatchObject({ kind: 'skip', reason: 'ZERO_SIZE' });
  });

  it('says what it did', () => {
    const r = sell('30', '50', '100');
    if (r.kind !== 'size') throw new Error('expected a size');
    expect(r.note).toBe('the leader sold 50 of 100, so we sell that fraction of our 30: 15');
  });
});

describe('sizeSell properties', () => {
  const sharesArb = fc.integer({ min: -10, max: 10 ** 13 }).map((n) => n as Shares);
  it('never sells more than we hold, nor more than the leader sold in proportion; always whole lots', () => {
    let sized = 0;
    fc.assert(
      fc.property(
        sharesArb,
        sharesArb,
        fc.option(sharesArb, { nil: null }),
        fc.boolean(),
        (ours, sold, pre, fullClose) => {
          const input: SellSizingInput = {
            ourShares: ours,
            leaderSellShares: sold,
            leaderPreSellShares: pre,
            lot: SHARE_LOT,
            fullClose,
          };
          const r = sizeSell(input);
          if (r.kind === 'skip') return;
          sized++;
          expect(Number.isSafeInteger(r.shares)).toBe(true);
          expect(r.shares).toBeGreaterThan(0);
          expect(r.shares).toBeLessThanOrEqual(ours);
          expect(r.shares % SHARE_LOT).toBe(0);
          if (!r.leaderExit && pre !== null) {
            // ours x sold / pre, compared exactly in bigint.
            expect(BigInt(r.shares) * BigInt(pre)).toBeLessThanOrEqual(BigInt(ours) * BigInt(sold));
          }
        },
      ),
      { numRuns: 500 },
    );
    expect(sized).toBeGreaterThan(50);
  });
});
