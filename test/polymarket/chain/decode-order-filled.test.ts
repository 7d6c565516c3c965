/**
 * The src/polymarket/chain decoder against real Polygon logs (samples/order_filled_v*_log.json)
 * and the 21 real decoded V2 taker fills (samples/chain_order_filled_v2_taker_fees.json).
 */
import { getContractConfig } from '@polymarket/clob-client-v2';
import {
  type Address,
  encodeAbiParameters,
  encodeEventTopics,
  getAbiItem,
  type Hex,
  keccak256,
  pad,
  toEventSelector,
  toHex,
} from 'viem';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/core/errors.ts';
import {
  addressTopic,
  decodeOrderFilled,
  decodeOrdersMatched,
  EXCHANGE_ADDRESSES,
  EXCHANGE_TOPICS,
  exchangeEventOf,
  exchangeV1EventsAbi,
  exchangeV2EventsAbi,
  knownExchange,
} from '../../../src/polymarket/chain/index.ts';
import { readSample } from '../../support/shape.ts';

interface SampleLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  transactionHash: string;
  transactionIndex: string;
  blockHash: string;
  logIndex: string;
  removed: boolean;
}

const v2Log = readSample('order_filled_v2_log.json') as SampleLog;
const v1Log = readSample('order_filled_v1_log.json') as SampleLog;

describe('decodeOrderFilled on real logs', () => {
  it('decodes the V2 sample: a SELL of 4.18 shares for 3.9292 pUSD (price 0.94), maker row', () => {
    const e = decodeOrderFilled(v2Log);
    expect(e).toMatchObject({
      version: 2,
      exchange: '0xE111180000d2663C0091e4f400237545B87B996B',
      exchangeKind: 'standard',
      orderHash: '0xbfbc54d2a0c2b5b92f572efba77f1c1fa61550d04600fc4f0f1ce420efa08da0',
      maker: '0xa253d75C2DfB2C6650291D5E8d54076D2fb40181',
      taker: '0x92c9AD93BA0e400FfC8D716eDf70a588D246bdE3',
      role: 'MAKER',
      side: 'SELL',
      tokenId: 0xcd997ada6ab1e2cc68c6566e5142cdc885a275d4fa5a1e13b3fdccf22a3f2340n,
      makerAmountFilled: 4_180_000n,
      takerAmountFilled: 3_929_200n,
      shares: 4_180_000n,
      collateral: 3_929_200n,
      fee: 0n,
      builder: `0x${'0'.repeat(64)}`,
      metadata: `0x${'0'.repeat(64)}`,
      blockNumber: 90_840_326,
      blockHash: '0x6fd9b83c01f7d00dec9a7e69fc8427b0b98127e116b02108eeab4cece60ec924',
      transactionHash: '0x21d27b0fde210ccb5e6480e3f479f342743aa1f854199d57cafab2553d9a516e',
      transactionIndex: 0x38,
      logIndex: 0x215,
      removed: false,
    });
    expect((e.collateral * 1_000_000n) / e.shares).toBe(940_000n);
  });

  it('decodes the V1 sample: makerAssetId 0 means a BUY of 17.7 shares for 7.434 USDC, fee 1.77', () => {
    const e = decodeOrderFilled(v1Log);
    expect(e).toMatchObject({
      version: 1,
      exchange: '0x4bFb41d5B3570DeFd03C39a9A4D8dE6Bd8B8982E',
      exchangeKind: 'standard',
      orderHash: '0xcad66ce0a358cde360f7565f226a7749c1fa08648b57ec3ffd0bf6c0f8a46b8b',
      maker: '0x00000003A358014C7C0e227483dbe01619871000',
      taker: '0xE55b90FeBeA370d4611a4b0A9FF201183268B24e',
      role: 'MAKER',
      side: 'BUY',
      tokenId: 0xfdee4e7856e0a259cea17232d8e548f7309655d49c1eac7fe5813a188c3b4b2cn,
      makerAmountFilled: 7_434_000n,
      takerAmountFilled: 17_700_000n,
      collateral: 7_434_000n,
      shares: 17_700_000n,
      fee: 1_770_000n,
      builder: null,
      metadata: null,
      blockNumber: 81_344_785,
      logIndex: 0x54d,
    });
    expect((e.collateral * 1_000_000n) / e.shares).toBe(420_000n);
  });

  it('accepts viem-formatted logs (bigint blockNumber, number logIndex)', () => {
    const e = decodeOrderFilled({ ...v2Log, blockNumber: 90_840_326n, logIndex: 533, transactionIndex: 56 });
    expect(e.blockNumber).toBe(90_840_326);
    expect(e.logIndex).toBe(533);
  });

  it('reads a log outside a block (no position) with null position fields', () => {
    const { address, topics, data } = v2Log;
    const e = decodeOrderFilled({ address, topics, data });
    expect(e).toMatchObject({ blockNumber: null, transactionHash: null, logIndex: null, removed: false });
  });

  it('marks the taker order row (taker = the exchange) as TAKER', () => {
    const topics = [...v2Log.topics];
    topics[3] = addressTopic(EXCHANGE_ADDRESSES[2].standard);
    expect(decodeOrderFilled({ ...v2Log, topics }).role).toBe('TAKER');
  });

  it('gives no exchange kind to a log from another contract, or a V2 event from a V1 address', () => {
    expect(decodeOrderFilled({ ...v2Log, address: `0x${'12'.repeat(20)}` }).exchangeKind).toBeNull();
    expect(decodeOrderFilled({ ...v2Log, address: EXCHANGE_ADDRESSES[1].standard }).exchangeKind).toBeNull();
  });
});

