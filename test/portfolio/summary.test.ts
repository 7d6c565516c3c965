import { describe, expect, it } from 'vitest';
import type { Price } from '../../src/core/money.ts';
import { applyFill, type Position, resolvePosition, summarize } from '../../src/portfolio/index.ts';
import { buyFill, p, position, sellFill, u } from './helpers.ts';

describe('summarize', () => {
  it('adds up realized, unrealized, equity and exposure', () => {
    const start = u('1000');
    let cash = start;
    const book = (r: { position: Position; cashDelta: number }): Position => {
      cash = (cash + r.cashDelta) as typeof cash;
      return r.position;
    };
    // a: open, marked; b: open, no mark; c: closed with a profit; d: resolved won, not redeemed.
    const a = book(applyFill(null, buyFill('100', '0.4', '0', 'a'))); // -40
    const b = book(applyFill(null, buyFill('10', '0.5', '0.1', 'b'))); // -5.1
    let c = book(applyFill(null, buyFill('20', '0.5', '0', 'c'))); // -10
    c = book(applyFill(c, sellFill('20', '0.75', '0', 'c'))); // +15, realized 5
    const dBought = book(applyFill(null, buyFill('50', '0.3', '0', 'd'))); // -15
    const d = resolvePosition(dBought, true).position; // realized 35, claim 50
    expect(cash).toBe(u('944.9'));

    const marks = new Map<string, Price | null>([
      ['a', p('0.55')],
      ['b', null],
      ['d', p('0.2')], // a stale mark on a resolved token is ignored
    ]);
    const summary = summarize([a, b, c, d], marks, cash, start);
    expect(summary).toEqual({
      realized: u('40'),
      unrealized: u('15'),
      equity: u('944.9') + u('55') + u('5.1') + u('50'),
      total: u('55'),
      exposure: u('45.1'),
      redeemable: u('50'),
      unpriced: ['b'],
    });
    // The books balance: total PnL is realized plus unrealized.
    expect(summary.total).toBe(summary.realized + summary.unrealized);
  });

  it('shows a deposit as a gap between total and realized + unrealized', () => {
    const summary = summarize([position('10', '5')], new Map([['yes-token', p('0.5')]]), u('100'), u('90'));
    expect(summary).toMatchObject({ realized: 0, unrealized: 0, equity: u('105'), total: u('15') });
  });

  it('an empty portfolio is its cash', () => {
    expect(summarize([], new Map(), u('12'), u('10'))).toEqual({
      realized: 0,
      unrealized: 0,
      total: u('2'),
      equity: u('12'),
      exposure: 0,
      redeemable: 0,
      unpriced: [],
    });
  });
});
