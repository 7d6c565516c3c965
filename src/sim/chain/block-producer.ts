/**
 * Produces the simulator's chain: sends settle transactions, mines blocks (on an interval or on
 * demand), tells subscribers about each block and its logs, and performs reorgs.
 *
 * Reorgs use EDR snapshots: one is taken after each block while the block is inside the reorg
 * window. `reorg(depth)` reverts to the snapshot of the block `depth` below the head, sends the
 * removed logs again with `removed: true` (ascending chain order, as geth does), re-sends the
 * simulator's own transactions from the removed blocks and those still pending (same parameters and
 * nonces, hence the same hashes), and mines `depth + 1` new blocks, so the new branch ends one
 * block higher than the old one, as a winning fork would. Foreign transactions (a client's
 * `eth_sendRawTransaction`) in removed blocks are dropped: EDR cannot hand back their raw bytes.
 */
import type { Address, Hex } from 'viem';
import { type Clock, randomToken } from '../../core/index.ts';
import type { EdrRpc } from './edr.ts';
import type { RpcLog } from './log-filter.ts';
import { SerialQueue } from './serial-queue.ts';
import type { SubscriptionHub } from './subscriptions.ts';

/** `eth_sendTransaction` parameters, kept so the same transaction can be sent again after a reorg. */
export interface TxRequest {
  from: Address;
  to: Address;
  data: Hex;
  gas: Hex;
  maxFeePerGas: Hex;
  maxPriorityFeePerGas: Hex;
}

export interface BlockSummary {
  number: number;
  hash: Hex;
  /** Seconds since the epoch. */
  timestamp: number;
  transactionCount: number;
}

/** Where a transaction landed. */
export interface SettledTx {
  txHash: Hex;
  blockNumber: number;
  blockHash: Hex;
  /** Seconds since the epoch. */
  blockTimestamp: number;
  /** Block-wide indexes of the transaction's logs, ascending. */
  logIndexes: number[];
}

export interface SubmittedTx {
  txHash: Hex;
  /** Resolves when the transaction is mined; rejects if it reverts or the chain stops first. */
  mined: Promise<SettledTx>;
}

export interface ReorgResult {
  /** The blocks taken out of the chain, ascending. */
  removedBlocks: { number: number; hash: Hex }[];
  /** How many logs subscribers received again with `removed: true`. */
  removedLogCount: number;
  /** The simulator's transactions from the removed blocks, with their place in the new branch. */
  reincluded: SettledTx[];
  /** Other transactions from the removed blocks, not re-included. */
  droppedTxHashes: Hex[];
  head: BlockSummary;
}

interface BlockRecord extends BlockSummary {
  /** The block as `eth_getBlockByNumber` gave it, minus the transaction list. */
  header: Record<string, unknown>;
  logs: RpcLog[];
  transactions: Hex[];
  /** EDR snapshot taken right after this block was mined; reverting to it makes it the head. */
  snapshotId: string | null;
}

interface TrackedTx {
  hash: Hex;
  request: TxRequest;
  settled: SettledTx | null;
  /** The submitter's promise, until it is settled. */
  waiter: { resolve(s: SettledTx): void; reject(e: Error): void } | null;
}

interface RpcBlock {
  number: Hex;
  hash: Hex;
  timestamp: Hex;
  transactions: Hex[];
  [field: string]: unknown;
}

export class ChainStoppedError extends Error {
  constructor(message = 'the simulator chain was stopped') {
    super(message);
    this.name = 'ChainStoppedError';
  }
}

export class BlockProducer {
  readonly #edr: EdrRpc;
  readonly #hub: SubscriptionHub;
  readonly #clock: Clock;
  readonly #maxReorgDepth: number;
  readonly #queue = new SerialQueue();
  /** Recent blocks, oldest first; the last is the head. Holds up to maxReorgDepth + 1 blocks. */
  readonly #history: BlockRecord[] = [];
  /** Sent and not yet mined, in send (= nonce) order. */
  readonly #pending = new Map<Hex, TrackedTx>();
  /** Mined in a block still inside the reorg window. */
  readonly #minedOwn = new Map<Hex, TrackedTx>();
  #stopped = false;
  #cancelTimer: (() => void) | null = null;
  #mineQueued = false;

  constructor(edr: EdrRpc, hub: SubscriptionHub, clock: Clock, maxReorgDepth: number) {
    this.#edr = edr;
    this.#hub = hub;
    this.#clock = clock;
    this.#maxReorgDepth = maxReorgDepth;
  }