describe('decodeOrderFilled on the 21 real V2 taker fills (sample rows encoded as logs)', () => {
  interface FeeRow {
    exchange: 'standard' | 'neg_risk';
    side: 'BUY' | 'SELL';
    maker_amount_filled: string;
    taker_amount_filled: string;
    fee: string;
    price: string;
    fee_rate: string;
  }
  const rows = readSample('chain_order_filled_v2_taker_fees.json') as FeeRow[];

  it('has the 21 rows', () => {
    expect(rows).toHaveLength(21);
  });

  it.each(rows.map((row, i) => [i, row] as const))(
    'row %i: side, amounts, price and fee read back',
    (i, row) => {
      const exchange =
        row.exchange === 'standard' ? EXCHANGE_ADDRESSES[2].standard : EXCHANGE_ADDRESSES[2].negRisk;
      const log = v2OrderFilledLog({
        exchange,
        orderHash: keccak256(toHex(`row-${i}`)),
        maker: '0x92c9AD93BA0e400FfC8D716eDf70a588D246bdE3',
        taker: exchange,
        side: row.side === 'BUY' ? 0 : 1,
        tokenId: 12345n,
        makerAmountFilled: BigInt(row.maker_amount_filled),
        takerAmountFilled: BigInt(row.taker_amount_filled),
        fee: BigInt(row.fee),
      });
      const e = decodeOrderFilled(log);
      expect(e.side).toBe(row.side);
      expect(e.role).toBe('TAKER');
      expect(e.exchangeKind).toBe(row.exchange === 'standard' ? 'standard' : 'negRisk');
      // The decoder's shares/collateral split by side gives the sample's price...
      const decimals = row.price.split('.')[1]!.length;
      expect((Number(e.collateral) / Number(e.shares)).toFixed(decimals)).toBe(row.price);
      // ...and the sample's fee: shares x rate x p(1-p), truncated to 5 decimals (reference §8.1).
      const [rate, p] = [ratio(row.fee_rate), ratio(row.price)];
      const exact = (e.shares * rate.n * p.n * (p.d - p.n)) / (rate.d * p.d * p.d);
      expect(e.fee).toBe((exact / 10n) * 10n);
    },
  );
});

describe('decodeOrdersMatched', () => {
  it('decodes a V2 OrdersMatched: the taker order totals', () => {
    const orderHash = keccak256(toHex('taker'));
    const log = {
      address: EXCHANGE_ADDRESSES[2].negRisk,
      topics: encodeEventTopics({
        abi: exchangeV2EventsAbi,
        eventName: 'OrdersMatched',
        args: { takerOrderHash: orderHash, takerOrderMaker: '0xa253d75C2DfB2C6650291D5E8d54076D2fb40181' },
      }),
      data: encodeAbiParameters(
        [{ type: 'uint8' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }],
        [0, 77n, 6_000_000n, 10_000_000n],
      ),
      blockNumber: '0x10',
      logIndex: '0x3',
    };
    expect(decodeOrdersMatched(log)).toMatchObject({
      version: 2,
      exchangeKind: 'negRisk',
      takerOrderHash: orderHash,
      takerOrderMaker: '0xa253d75C2DfB2C6650291D5E8d54076D2fb40181',
      side: 'BUY',
      tokenId: 77n,
      makerAmountFilled: 6_000_000n,
      takerAmountFilled: 10_000_000n,
      blockNumber: 16,
      logIndex: 3,
    });
  });

  it('decodes a V1 OrdersMatched, the side from which asset id is 0', () => {
    const log = {
      address: EXCHANGE_ADDRESSES[1].standard,
      topics: encodeEventTopics({
        abi: exchangeV1EventsAbi,
        eventName: 'OrdersMatched',
        args: {
          takerOrderHash: keccak256(toHex('t')),
          takerOrderMaker: '0x92c9AD93BA0e400FfC8D716eDf70a588D246bdE3',
        },
      }),
      data: encodeAbiParameters(
        [{ type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }],
        [99n, 0n, 5_000_000n, 2_000_000n],
      ),
    };
    expect(decodeOrdersMatched(log)).toMatchObject({ version: 1, side: 'SELL', tokenId: 99n });
  });
});

