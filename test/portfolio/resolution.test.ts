import { describe, expect, it } from 'vitest';
import type { Shares } from '../../src/core/money.ts';
import {
  applyFill,
  LedgerError,
  marketValue,
  redeem,
  resolveAtPayout,
  resolvePosition,
  unrealizedPnl,
} from '../../src/portfolio/index.ts';
import { buyFill, p, position, s, sellFill, TOKEN, u } from './helpers.ts';

describe('resolvePosition realizes the PnL when the market resolves', () => {
  it.each([
    // shares, cost, realized before, won -> realized delta, cost after (the payout)
    ['100', '40.2', '0', true, '59.8', '100'],
    ['100', '40.2', '0', false, '-40.2', '0'],
    ['30', '15', '-14.1', true, '15', '30'],
    ['30', '15', '-14.1', false, '-15', '0'],
    ['0', '0', '2.5', true, '0', '0'],
  ])('%s shares costing %s (realized %s), won=%s: %s', (shares, cost, before, won, delta, after) => {
    const r = resolvePosition(position(shares, cost, before), won);
    expect(r.realizedDelta).toBe(u(delta));
    expect(r.position).toEqual({
      ...position(shares, after),
      realizedPnl: u(before) + u(delta),
      resolvedPayout: won ? p('1') : p('0'),
    });
  });

  it('leaves nothing unrealized: a resolved position is worth its payout whatever the mid', () => {
    const { position: won } = resolvePosition(position('100', '40'), true);
    for (const mid of [null, p('0'), p('0.37'), p('1')]) {
      expect(marketValue(won, mid)).toBe(u('100'));
      expect(unrealizedPnl(won, mid)).toBe(0);
    }
  });

  it('resolves 50-50 markets at half a dollar a share', () => {
    const r = resolveAtPayout(position('101', '40'), p('0.5'));
    expect(r.position.cost).toBe(u('50.5'));
    expect(r.realizedDelta).toBe(u('10.5'));
  });

  it('rounds a fractional payout down, as the CTF contract does', () => {
    const r = resolveAtPayout({ ...position('0', '0'), shares: 3 as Shares, cost: u('0') }, p('0.5'));
    expect(r.position.cost).toBe(1);
    expect(redeem(r.position).cashDelta).toBe(1);
  });

  it('is idempotent for the same outcome and refuses a different one', () => {
    const first = resolvePosition(position('10', '4'), true).position;
    expect(resolvePosition(first, true)).toEqual({ position: first, realizedDelta: 0 });
    expect(() => resolvePosition(first, false)).toThrow(LedgerError);
    expect(() => resolveAtPayout(position('10', '4'), 1_000_001 as never)).toThrow();
  });
});

describe('redeem moves the cash, nothing more', () => {
  it.each([
    [true, '100'],
    [false, '0'],
  ])('won=%s pays %s and closes the position', (won, paid) => {
    const bought = applyFill(null, buyFill('100', '0.4', '0.2'));
    const resolved = resolvePosition(bought.position, won);
    const r = redeem(resolved.position);
    expect(r.cashDelta).toBe(u(paid));
    expect(r.position).toMatchObject({ shares: 0, cost: 0, realizedPnl: resolved.position.realizedPnl });
    // Realized over the life of the position is cash in minus cash out.
    expect(r.position.realizedPnl).toBe(bought.cashDelta + r.cashDelta);
  });

  it('after a partial sell, realized covers the sell and the resolution', () => {
    let pos = applyFill(null, buyFill('100', '0.4')).position; // -40
    const sold = applyFill(pos, sellFill('40', '0.6', '0.05')); // +23.95, removed 16
    pos = resolvePosition(sold.position, true).position; // 60 shares, cost 24 -> 60
    expect(pos.realizedPnl).toBe(u('7.95') + u('36'));
    const r = redeem(pos);
    expect(r.cashDelta).toBe(u('60'));
    expect(r.position.realizedPnl).toBe(-u('40') + u('23.95') + u('60'));
  });

  it('refuses an unresolved position, a tampered one, and a fill after redemption', () => {
    expect(() => redeem(position('10', '4'))).toThrow(LedgerError);
    const resolved = resolvePosition(position('10', '4'), true).position;
    expect(() => redeem({ ...resolved, cost: u('9') })).toThrow(LedgerError);
    const redeemed = redeem(resolved).position;
    expect(() => applyFill(redeemed, buyFill('1', '0.5'))).toThrow(LedgerError);
    // Redeeming again finds nothing left to pay.
    expect(redeem(redeemed)).toEqual({ position: redeemed, cashDelta: 0 });
  });

  it('keeps the token id and shares until redemption', () => {
    const resolved = resolvePosition(position('10', '4'), false).position;
    expect(resolved).toMatchObject({ tokenId: TOKEN, shares: s('10'), cost: 0 });
  });
});