  /** Records the genesis block (and its snapshot); call once before anything else. */
  async init(): Promise<void> {
    await this.#queue.run(async () => {
      this.#history.push(await this.#recordBlock(await this.#latestBlock()));
    });
  }

  head(): BlockSummary {
    return summary(this.#history.at(-1)!);
  }

  /**
   * Mines a block every `intervalMs` until stopped; 0 leaves mining to `mine()`. A failed interval
   * block is reported to `onError` (no caller awaits it); the next tick tries again.
   */
  startInterval(intervalMs: number, onError: (error: unknown) => void): void {
    if (intervalMs <= 0 || this.#stopped) return;
    const tick = (): void => {
      this.#cancelTimer = this.#clock.setTimer(intervalMs, tick);
      // A tick while the previous block is still being mined adds nothing: skip it.
      if (this.#mineQueued) return;
      this.#mineQueued = true;
      this.mine()
        .catch((error: unknown) => {
          if (!(error instanceof ChainStoppedError)) onError(error);
        })
        .finally(() => {
          this.#mineQueued = false;
        });
    };
    this.#cancelTimer = this.#clock.setTimer(intervalMs, tick);
  }

  /** Sends a transaction to the mempool; it is mined with the next block. */
  submit(request: TxRequest): Promise<SubmittedTx> {
    return this.#queue.run(async () => {
      this.#assertRunning();
      const hash = await this.#edr.call<Hex>('eth_sendTransaction', [request]);
      const tracked: TrackedTx = { hash, request, settled: null, waiter: null };
      const mined = new Promise<SettledTx>((resolve, reject) => {
        tracked.waiter = { resolve, reject };
      });
      // The caller may never look at `mined`; a rejection (stop) must not become unhandled.
      mined.catch(() => {});
      this.#pending.set(hash, tracked);
      return { txHash: hash, mined };
    });
  }

  /** Mines one block now with everything pending. */
  mine(): Promise<BlockSummary> {
    return this.#queue.run(async () => {
      this.#assertRunning();
      return summary(await this.#mineLocked());
    });
  }

  /** Replaces the last `depth` blocks with a new branch of `depth + 1` blocks (see file comment). */
  reorg(depth: number): Promise<ReorgResult> {
    return this.#queue.run(async () => {
      this.#assertRunning();
      const available = Math.min(this.#maxReorgDepth, this.#history.length - 1);
      if (!Number.isInteger(depth) || depth < 1 || depth > available) {
        throw new RangeError(
          `reorg depth must be an integer in 1..${available} (max depth ${this.#maxReorgDepth}, ${this.#history.length - 1} blocks in the window), got ${depth}`,
        );
      }
      const targetIndex = this.#history.length - 1 - depth;
      const target = this.#history[targetIndex]!;
      const removed = this.#history.slice(targetIndex + 1);
      const { reincluded, dropped } = this.#takeBackMined(removed);
      // Re-sent in nonce order: first those of the removed blocks, then those still pending.
      const resend = [...reincluded, ...this.#pending.values()];
      this.#pending.clear();

      const reverted = await this.#edr.call<boolean>('evm_revert', [target.snapshotId]);
      if (!reverted) throw new Error(`EDR refused to revert to snapshot ${target.snapshotId}`);
      this.#history.length = targetIndex + 1;
      // Reverting consumed the target's snapshot (and every later one).
      target.snapshotId = await this.#edr.call<string>('evm_snapshot');

      const removedLogCount = this.#publishRemoved(removed);
      await this.#resend(resend);
      // Same parent, transactions and second would give the same block hash again: a new
      // prevRandao makes the branch a different one, as a real competing fork is.
      await this.#edr.call('hardhat_setPrevRandao', [`0x${randomToken(32)}`]);
      for (let i = 0; i <= depth; i++) await this.#mineLocked();

      return {
        removedBlocks: removed.map((b) => ({ number: b.number, hash: b.hash })),
        removedLogCount,
        reincluded: reincluded.flatMap((tx) => (tx.settled ? [tx.settled] : [])),
        droppedTxHashes: dropped,
        head: this.head(),
      };
    });
  }

  /** Stops mining, waits for the operation in progress, and fails what was never mined. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    await this.#queue.idle();
    for (const tx of this.#pending.values()) {
      tx.waiter?.reject(
        new ChainStoppedError('the simulator chain stopped before the transaction was mined'),
      );
      tx.waiter = null;
    }
    this.#pending.clear();
  }

  /** The simulator's transactions in `removed` blocks (to re-send), and the others (dropped). */
  #takeBackMined(removed: readonly BlockRecord[]): { reincluded: TrackedTx[]; dropped: Hex[] } {
    const reincluded: TrackedTx[] = [];
    const dropped: Hex[] = [];
    for (const block of removed) {
      for (const hash of block.transactions) {
        const own = this.#minedOwn.get(hash);
        if (!own) {
          dropped.push(hash);
          continue;
        }
        this.#minedOwn.delete(hash);
        own.settled = null;
        reincluded.push(own);
      }
    }
    return { reincluded, dropped };
  }

  /** Sends the removed blocks' logs again with `removed: true`, oldest first; returns how many. */
  #publishRemoved(removed: readonly BlockRecord[]): number {
    let count = 0;
    for (const block of removed) {
      const logs = block.logs.map((log) => ({ ...log, removed: true }));
      count += logs.length;
      this.#hub.publishLogs(logs);
    }
    return count;
  }

  /** Sends transactions again with their original parameters; nonces, hence hashes, repeat. */
  async #resend(txs: readonly TrackedTx[]): Promise<void> {
    // The restored mempool may hold some already; drop them so each is sent once, in order.
    for (const tx of txs) await this.#edr.request('hardhat_dropTransaction', [tx.hash]);
    for (const tx of txs) {
      tx.hash = await this.#edr.call<Hex>('eth_sendTransaction', [tx.request]);
      this.#pending.set(tx.hash, tx);
    }
  }

  #assertRunning(): void {
    if (this.#stopped) throw new ChainStoppedError();
  }

  async #mineLocked(): Promise<BlockRecord> {
    const parent = this.#history.at(-1)!;
    // Wall-clock timestamps from the injected clock, never going backwards.
    const timestamp = Math.max(Math.floor(this.#clock.now() / 1000), parent.timestamp);
    await this.#edr.call('evm_mine', [timestamp]);
    const record = await this.#recordBlock(await this.#latestBlock());

    this.#history.push(record);
    this.#trimHistory();
    this.#hub.publishHead(headerOf(record));
    this.#hub.publishLogs(record.logs);
    await this.#settleIncluded(record);
    return record;
  }

  async #latestBlock(): Promise<RpcBlock> {
    return this.#edr.call<RpcBlock>('eth_getBlockByNumber', ['latest', false]);
  }

  async #recordBlock(block: RpcBlock): Promise<BlockRecord> {
    const logs =
      block.transactions.length === 0
        ? []
        : await this.#edr.call<RpcLog[]>('eth_getLogs', [{ blockHash: block.hash }]);
    const snapshotId = this.#maxReorgDepth > 0 ? await this.#edr.call<string>('evm_snapshot') : null;
    const { transactions, ...header } = block;
    return {
      number: Number(block.number),
      hash: block.hash,
      timestamp: Number(block.timestamp),
      transactionCount: transactions.length,
      transactions,
      logs,
      snapshotId,
      header,
    };
  }

  #trimHistory(): void {
    const excess = this.#history.length - (this.#maxReorgDepth + 1);
    if (excess <= 0) return;
    for (const block of this.#history.splice(0, excess)) {
      for (const hash of block.transactions) this.#minedOwn.delete(hash);
    }
  }

  async #settleIncluded(block: BlockRecord): Promise<void> {
    for (const hash of block.transactions) {
      const tx = this.#pending.get(hash);
      if (!tx) continue;
      this.#pending.delete(hash);
      if (this.#maxReorgDepth > 0) this.#minedOwn.set(hash, tx);
      const logIndexes = block.logs.filter((l) => l.transactionHash === hash).map((l) => Number(l.logIndex));
      tx.settled = {
        txHash: hash,
        blockNumber: block.number,
        blockHash: block.hash,
        blockTimestamp: block.timestamp,
        logIndexes,
      };
      if (!tx.waiter) continue;
      // A settle always logs; no logs means it reverted.
      if (logIndexes.length === 0 && !(await this.#succeeded(hash))) {
        tx.waiter.reject(new Error(`transaction ${hash} reverted in block ${block.number}`));
      } else tx.waiter.resolve(tx.settled);
      tx.waiter = null;
    }
  }

  async #succeeded(hash: Hex): Promise<boolean> {
    const receipt = await this.#edr.call<{ status: Hex } | null>('eth_getTransactionReceipt', [hash]);
    return receipt?.status === '0x1';
  }
}

function summary(b: BlockSummary): BlockSummary {
  return { number: b.number, hash: b.hash, timestamp: b.timestamp, transactionCount: b.transactionCount };
}

/** A `newHeads` payload: the block without its body, as geth sends it. */
function headerOf(record: BlockRecord): Record<string, unknown> {
  const { uncles: _u, size: _s, withdrawals: _w, totalDifficulty: _t, ...header } = record.header;
  return header;
}
