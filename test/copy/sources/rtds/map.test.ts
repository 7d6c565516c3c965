/** The RTDS mapping on the real capture: every field of every frame, in micro-units. */
import { describe, expect, it } from 'vitest';
import {
  rtdsAmounts,
  rtdsPart,
  rtdsRowIdentity,
  sightingFromRtds,
} from '../../../../src/copy/sources/rtds/index.ts';
import {
  type RtdsActivityTradeMessage,
  rtdsActivityTradeMessageSchema,
} from '../../../../src/polymarket/rtds/index.ts';
import { readSample } from '../../../support/shape.ts';

const RAW = readSample('rtds_activity_trades.json') as Record<string, unknown>[];
const FRAMES = RAW.map((m) => rtdsActivityTradeMessageSchema.parse(m));
const SEEN = 1_790_272_258_000;

function withPayload(m: RtdsActivityTradeMessage, patch: Record<string, unknown>): RtdsActivityTradeMessage {
  return rtdsActivityTradeMessageSchema.parse({ ...m, payload: { ...m.payload, ...patch } });
}

describe('sightingFromRtds on rtds_activity_trades.json', () => {
  // leader, tx prefix, side, outcome, index, size, price, usdc, fee (micro)
  const expected = [
    [
      '0xf5848342fc388908f2d25a9012cc18a0ad193979',
      '0x94cfdfa3',
      'BUY',
      'No',
      1,
      1_030_920_000,
      30_000,
      30_927_600,
      1_530_900,
    ],
    [
      '0x09bed1976600971fd9f9db454a9c302c7a559c32',
      '0x94cfdfa3',
      'BUY',
      'Yes',
      0,
      1_030_920_000,
      970_000,
      999_992_400,
      null,
    ],
    [
      '0xfea0bdcbb924c194283c4a7ea8a820877a8b26c9',
      '0x9bd5bf59',
      'BUY',
      'Yes',
      0,
      31_612_200,
      980_000,
      30_979_956,
      30_970,
    ],
    [
      '0xf1ee4842fa0c7283632185e42577027452d4519c',
      '0xa2ee0e67',
      'BUY',
      'Kawaii Kiwis',
      1,
      16_260_000,
      520_000,
      8_455_200,
      202_920,
    ],
    [
      '0x91a2bae9dc384b65ee9734ff58714fca8f24e415',
      '0xa2ee0e67',
      'BUY',
      'Guinea Pink',
      0,
      16_260_000,
      480_000,
      7_804_800,
      null,
    ],
  ] as const;

  it.each(expected.map((row, i) => [i, ...row]))(
    'frame %i: %s',
    (i, leader, tx, side, outcome, outcomeIndex, size, price, usdc, fee) => {
      const m = FRAMES[i]!;
      const part = rtdsPart(rtdsRowIdentity(m.payload), 0);
      const s = sightingFromRtds(m, { part, seenAtMs: SEEN, raw: RAW[i] });
      expect(s).toEqual({
        kind: 'fill',
        source: 'rtds',
        leader,
        txHash: m.payload.transactionHash.toLowerCase(),
        tokenId: m.payload.asset,
        conditionId: m.payload.conditionId.toLowerCase(),
        outcome,
        outcomeIndex,
        side,
        price,
        size,
        usdc,
        fee,
        role: null,
        blockNumber: null,
        logIndex: null,
        part: `${side}:${m.payload.asset}:${size}:${price}:0`,
        tradeTimeMs: 1_790_272_257_000, // payload seconds, not the envelope's ms
        seenAtMs: SEEN,
        isBackfill: false,
        raw: RAW[i],
      });
      expect(s.txHash.startsWith(tx)).toBe(true);
      expect(Number.isSafeInteger(s.size) && Number.isSafeInteger(s.usdc)).toBe(true);
    },
  );

  it('keeps the two sides of the MINT match apart: same tx and size, different wallets and tokens', () => {
    const [a, b] = [FRAMES[0]!, FRAMES[1]!];
    expect(a.payload.transactionHash).toBe(b.payload.transactionHash);
    expect(rtdsRowIdentity(a.payload)).not.toBe(rtdsRowIdentity(b.payload));
    expect(a.payload.proxyWallet.toLowerCase()).not.toBe(b.payload.proxyWallet.toLowerCase());
  });
});

describe('row identity and amounts', () => {
  const m = FRAMES[2]!;

  it('does not depend on how the wire printed a number', () => {
    const same = withPayload(m, { size: 31.612200000000001, price: 0.98 });
    expect(rtdsRowIdentity(same.payload)).toBe(rtdsRowIdentity(m.payload));
    expect(rtdsRowIdentity(withPayload(m, { size: 31.6123 }).payload)).not.toBe(rtdsRowIdentity(m.payload));
  });

  it('rounds values beyond 6 decimals to the nearest micro-unit', () => {
    expect(
      rtdsAmounts(withPayload(m, { size: 1.0000004, price: 0.1234565, fee: 0.0000015 }).payload),
    ).toEqual({
      size: 1_000_000,
      price: 123_456, // ties to even
      usdc: 123_456,
      fee: 2,
    });
  });

  it('maps an unknown outcome (index 999, empty label) to null', () => {
    const s = sightingFromRtds(withPayload(m, { outcomeIndex: 999, outcome: '' }), {
      part: 'p',
      seenAtMs: SEEN,
      raw: null,
    });
    expect(s.outcome).toBeNull();
    expect(s.outcomeIndex).toBeNull();
  });

  it('throws on an amount beyond the safe micro range (the source counts it as bad)', () => {
    expect(() => rtdsAmounts(withPayload(m, { size: 1e12 }).payload)).toThrow(/safe integer/);
  });
});
