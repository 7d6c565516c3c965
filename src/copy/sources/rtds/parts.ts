/**
 * Numbers a leader's identical rows within a transaction, so each gets a stable `part`, and notices
 * a row delivered twice.
 *
 * The ordinal counts per stream (`trades`, `orders_matched`): a taker's row can arrive on both (the
 * simulator sends it on both, as RTDS is described to), so the k-th identical row of one stream and
 * the k-th of the other are the same fill and get the same part. The first delivery of a part is `fresh`; a later one (the other stream's copy) is not.
 *
 * Assumption: RTDS does not replay messages after a reconnect (nothing suggests it does). Two
 * identical rows of one transaction carry nothing that tells them apart, so a replayed row would
 * look like one more identical fill.
 */

interface TxEntry {
  lastSeenMs: number;
  /** `<stream>\n<identity>` -> rows seen so far. */
  counts: Map<string, number>;
  /** `<identity>\n<ordinal>` already assigned. */
  emitted: Set<string>;
}

export interface PartAssignment {
  /** 0-based: how many rows of this identity the stream showed earlier in the transaction. */
  ordinal: number;
  /** False when this (identity, ordinal) was already assigned (by the other stream). */
  fresh: boolean;
}

export class RtdsPartTracker {
  readonly #retainMs: number;
  readonly #txs = new Map<string, TxEntry>();
  #prunedAtMs = Number.NEGATIVE_INFINITY;

  /** `retainMs`: how long a transaction is remembered after its last row (default 15 min). */
  constructor(retainMs = 15 * 60_000) {
    this.#retainMs = retainMs;
  }

  assign(stream: string, leader: string, txHash: string, identity: string, nowMs: number): PartAssignment {
    this.#prune(nowMs);
    const txKey = `${leader.toLowerCase()}\n${txHash.toLowerCase()}`;
    let entry = this.#txs.get(txKey);
    if (entry === undefined) {
      entry = { lastSeenMs: nowMs, counts: new Map(), emitted: new Set() };
      this.#txs.set(txKey, entry);
    }
    entry.lastSeenMs = nowMs;
    const countKey = `${stream}\n${identity}`;
    const ordinal = entry.counts.get(countKey) ?? 0;
    entry.counts.set(countKey, ordinal + 1);
    const seen = `${identity}\n${ordinal}`;
    const fresh = !entry.emitted.has(seen);
    entry.emitted.add(seen);
    return { ordinal, fresh };
  }

  /** Transactions remembered. */
  get size(): number {
    return this.#txs.size;
  }

  #prune(nowMs: number): void {
    // A scan every quarter of the retention keeps the cost negligible: only leaders' rows get here.
    if (nowMs - this.#prunedAtMs < this.#retainMs / 4) return;
    this.#prunedAtMs = nowMs;
    for (const [key, entry] of this.#txs) {
      if (nowMs - entry.lastSeenMs > this.#retainMs) this.#txs.delete(key);
    }
  }
}
