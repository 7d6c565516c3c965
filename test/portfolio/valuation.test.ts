import { describe, expect, it } from 'vitest';
import type { Shares, Usdc } from '../../src/core/money.ts';
import { marketValue, unrealizedPnl } from '../../src/portfolio/index.ts';
import { p, position, TOKEN, u } from './helpers.ts';

describe('marketValue and unrealizedPnl', () => {
  it.each([
    // shares, cost, mid -> value, unrealized
    ['100', '40', '0.55', '55', '15'],
    ['100', '40', '0.3', '30', '-10'],
    ['100', '40.2', '0.402', '40.2', '0'],
    ['0', '0', '0.5', '0', '0'],
    ['100', '40', '0', '0', '-40'],
  ])('%s shares costing %s at mid %s: worth %s, unrealized %s', (shares, cost, mid, value, pnl) => {
    const pos = position(shares, cost);
    expect(marketValue(pos, p(mid))).toBe(u(value));
    expect(unrealizedPnl(pos, p(mid))).toBe(u(pnl));
  });

  it('is null without a mid', () => {
    expect(marketValue(position('1', '0.5'), null)).toBeNull();
    expect(unrealizedPnl(position('1', '0.5'), null)).toBeNull();
  });

  it('rounds the value down (a mark never flatters)', () => {
    const pos = { tokenId: TOKEN, shares: 3 as Shares, cost: 0 as Usdc, realizedPnl: 0 as Usdc };
    expect(marketValue(pos, p('0.5'))).toBe(1);
  });
});
