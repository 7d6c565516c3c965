/**
 * The recent logs the subscriber has handed on, per block: what makes delivery at-most-once per
 * (block, log) across overlapping subscriptions (a leader-set change subscribes before it
 * unsubscribes), a reconnect's gap fill and a node repeating itself, and what a reconnect checks
 * against the canonical chain to retract fills whose block was reorged out while it was away.
 */
import type { Hex } from 'viem';

export type DeliveryState = 'fill' | 'retracted';

interface Entry<T> {
  state: DeliveryState;
  /** What was delivered (kept so that a retraction found on reconnect can repeat it). */
  item: T | null;
}

interface BlockEntry<T> {
  number: number;
  logs: Map<number, Entry<T>>;
}

export class DeliveredLogs<T> {
  readonly #keepBlocks: number;
  readonly #blocks = new Map<Hex, BlockEntry<T>>();
  #highest = 0;

  /** Keeps blocks within `keepBlocks` of the highest delivered (beyond any reorg Polygon sees). */
  constructor(keepBlocks = 512) {
    this.#keepBlocks = keepBlocks;
  }

  state(blockHash: Hex, logIndex: number): DeliveryState | undefined {
    return this.#blocks.get(key(blockHash))?.logs.get(logIndex)?.state;
  }

  /** Records a delivered fill; false if it was already delivered (and not retracted since). */
  recordFill(blockNumber: number, blockHash: Hex, logIndex: number, item: T): boolean {
    const block = this.#block(blockNumber, blockHash);
    if (block.logs.get(logIndex)?.state === 'fill') return false;
    block.logs.set(logIndex, { state: 'fill', item });
    return true;
  }

  /** Records a retraction; false if this log was already retracted. */
  recordRetraction(blockNumber: number, blockHash: Hex, logIndex: number): boolean {
    const block = this.#block(blockNumber, blockHash);
    const entry = block.logs.get(logIndex);
    if (entry?.state === 'retracted') return false;
    block.logs.set(logIndex, { state: 'retracted', item: entry?.item ?? null });
    return true;
  }

  /** Blocks at heights `from..to` holding fills not retracted: what a reorg could have orphaned. */
  blocksWithFills(from: number, to: number): { number: number; hash: Hex; fills: T[] }[] {
    const out: { number: number; hash: Hex; fills: T[] }[] = [];
    for (const [hash, block] of this.#blocks) {
      if (block.number < from || block.number > to) continue;
      const fills: T[] = [];
      for (const entry of block.logs.values())
        if (entry.state === 'fill' && entry.item) fills.push(entry.item);
      if (fills.length > 0) out.push({ number: block.number, hash, fills });
    }
    return out.sort((a, b) => a.number - b.number);
  }

  #block(number: number, hash: Hex): BlockEntry<T> {
    let block = this.#blocks.get(key(hash));
    if (!block) {
      block = { number, logs: new Map() };
      this.#blocks.set(key(hash), block);
      if (number > this.#highest) {
        this.#highest = number;
        for (const [h, b] of this.#blocks) if (b.number <= number - this.#keepBlocks) this.#blocks.delete(h);
      }
    }
    return block;
  }
}

function key(hash: Hex): Hex {
  return hash.toLowerCase() as Hex;
}
