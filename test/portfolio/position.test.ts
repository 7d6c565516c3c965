import { describe, expect, it } from 'vitest';
import type { Shares, Usdc } from '../../src/core/money.ts';
import {
  applyFill,
  assertValidPosition,
  averageCost,
  emptyPosition,
  type Fill,
  LedgerError,
  type Position,
} from '../../src/portfolio/index.ts';
import { buyFill, p, position, s, sellFill, TOKEN, u } from './helpers.ts';

/** Applies fills in order, keeping every step's deltas. */
function run(fills: Fill[], start: Position | null = null) {
  let pos = start;
  const steps = fills.map((f) => {
    const r = applyFill(pos, f);
    pos = r.position;
    return r;
  });
  return { pos: pos as Position | null, steps };
}

describe('applyFill: buys', () => {
  it.each([
    // shares, price, fee -> cost (= -cashDelta)
    ['100', '0.4', '0', '40'],
    ['100', '0.4', '0.2', '40.2'],
    ['12.34', '0.57', '0.01234', '7.04614'],
    ['10', '0', '0', '0'],
    ['10', '1', '0', '10'],
  ])('buy %s @ %s fee %s costs %s', (shares, price, fee, cost) => {
    const r = applyFill(null, buyFill(shares, price, fee));
    expect(r.position).toEqual(position(shares, cost));
    expect(r.cashDelta).toBe(0 - u(cost));
    expect(r.realizedDelta).toBe(0);
  });

  it('a free fill moves cash by 0, not -0', () => {
    expect(Object.is(applyFill(null, buyFill('10', '0')).cashDelta, 0)).toBe(true);
  });

  it('rounds a fractional notional up (a buy must be covered)', () => {
    // 1 micro-share at 0.5 is half a micro-dollar.
    const r = applyFill(null, {
      tokenId: TOKEN,
      side: 'BUY',
      shares: 1 as Shares,
      price: p('0.5'),
      fee: u('0'),
    });
    expect(r.position.cost).toBe(1);
    expect(r.cashDelta).toBe(-1);
  });

  it('adds to shares and cost, keeping realized PnL', () => {
    const r = applyFill(position('100', '40', '3'), buyFill('50', '0.6', '0.1'));
    expect(r.position).toEqual(position('150', '70.1', '3'));
    expect(averageCost(r.position)).toBe(p('0.467334')); // 70.1 / 150 = 0.4673333.., rounded up
  });
});

describe('applyFill: sells at average cost', () => {
  it('buy twice, then partial sells down to flat', () => {
    const { pos, steps } = run([
      buyFill('100', '0.4'),
      buyFill('100', '0.6'),
      sellFill('50', '0.7', '0.1'),
      sellFill('120', '0.3'),
      sellFill('30', '0.55', '0.02'),
    ]);
    const table = steps.map((r) => [
      r.position.shares,
      r.position.cost,
      r.realizedDelta,
      r.cashDelta,
      r.position.realizedPnl,
    ]);
    expect(table).toEqual([
      [s('100'), u('40'), 0, -u('40'), 0],
      [s('200'), u('100'), 0, -u('60'), 0],
      // proceeds 35 - fee 0.1; cost removed 100 x 50/200 = 25; avg stays 0.5
      [s('150'), u('75'), u('9.9'), u('34.9'), u('9.9')],
      // proceeds 36; removed 75 x 120/150 = 60
      [s('30'), u('15'), -u('24'), u('36'), -u('14.1')],
      // proceeds 16.5 - 0.02; removed all that is left
      [s('0'), u('0'), u('1.48'), u('16.48'), -u('12.62')],
    ]);
    // Closed: realized is exactly cash in minus cash out.
    const cash = steps.reduce((sum, r) => sum + r.cashDelta, 0);
    expect(pos?.realizedPnl).toBe(cash);
  });

  it('rounds partial cost removals half-even and removes exactly all the cost on the last sell', () => {
    const start: Position = {
      tokenId: TOKEN,
      shares: 3 as Shares,
      cost: 100 as Usdc,
      realizedPnl: 0 as Usdc,
    };
    const one: Fill = { tokenId: TOKEN, side: 'SELL', shares: 1 as Shares, price: p('0'), fee: u('0') };
    const { steps } = run([one, one, one], start);
    // 100/3 = 33.3 -> 33; 67/2 = 33.5 -> 34 (even); then the last 33.
    expect(steps.map((r) => r.position.cost)).toEqual([67, 33, 0]);
    expect(steps.map((r) => r.realizedDelta)).toEqual([-33, -34, -33]);
  });

  it('rounds a fractional sale down (never overstate proceeds)', () => {
    const sold: Fill = { tokenId: TOKEN, side: 'SELL', shares: 1 as Shares, price: p('0.5'), fee: u('0') };
    const start: Position = { tokenId: TOKEN, shares: 2 as Shares, cost: 2 as Usdc, realizedPnl: 0 as Usdc };
    const r = applyFill(start, sold);
    expect(r.cashDelta).toBe(0);
    expect(r.realizedDelta).toBe(-1);
  });

  it('a fee larger than the proceeds takes cash out', () => {
    const r = applyFill(position('10', '1'), sellFill('10', '0.001', '0.02'));
    expect(r.cashDelta).toBe(-u('0.01'));
    expect(r.realizedDelta).toBe(-u('1.01'));
  });

  it('does not mutate its input', () => {
    const start = position('100', '40');
    const copy = { ...start };
    applyFill(start, sellFill('10', '0.5'));
    applyFill(start, buyFill('10', '0.5'));
    expect(start).toEqual(copy);
  });
});

