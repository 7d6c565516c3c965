import { Side, type TickSize } from '@polymarket/clob-client-v2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/core/errors.ts';
import type { Shares, Usdc } from '../../../src/core/money.ts';
import {
  amountToMicro,
  impliedPrice,
  microToAmount,
  orderAmounts,
  orderLegs,
} from '../../../src/polymarket/clob/order-v2-amounts.ts';
import { buildClientOrder, testWallet } from './official-client.ts';

const alice = testWallet('alice');

// api-reference.md §4.4, from clob-client-v2 tests/order-builder/helpers/buildOrderCreationArgs.test.ts.
const VECTORS: [Side, number, TickSize, string, string, number][] = [
  [Side.BUY, 0.5, '0.1', '10520000', '21040000', 500_000],
  [Side.BUY, 0.56, '0.01', '11782400', '21040000', 560_000],
  [Side.BUY, 0.056, '0.001', '1178240', '21040000', 56_000],
  [Side.BUY, 0.0056, '0.0001', '117824', '21040000', 5_600],
  [Side.SELL, 0.5, '0.1', '21040000', '10520000', 500_000],
  [Side.SELL, 0.56, '0.01', '21040000', '11782400', 560_000],
];

describe('order amounts in micro-units', () => {
  it.each(VECTORS)(
    '%s 21.04 @ %d (tick %s): client amounts %s / %s',
    async (side, p, tickSize, maker, taker, micro) => {
      const order = await buildClientOrder({ wallet: alice, side, price: p, size: 21.04, tickSize });
      expect([order.makerAmount, order.takerAmount]).toEqual([maker, taker]);
      const legs = orderLegs(order);
      expect(legs.shares).toBe(21_040_000);
      expect(legs.side).toBe(side);
      expect(impliedPrice(legs, 'halfEven')).toBe(micro);
      expect(orderAmounts(legs)).toEqual({ makerAmount: maker, takerAmount: taker });
    },
  );

  it('BUY gives pUSD and takes shares; SELL the reverse', () => {
    expect(orderLegs({ side: 'BUY', makerAmount: '3', takerAmount: '7' })).toEqual({
      side: 'BUY',
      usdc: 3,
      shares: 7,
    });
    expect(orderLegs({ side: 'SELL', makerAmount: '3', takerAmount: '7' })).toEqual({
      side: 'SELL',
      shares: 3,
      usdc: 7,
    });
  });

  it('round-trips any safe amount', () => {
    fc.assert(
      fc.property(fc.constantFrom('BUY' as const, 'SELL' as const), fc.nat(), fc.nat(), (side, s, u) => {
        const legs = { side, shares: s as Shares, usdc: u as Usdc };
        expect(orderLegs({ side, ...orderAmounts(legs) })).toEqual(legs);
      }),
      { seed: 3 },
    );
  });

  it('refuses amounts that are not safe non-negative integers', () => {
    expect(amountToMicro('0')).toBe(0);
    expect(amountToMicro(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    for (const bad of [String(Number.MAX_SAFE_INTEGER + 1), '-1', '1.5', '01', '', '1e6']) {
      expect(() => amountToMicro(bad), bad).toThrow(ValidationError);
    }
    expect(() => microToAmount(-1 as Usdc)).toThrow(ValidationError);
    expect(() => microToAmount(0.5 as Usdc)).toThrow(ValidationError);
  });

  it('implied price rounds as asked and refuses impossible amounts', () => {
    const legs = { side: 'BUY' as const, usdc: 1_000_000 as Usdc, shares: 3_000_000 as Shares };
    expect(impliedPrice(legs, 'floor')).toBe(333_333);
    expect(impliedPrice(legs, 'ceil')).toBe(333_334);
    expect(() => impliedPrice({ ...legs, shares: 0 as Shares }, 'floor')).toThrow(ValidationError);
    expect(() => impliedPrice({ ...legs, usdc: 4_000_000 as Usdc }, 'floor')).toThrow(ValidationError);
  });
});
