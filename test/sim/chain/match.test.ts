/** The settle input: validation, calldata, gas. */
import { decodeFunctionData, maxUint256 } from 'viem';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/core/errors.ts';
import { simExchangeAbi } from '../../../src/sim/chain/contract/abi.ts';
import {
  type ChainMatch,
  encodeSettleCall,
  MAX_MAKER_FILLS,
  settleGas,
  validateMatch,
} from '../../../src/sim/chain/match.ts';
import { ALICE, BOB, fill, LEADER, match, YES } from './support.ts';

const good = (): ChainMatch =>
  match('standard', fill('t', ALICE, 'BUY', YES, 10_000_000n, 600_000n, 120_000n), [
    fill('m1', LEADER, 'SELL', YES, 6_000_000n, 600_000n),
    fill('m2', BOB, 'SELL', YES, 4_000_000n, 600_000n),
  ]);

describe('validateMatch', () => {
  it('accepts a well-formed match', () => {
    expect(() => validateMatch(good())).not.toThrow();
  });

  const cases: [string, (m: ChainMatch) => unknown, RegExp][] = [
    ['an unknown exchange', (m) => Object.assign(m, { exchange: 'v1' }), /exchange must be/],
    ['no makers', (m) => Object.assign(m, { makers: [] }), /at least one maker/],
    [
      'too many makers',
      (m) => Object.assign(m, { makers: Array.from({ length: MAX_MAKER_FILLS + 1 }, () => m.makers[0]) }),
      /at most/,
    ],
    ['a short order hash', (m) => Object.assign(m.taker, { orderHash: '0x12' }), /taker: orderHash/],
    ['a bad maker address', (m) => Object.assign(m.makers[1]!, { maker: '0xnope' }), /makers\[1\]: maker/],
    ['a lower-case side', (m) => Object.assign(m.makers[0]!, { side: 'buy' }), /side must be/],
    ['a negative amount', (m) => Object.assign(m.taker, { makerAmountFilled: -1n }), /makerAmountFilled/],
    [
      'an amount above uint256',
      (m) => Object.assign(m.taker, { takerAmountFilled: maxUint256 + 1n }),
      /takerAmountFilled/,
    ],
    ['a number amount', (m) => Object.assign(m.taker, { fee: 5 }), /fee must be a uint256 bigint/],
    ['a short builder word', (m) => Object.assign(m.taker, { builder: '0x01' }), /builder/],
  ];
  it.each(cases)('refuses %s', (_name, spoil, message) => {
    const m = good();
    spoil(m);
    expect(() => validateMatch(m)).toThrow(ValidationError);
    expect(() => validateMatch(m)).toThrow(message);
  });
});

describe('encodeSettleCall', () => {
  it('encodes settleMatch(taker, makers) with sides as 0/1 and zero defaults', () => {
    const m = good();
    const { functionName, args } = decodeFunctionData({ abi: simExchangeAbi, data: encodeSettleCall(m) });
    expect(functionName).toBe('settleMatch');
    const [taker, makers] = args as unknown as [Record<string, unknown>, Record<string, unknown>[]];
    expect(taker).toMatchObject({ maker: ALICE, side: 0, fee: 120_000n, builder: `0x${'0'.repeat(64)}` });
    expect(makers.map((f) => [f.maker, f.side, f.makerAmountFilled, f.takerAmountFilled, f.fee])).toEqual([
      [LEADER, 1, 6_000_000n, 3_600_000n, 0n],
      [BOB, 1, 4_000_000n, 2_400_000n, 0n],
    ]);
  });

  it('budgets gas under the per-transaction cap even at the maker limit', () => {
    expect(settleGas(1)).toBeGreaterThan(40_000n);
    expect(settleGas(MAX_MAKER_FILLS)).toBeLessThan(16_777_216n);
  });
});
