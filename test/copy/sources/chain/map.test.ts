/**
 * The pure mapping from decoded chain logs to sightings: maker rows, the one taker row of a sweep,
 * a MINT match, the real V2 and V1 samples, rounding, and amounts that cannot be a trade.
 */
import { type Hex, keccak256, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  feeInCollateral,
  fillPrice,
  retractionFromRemoved,
  sightingFromFill,
} from '../../../../src/copy/sources/chain/index.ts';
import { MoneyError, ValidationError } from '../../../../src/core/errors.ts';
import {
  type ChainFillLog,
  decodeOrderFilled,
  EXCHANGE_ADDRESSES,
  type MinedOrderFilled,
} from '../../../../src/polymarket/chain/index.ts';
import { ALICE, LEADER, NO, YES } from '../../../sim/chain/support.ts';
import { readSample } from '../../../support/shape.ts';
import { type LogSpec, orderFilledLog } from './support.ts';

const P = 1_000_000n;

function fillLog(raw: unknown, blockTimeMs = 1_790_000_000_000, backfill = false): ChainFillLog {
  return {
    kind: 'fill',
    fill: decodeOrderFilled(raw) as MinedOrderFilled,
    blockTimeMs,
    blockTimeEstimated: false,
    receivedAtMs: blockTimeMs + 1_234,
    backfill,
    raw,
  };
}

function v2(spec: Partial<LogSpec> & Pick<LogSpec, 'side' | 'makerAmountFilled' | 'takerAmountFilled'>) {
  return orderFilledLog({ maker: LEADER, taker: ALICE, tokenId: YES, ...spec });
}

describe('sightingFromFill', () => {
  it('maps the real V2 sample (a maker row): SELL 4.18 shares at 0.94 for 3.9292 pUSD', () => {
    const raw = readSample('order_filled_v2_log.json');
    const s = sightingFromFill(fillLog(raw, 1_785_000_000_000));
    expect(s).toEqual({
      kind: 'fill',
      source: 'chain',
      leader: '0xa253d75c2dfb2c6650291d5e8d54076d2fb40181',
      txHash: '0x21d27b0fde210ccb5e6480e3f479f342743aa1f854199d57cafab2553d9a516e',
      tokenId: YES.toString(),
      conditionId: null,
      outcome: null,
      outcomeIndex: null,
      side: 'SELL',
      price: 940_000,
      size: 4_180_000,
      usdc: 3_929_200,
      fee: 0,
      role: 'maker',
      blockNumber: 90_840_326,
      logIndex: 0x215,
      part: '0xbfbc54d2a0c2b5b92f572efba77f1c1fa61550d04600fc4f0f1ce420efa08da0',
      tradeTimeMs: 1_785_000_000_000,
      seenAtMs: 1_785_000_001_234,
      isBackfill: false,
      raw,
    });
  });

  it('maps the real V1 sample: BUY 17.7 shares for 7.434 USDC at 0.42, its fee in shares valued in USDC', () => {
    const raw = readSample('order_filled_v1_log.json') as { blockTimestamp: string };
    const s = sightingFromFill(fillLog(raw, Number(BigInt(raw.blockTimestamp)) * 1000));
    expect(s).toMatchObject({
      leader: '0x00000003a358014c7c0e227483dbe01619871000',
      txHash: '0x31d5dca405136cb4ed09bcf817d2b6c2ce1331b18d4b5738eae2e76f7e73e391',
      tokenId: NO.toString(),
      side: 'BUY',
      price: 420_000,
      size: 17_700_000,
      usdc: 7_434_000,
      // 1.77 shares at 0.42.
      fee: 743_400,
      role: 'maker',
      blockNumber: 81_344_785,
      logIndex: 0x54d,
      part: '0xcad66ce0a358cde360f7565f226a7749c1fa08648b57ec3ffd0bf6c0f8a46b8b',
      tradeTimeMs: 0x695e9f3d * 1000,
    });
  });

  it('gives the taker row (taker = the exchange) role taker, with the sweep totals and fee', () => {
    // A BUY that took 2 shares at 0.50 and 1 share at 0.53: one row, 3 shares for 1.53.
    const raw = v2({
      taker: EXCHANGE_ADDRESSES[2].standard,
      side: 'BUY',
      makerAmountFilled: 1_530_000n,
      takerAmountFilled: 3n * P,
      fee: 52_000n,
    });
    expect(sightingFromFill(fillLog(raw))).toMatchObject({
      role: 'taker',
      side: 'BUY',
      size: 3_000_000,
      usdc: 1_530_000,
      price: 510_000,
      fee: 52_000,
    });
  });

  it('takes the neg-risk exchange as the exchange of its taker rows', () => {
    const raw = v2({
      exchange: EXCHANGE_ADDRESSES[2].negRisk,
      taker: EXCHANGE_ADDRESSES[2].negRisk,
      side: 'SELL',
      makerAmountFilled: 2n * P,
      takerAmountFilled: 1_400_000n,
    });
    expect(sightingFromFill(fillLog(raw))).toMatchObject({ role: 'taker', side: 'SELL', price: 700_000 });
  });

  it('maps a MINT (leader BUY NO crossing a BUY YES) as a BUY of NO at the NO price', () => {
    // The leader's row is its own order: BUY 10 NO for 3.00 (the YES buyer paid 7.00 for 10 YES).
    const raw = v2({
      taker: EXCHANGE_ADDRESSES[2].standard,
      tokenId: NO,
      side: 'BUY',
      makerAmountFilled: 3n * P,
      takerAmountFilled: 10n * P,
    });
    expect(sightingFromFill(fillLog(raw))).toMatchObject({
      tokenId: NO.toString(),
      side: 'BUY',
      price: 300_000,
      size: 10_000_000,
      usdc: 3_000_000,
      role: 'taker',
    });
  });

  it('maps a MERGE (leader SELL YES crossing a SELL NO) as a SELL of YES at the YES price', () => {
    const raw = v2({ side: 'SELL', tokenId: YES, makerAmountFilled: 5n * P, takerAmountFilled: 3_250_000n });
    expect(sightingFromFill(fillLog(raw))).toMatchObject({
      side: 'SELL',
      tokenId: YES.toString(),
      price: 650_000,
    });
  });

  it('lower-cases the leader, transaction and order hash; a gap-filled log is late, not backfill', () => {
    const orderHash = keccak256(toHex('Mixed')).toUpperCase().replace('0X', '0x') as Hex;
    const raw = v2({ side: 'BUY', makerAmountFilled: P, takerAmountFilled: 2n * P, orderHash });
    const s = sightingFromFill(fillLog(raw, 1_790_000_000_000, true));
    expect(s.leader).toBe(LEADER.toLowerCase());
    expect(s.part).toBe(orderHash.toLowerCase());
    expect(s.isBackfill).toBe(false);
  });

  it('refuses a fill of 0 shares, a price above 1, and amounts beyond the safe integer range', () => {
    const zero = v2({ side: 'BUY', makerAmountFilled: P, takerAmountFilled: 0n });
    expect(() => sightingFromFill(fillLog(zero))).toThrow(ValidationError);
    const above = v2({ side: 'BUY', makerAmountFilled: 3n * P, takerAmountFilled: 2n * P });
    expect(() => sightingFromFill(fillLog(above))).toThrow(ValidationError);
    const huge = v2({ side: 'SELL', makerAmountFilled: 2n ** 60n, takerAmountFilled: P });
    expect(() => sightingFromFill(fillLog(huge))).toThrow(MoneyError);
  });
});

