/**
 * Block timestamps, kept per block hash. Logs from `eth_subscribe` need not carry their block's
 * time, so the subscriber learns it from `newHeads` as blocks arrive and fetches it
 * (`eth_getBlockByNumber`) only for a block it has not seen, once however many logs wait on it.
 * Keyed by hash, not number: after a reorg the same height is a different block.
 */
import type { Hex } from 'viem';

/** A block as far as its time goes. */
export interface BlockStamp {
  number: number;
  hash: Hex;
  /** Seconds since the epoch. */
  timestamp: number;
}

/** Fetches a block by number or, failing that, by hash; null when the node has no such block. */
export interface BlockFetcher {
  byNumber(number: number): Promise<BlockStamp | null>;
  byHash(hash: Hex): Promise<BlockStamp | null>;
}

export class BlockTimes {
  readonly #keepBlocks: number;
  readonly #byHash = new Map<Hex, BlockStamp>();
  readonly #inFlight = new Map<Hex, Promise<number>>();
  #fetches = 0;

  /** Keeps blocks within `keepBlocks` of the highest seen. */
  constructor(keepBlocks = 512) {
    this.#keepBlocks = keepBlocks;
  }

  /** Remembers a block's time (from a head notification or a fetched block). */
  remember(block: BlockStamp): void {
    this.#byHash.set(block.hash.toLowerCase() as Hex, block);
    this.#trim(block.number);
  }

  /** The time of a block already known. */
  known(hash: Hex): number | undefined {
    return this.#byHash.get(hash.toLowerCase() as Hex)?.timestamp;
  }

  /** How many blocks were fetched so far (tests, and a hint of how often heads arrive late). */
  get fetches(): number {
    return this.#fetches;
  }

  /**
   * The time of block `hash` at height `number`: known, or fetched once (concurrent callers share
   * one fetch). By number first, as nodes serve it cheapest; by hash when that height is now a
   * different block (a reorg since the log). Rejects when neither finds it.
   */
  timeOf(number: number, hash: Hex, fetcher: BlockFetcher): Promise<number> {
    const key = hash.toLowerCase() as Hex;
    const known = this.#byHash.get(key);
    if (known) return Promise.resolve(known.timestamp);
    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = (async () => {
        this.#fetches++;
        let block = await fetcher.byNumber(number);
        if (block?.hash.toLowerCase() !== key) block = await fetcher.byHash(key);
        if (!block || block.hash.toLowerCase() !== key)
          throw new Error(`block ${number} (${hash}) not found`);
        this.remember(block);
        return block.timestamp;
      })().finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    return pending;
  }

  #trim(latest: number): void {
    if (this.#byHash.size <= this.#keepBlocks) return;
    let highest = latest;
    for (const b of this.#byHash.values()) highest = Math.max(highest, b.number);
    for (const [hash, b] of this.#byHash)
      if (b.number <= highest - this.#keepBlocks) this.#byHash.delete(hash);
  }
}