describe('applyFill: refusals (bugs upstream)', () => {
  it.each([
    ['selling more than held', position('10', '4'), sellFill('10.01', '0.5')],
    ['selling with no position', null, sellFill('1', '0.5')],
    ['a fill for another token', position('10', '4'), buyFill('1', '0.5', '0', 'other')],
    ['zero shares', null, buyFill('0', '0.5')],
    ['negative shares', null, { ...buyFill('1', '0.5'), shares: -1 as Shares }],
    ['a negative fee', null, { ...buyFill('1', '0.5'), fee: -1 as Usdc }],
    ['a fractional amount', null, { ...buyFill('1', '0.5'), shares: 0.5 as Shares }],
    ['a price above 1', null, { ...buyFill('1', '0.5'), price: 1_000_001 as never }],
    ['an unknown side', null, { ...buyFill('1', '0.5'), side: 'SHORT' as never }],
    ['a resolved token', { ...position('10', '10'), resolvedPayout: p('1') }, buyFill('1', '0.5')],
    ['a position with negative shares', position('-1', '0'), buyFill('1', '0.5')],
    ['a position with cost but no shares', position('0', '1'), buyFill('1', '0.5')],
  ])('throws LedgerError for %s', (_, start, fill) => {
    expect(() => applyFill(start, fill as Fill)).toThrow(LedgerError);
  });

  it('LedgerError is not retryable and carries context', () => {
    try {
      applyFill(position('1', '0.5'), sellFill('2', '0.5'));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(LedgerError);
      expect(err).toMatchObject({ code: 'LEDGER_INVARIANT', retryable: false });
      expect((err as LedgerError).context).toMatchObject({ held: s('1'), sold: s('2') });
    }
  });
});

describe('averageCost', () => {
  it.each([
    ['100', '40.2', '0.402'],
    ['3', '1', '0.333334'], // rounded up: the break-even price
    ['1', '0', '0'],
    ['1', '1.05', '1.05'], // fees can push it past 1
  ])('%s shares costing %s: %s', (shares, cost, avg) => {
    expect(averageCost(position(shares, cost))).toBe(u(avg));
  });

  it('is null when nothing is held', () => {
    expect(averageCost(emptyPosition(TOKEN))).toBeNull();
  });
});

describe('assertValidPosition', () => {
  it('accepts what applyFill produces and rejects what it cannot', () => {
    expect(() => assertValidPosition(position('1', '0.4', '-3'))).not.toThrow();
    expect(() => assertValidPosition(emptyPosition(TOKEN))).not.toThrow();
    expect(() => assertValidPosition(position('1', '-0.1'))).toThrow(LedgerError);
    expect(() => assertValidPosition({ ...position('1', '1'), resolvedPayout: 2_000_000 as never })).toThrow(
      LedgerError,
    );
  });
});
