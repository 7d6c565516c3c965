/** Shared by the chain source tests: a running source that records what it hands on. */
import type { Counter } from 'prom-client';
import {
  type Address,
  encodeAbiParameters,
  encodeEventTopics,
  type Hex,
  keccak256,
  numberToHex,
  parseAbiParameters,
  toHex,
} from 'viem';
import type {
  LeaderFillRetraction,
  LeaderFillSighting,
  LeaderSighting,
} from '../../../../src/copy/sighting.ts';
import {
  type ChainSource,
  type ChainSourceOptions,
  startChainSource,
} from '../../../../src/copy/sources/chain/index.ts';
import {
  type ChainGap,
  EXCHANGE_ADDRESSES,
  exchangeV2EventsAbi,
} from '../../../../src/polymarket/chain/index.ts';

export interface Recorder {
  source: ChainSource;
  all: LeaderSighting[];
  gaps: ChainGap[];
  fills(): LeaderFillSighting[];
  retractions(): LeaderFillRetraction[];
  /** Sightings of one transaction, in delivery order. */
  ofTx(txHash: Hex): LeaderSighting[];
}

/** Starts a chain source on `url` with test-friendly defaults (fixed jitter, short backoff). */
export function record(
  url: string,
  leaders: readonly string[],
  options: Partial<ChainSourceOptions> = {},
): Recorder {
  const all: LeaderSighting[] = [];
  const gaps: ChainGap[] = [];
  const source = startChainSource({
    url,
    leaders,
    random: () => 0.5,
    backoff: { initialMs: 50, maxMs: 400 },
    staleAfterMs: Number.POSITIVE_INFINITY,
    onSighting: (s) => {
      all.push(s);
    },
    onGap: (g) => {
      gaps.push(g);
    },
    ...options,
  });
  return {
    source,
    all,
    gaps,
    fills: () => all.filter((s): s is LeaderFillSighting => s.kind === 'fill'),
    retractions: () => all.filter((s): s is LeaderFillRetraction => s.kind === 'retract'),
    ofTx: (txHash) => all.filter((s) => s.txHash === txHash.toLowerCase()),
  };
}

/** A V2 `OrderFilled` log as a node serves it (JSON-RPC hex fields), for hand-made cases. */
export interface LogSpec {
  exchange?: Address;
  orderHash?: Hex;
  maker: Address;
  taker: Address;
  side: 'BUY' | 'SELL';
  tokenId: bigint;
  makerAmountFilled: bigint;
  takerAmountFilled: bigint;
  fee?: bigint;
  blockNumber?: number;
  blockHash?: Hex;
  transactionHash?: Hex;
  logIndex?: number;
  removed?: boolean;
  /** Some nodes add it; left out by default. */
  blockTimestamp?: number;
}

export function orderFilledLog(spec: LogSpec): Record<string, unknown> {
  const topics = encodeEventTopics({
    abi: exchangeV2EventsAbi,
    eventName: 'OrderFilled',
    args: { orderHash: spec.orderHash ?? keccak256(toHex('order')), maker: spec.maker, taker: spec.taker },
  });
  const data = encodeAbiParameters(
    parseAbiParameters('uint8, uint256, uint256, uint256, uint256, bytes32, bytes32'),
    [
      spec.side === 'BUY' ? 0 : 1,
      spec.tokenId,
      spec.makerAmountFilled,
      spec.takerAmountFilled,
      spec.fee ?? 0n,
      ZERO32,
      ZERO32,
    ],
  );
  return {
    address: (spec.exchange ?? EXCHANGE_ADDRESSES[2].standard).toLowerCase(),
    topics,
    data,
    blockNumber: numberToHex(spec.blockNumber ?? 100),
    blockHash: spec.blockHash ?? keccak256(toHex(`block-${spec.blockNumber ?? 100}`)),
    transactionHash: spec.transactionHash ?? keccak256(toHex('tx')),
    transactionIndex: '0x0',
    logIndex: numberToHex(spec.logIndex ?? 0),
    removed: spec.removed ?? false,
    ...(spec.blockTimestamp === undefined ? {} : { blockTimestamp: numberToHex(spec.blockTimestamp) }),
  };
}

const ZERO32: Hex = `0x${'0'.repeat(64)}`;

/** The current value of a labelled counter (metrics are process-wide: tests compare deltas). */
export async function counterValue(counter: Counter<'source'>, source: string): Promise<number> {
  return (await counter.get()).values.find((v) => v.labels.source === source)?.value ?? 0;
}