describe('event ABIs, topics and addresses', () => {
  it('topic0 constants are the keccak of the ABIs, and match the real logs', () => {
    for (const [abi, topics] of [
      [exchangeV2EventsAbi, EXCHANGE_TOPICS[2]],
      [exchangeV1EventsAbi, EXCHANGE_TOPICS[1]],
    ] as const) {
      for (const [name, topic] of Object.entries(topics)) {
        const item = getAbiItem({ abi: abi as typeof exchangeV2EventsAbi, name: name as 'OrderFilled' });
        expect(toEventSelector(item), name).toBe(topic);
      }
    }
    expect(v2Log.topics[0]).toBe(EXCHANGE_TOPICS[2].OrderFilled);
    expect(v1Log.topics[0]).toBe(EXCHANGE_TOPICS[1].OrderFilled);
  });

  it('names the event and generation of a topic0', () => {
    expect(exchangeEventOf(EXCHANGE_TOPICS[2].OrdersMatched)).toEqual({ name: 'OrdersMatched', version: 2 });
    expect(exchangeEventOf(EXCHANGE_TOPICS[1].OrderFilled.toUpperCase().replace('0X', '0x'))).toEqual({
      name: 'OrderFilled',
      version: 1,
    });
    expect(exchangeEventOf(EXCHANGE_TOPICS[2].FeeCharged)).toBeUndefined();
  });

  it('exchange addresses equal the official client config for chain 137', () => {
    const config = getContractConfig(137) as unknown as Record<string, string>;
    expect(EXCHANGE_ADDRESSES[2].standard).toBe(config.exchangeV2);
    expect(EXCHANGE_ADDRESSES[2].negRisk).toBe(config.negRiskExchangeV2);
    expect(EXCHANGE_ADDRESSES[1].standard).toBe(config.exchange);
    expect(EXCHANGE_ADDRESSES[1].negRisk).toBe(config.negRiskExchange);
    expect(knownExchange(v2Log.address)).toEqual({
      version: 2,
      kind: 'standard',
      address: config.exchangeV2,
    });
  });

  it('addressTopic left-pads an address as in topics 2 and 3', () => {
    expect(addressTopic('0xa253d75C2DfB2C6650291D5E8d54076D2fb40181')).toBe(v2Log.topics[2]);
  });
});

describe('decodeOrderFilled refuses what it cannot vouch for', () => {
  it.each([
    ['not an object', 42],
    ['no topics', { ...v2Log, topics: undefined }],
    ['a bad address', { ...v2Log, address: '0x1234' }],
    ['a short topic', { ...v2Log, topics: [v2Log.topics[0], '0x12'] }],
    ['odd hex data', { ...v2Log, data: '0x123' }],
    [
      'an OrdersMatched topic0',
      { ...v2Log, topics: [EXCHANGE_TOPICS[2].OrdersMatched, ...v2Log.topics.slice(1)] },
    ],
    ['an unknown topic0', { ...v2Log, topics: [pad('0x01', { size: 32 }), ...v2Log.topics.slice(1)] }],
    ['truncated data', { ...v2Log, data: v2Log.data.slice(0, 66) }],
    ['a missing indexed topic', { ...v2Log, topics: v2Log.topics.slice(0, 3) }],
    ['side 2', { ...v2Log, data: `0x${'2'.padStart(64, '0')}${v2Log.data.slice(66)}` }],
    ['a block number beyond 2^53', { ...v2Log, blockNumber: '0xffffffffffffffff' }],
  ])('throws ValidationError for %s', (_name, log) => {
    expect(() => decodeOrderFilled(log)).toThrow(ValidationError);
  });

  it('throws for a V1 row where neither asset is collateral', () => {
    const log = v1OrderFilledLog(5n, 6n);
    expect(() => decodeOrderFilled(log)).toThrow(/exactly one of makerAssetId and takerAssetId/);
  });
});

function ratio(decimal: string): { n: bigint; d: bigint } {
  const [whole, frac = ''] = decimal.split('.');
  return { n: BigInt(`${whole}${frac}`), d: 10n ** BigInt(frac.length) };
}

function v2OrderFilledLog(f: {
  exchange: Address;
  orderHash: Hex;
  maker: Address;
  taker: Address;
  side: number;
  tokenId: bigint;
  makerAmountFilled: bigint;
  takerAmountFilled: bigint;
  fee: bigint;
}) {
  const zero = pad('0x', { size: 32 });
  return {
    address: f.exchange,
    topics: encodeEventTopics({
      abi: exchangeV2EventsAbi,
      eventName: 'OrderFilled',
      args: { orderHash: f.orderHash, maker: f.maker, taker: f.taker },
    }),
    data: encodeAbiParameters(
      ['uint8', 'uint256', 'uint256', 'uint256', 'uint256', 'bytes32', 'bytes32'].map((type) => ({ type })),
      [f.side, f.tokenId, f.makerAmountFilled, f.takerAmountFilled, f.fee, zero, zero],
    ),
  };
}

function v1OrderFilledLog(makerAssetId: bigint, takerAssetId: bigint) {
  return {
    address: EXCHANGE_ADDRESSES[1].standard,
    topics: v1Log.topics,
    data: encodeAbiParameters(
      ['uint256', 'uint256', 'uint256', 'uint256', 'uint256'].map((type) => ({ type })),
      [makerAssetId, takerAssetId, 1n, 1n, 0n],
    ),
  };
}
