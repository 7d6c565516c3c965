/**
 * A per-signer async mutex: two executions on one wallet never interleave. Without it two submits
 * could both pass a balance check against the same pUSD, or a retry of one could overtake the
 * other; with it each runs to its outcome (accepted, rejected or unknown) before the next starts.
 *
 * Waiters run in arrival order. Keys are addresses compared case-insensitively; an idle key holds
 * no memory.
 */

export class SignerLocks {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `fn` once every earlier holder of `signer` has finished; its result or error is passed on. */
  run<T>(signer: string, fn: () => Promise<T>): Promise<T> {
    const key = signer.toLowerCase();
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(fn);
    // The next holder waits for this one to settle, whether it succeeded or not.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Whether anyone holds or waits for `signer`. */
  busy(signer: string): boolean {
    return this.#tails.has(signer.toLowerCase());
  }
}

/** The process-wide locks: every broker that signs with one key shares them unless given its own. */
export const defaultSignerLocks = new SignerLocks();
