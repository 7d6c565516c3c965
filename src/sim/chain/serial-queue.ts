/**
 * Runs async operations one at a time, in call order. Mining, sending and reorgs touch the same
 * EVM state (nonces, mempool, snapshots), so they must never interleave.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(op: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(op);
    // The next operation waits for this one whether it succeeds or fails.
    this.#tail = result.catch(() => {});
    return result;
  }

  /** Resolves once everything queued so far has finished. */
  idle(): Promise<void> {
    return this.#tail.then(() => {});
  }
}
