/**
 * `startChain`: the simulator's Polygon. A real EVM (EDR) in-process on chain id 137, with
 * SimExchange's code at the real CTF Exchange V2 and NegRisk CTF Exchange V2 addresses, blocks
 * every `blockTimeMs`, and a JSON-RPC endpoint (HTTP + websocket) on 127.0.0.1.
 */
import { type Address, type Hex, hexToBytes, numberToHex } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { type Clock, describeError, systemClock } from '../../core/index.ts';
import { EXCHANGE_ADDRESSES, type ExchangeKind, POLYGON_CHAIN_ID } from '../../polymarket/chain/index.ts';
import {
  BlockProducer,
  type BlockSummary,
  ChainStoppedError,
  type ReorgResult,
  type SettledTx,
} from './block-producer.ts';
import { compileSimExchange } from './contract/compile.ts';
import { runtimeCodeFor } from './contract/runtime-code.ts';
import { createEdrProvider } from './edr.ts';
import { type ChainMatch, encodeSettleCall, settleGas, validateMatch } from './match.ts';
import { RpcHandler } from './rpc-handler.ts';
import { startRpcServer } from './rpc-server.ts';
import { SubscriptionHub } from './subscriptions.ts';

export interface ChainOptions {
  /** Port for HTTP and websocket JSON-RPC; 0 (default) picks a free one. Always on 127.0.0.1. */
  port?: number;
  /** Interval mining period, default 2000 (Polygon's block time); 0 mines only on `mineNow`. */
  blockTimeMs?: number;
  /** Deepest reorg supported, default 64; 0 disables reorgs and the per-block EDR snapshots. */
  maxReorgDepth?: number;
  /** The operator's private key; default a fresh random key, so no client can sign as operator. */
  operatorKey?: Hex;
  /** Block timestamps and the mining interval follow this clock; default the system clock. */
  clock?: Clock;
  /** Where compiled SimExchange is cached; default `<tmp>/polyhunter-sim-chain`, null for none. */
  compileCacheDir?: string | null;
  /** Errors of interval mining, which no caller awaits; default: a process warning. */
  onError?: (error: unknown) => void;
}

/** A settled match: its transaction, and where that landed. */
export type SettledMatch = SettledTx;

export interface SubmittedMatch {
  txHash: Hex;
  /** Resolves once mined (the next block); the same value `settleMatch` resolves with. */
  mined: Promise<SettledMatch>;
}

export interface Chain {
  readonly chainId: number;
  readonly httpUrl: string;
  readonly wsUrl: string;
  /** The only account the exchange contracts accept fills from. */
  readonly operator: Address;
  /** The addresses SimExchange runs at: the real V2 exchanges. */
  readonly exchanges: Readonly<Record<ExchangeKind, Address>>;
  /**
   * Sends the match's settle transaction; resolves with its hash once it is in the mempool (the
   * CLOB reports transaction hashes at match time).
   */
  submitMatch(match: ChainMatch): Promise<SubmittedMatch>;
  /** Sends the match's settle transaction and resolves when a block includes it. */
  settleMatch(match: ChainMatch): Promise<SettledMatch>;
  /** Mines a block now (with everything pending), besides the interval. */
  mineNow(): Promise<BlockSummary>;
  /** Replaces the last `depth` blocks: subscribers get their logs with `removed: true`. */
  reorg(depth: number): Promise<ReorgResult>;
  head(): BlockSummary;
  /** Live `eth_subscribe` subscriptions over all connections (tests wait on it; health). */
  subscriptionCount(): number;
  /**
   * Fault: cuts every websocket connection (no close frame), ending their subscriptions, as a
   * provider outage or a network cut does; clients may reconnect at once. Returns how many.
   */
  dropConnections(): number;
  /** Stops mining and the servers; settlements not yet mined reject with ChainStoppedError. */
  stop(): Promise<void>;
}

const OPERATOR_BALANCE = 10n ** 30n;
/** Polygon's block gas limit. */
const BLOCK_GAS_LIMIT = 45_000_000n;
const GWEI = 1_000_000_000n;
/** A fixed, very high fee cap keeps a settle's hash the same when it is re-sent after a reorg. */
const MAX_FEE_PER_GAS = 1_000_000n * GWEI;
const MAX_PRIORITY_FEE_PER_GAS = 30n * GWEI;

function warn(error: unknown): void {
  process.emitWarning(`simulator chain: interval block failed: ${describeError(error)}`);
}

export async function startChain(options: ChainOptions = {}): Promise<Chain> {
  const blockTimeMs = options.blockTimeMs ?? 2000;
  const maxReorgDepth = options.maxReorgDepth ?? 64;
  if (!Number.isFinite(blockTimeMs) || blockTimeMs < 0) throw new RangeError('blockTimeMs must be >= 0');
  if (!Number.isInteger(maxReorgDepth) || maxReorgDepth < 0)
    throw new RangeError('maxReorgDepth must be an integer >= 0');
  const clock = options.clock ?? systemClock;
  const operatorKey = options.operatorKey ?? generatePrivateKey();
  const operator = privateKeyToAddress(operatorKey);

  const compiled = await compileSimExchange({ cacheDir: options.compileCacheDir });
  const code = hexToBytes(runtimeCodeFor(compiled, operator));
  const exchanges = {
    standard: EXCHANGE_ADDRESSES[2].standard,
    negRisk: EXCHANGE_ADDRESSES[2].negRisk,
  } as const satisfies Record<ExchangeKind, Address>;
  const edr = await createEdrProvider({
    chainId: BigInt(POLYGON_CHAIN_ID),
    genesis: [
      { address: hexToBytes(exchanges.standard), code },
      { address: hexToBytes(exchanges.negRisk), code },
      { address: hexToBytes(operator), balance: OPERATOR_BALANCE },
    ],
    ownedKeys: [operatorKey],
    blockGasLimit: BLOCK_GAS_LIMIT,
    initialBaseFeePerGas: GWEI,
    genesisTimestamp: BigInt(Math.floor(clock.now() / 1000)),
  });

  const hub = new SubscriptionHub();
  const producer = new BlockProducer(edr, hub, clock, maxReorgDepth);
  await producer.init();
  const server = await startRpcServer({ port: options.port ?? 0, handler: new RpcHandler(edr, hub), hub });
  producer.startInterval(blockTimeMs, options.onError ?? warn);

  let stopping: Promise<void> | undefined;

  const submitMatch = (match: ChainMatch): Promise<SubmittedMatch> => {
    if (stopping) return Promise.reject(new ChainStoppedError());
    try {
      validateMatch(match);
    } catch (err) {
      return Promise.reject(err);
    }
    return producer.submit({
      from: operator,
      to: exchanges[match.exchange],
      data: encodeSettleCall(match),
      gas: numberToHex(settleGas(match.makers.length)),
      maxFeePerGas: numberToHex(MAX_FEE_PER_GAS),
      maxPriorityFeePerGas: numberToHex(MAX_PRIORITY_FEE_PER_GAS),
    });
  };

  return {
    chainId: POLYGON_CHAIN_ID,
    httpUrl: server.httpUrl,
    wsUrl: server.wsUrl,
    operator,
    exchanges,
    submitMatch,
    async settleMatch(match) {
      const submitted = await submitMatch(match);
      return submitted.mined;
    },
    mineNow: () => producer.mine(),
    reorg: (depth) => producer.reorg(depth),
    head: () => producer.head(),
    subscriptionCount: () => hub.size,
    dropConnections: () => server.dropAll(),
    stop() {
      stopping ??= (async () => {
        await producer.stop();
        await server.close();
      })();
      return stopping;
    },
  };
}