describe('fillPrice and feeInCollateral', () => {
  it('rounds an average price half-even, explicitly', () => {
    expect(fillPrice(1_000_000, 3_000_000)).toBe(333_333);
    expect(fillPrice(2_000_000, 3_000_000)).toBe(666_667);
    // 1_234_567 / 2 = 617_283.5: a tie goes to the even neighbour.
    expect(fillPrice(1_234_567, 2_000_000)).toBe(617_284);
    expect(fillPrice(1_234_565, 2_000_000)).toBe(617_282);
    expect(fillPrice(1_000_000, 1_000_000)).toBe(1_000_000);
  });

  it('values a V1 BUY fee (in shares) at the fill price, truncated; takes other fees as they are', () => {
    const v1Buy = { version: 1, side: 'BUY', fee: 1_000_001n } as MinedOrderFilled;
    expect(feeInCollateral(v1Buy, 1_000_000, 3_000_000)).toBe(333_333);
    expect(feeInCollateral({ ...v1Buy, side: 'SELL' }, 1_000_000, 3_000_000)).toBe(1_000_001);
    expect(feeInCollateral({ ...v1Buy, version: 2 }, 1_000_000, 3_000_000)).toBe(1_000_001);
  });
});

describe('retractionFromRemoved', () => {
  it('names the same transaction, log index and order hash as the sighting it retracts', () => {
    const raw = {
      ...v2({ side: 'BUY', makerAmountFilled: P, takerAmountFilled: 2n * P, logIndex: 7 }),
      removed: true,
    };
    const fill = decodeOrderFilled(raw) as MinedOrderFilled;
    const r = retractionFromRemoved({ kind: 'removed', fill, receivedAtMs: 5, detectedBy: 'node', raw });
    const s = sightingFromFill(fillLog({ ...raw, removed: false }));
    expect(r).toEqual({
      kind: 'retract',
      source: 'chain',
      leader: s.leader,
      txHash: s.txHash,
      logIndex: 7,
      part: s.part,
      seenAtMs: 5,
    });
  });
});
