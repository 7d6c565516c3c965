/**
 * A small read-through cache for venue reads that go stale fast (balances, allowances): a value
 * is served for at most `ttlMs` after its request started, and callers that ask while a request
 * is in flight share it instead of sending their own. A failed request is not cached, so the next
 * caller tries again at once.
 */
import type { Clock } from '../../core/clock.ts';

/** Past this many cached values, expired ones are dropped. */
const MAX_ENTRIES = 1_000;

interface Entry<T> {
  /** Monotonic ms when the request that produced the value was sent. */
  at: number;
  value: T;
}

export class TtlCache<T> {
  readonly #ttlMs: number;
  readonly #clock: Clock;
  readonly #values = new Map<string, Entry<T>>();
  readonly #pending = new Map<string, { promise: Promise<T> }>();

  constructor(options: { ttlMs: number; clock: Clock }) {
    if (!Number.isFinite(options.ttlMs) || options.ttlMs < 0) {
      throw new RangeError(`ttlMs must be a finite number >= 0, got ${options.ttlMs}`);
    }
    this.#ttlMs = options.ttlMs;
    this.#clock = options.clock;
  }

  /** The cached value of `key` if fresh, else the in-flight request's, else a new request's. */
  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.#now();
    const hit = this.#values.get(key);
    // Age from when the request was sent: the venue's answer is at least that old.
    if (hit !== undefined && now - hit.at < this.#ttlMs) return Promise.resolve(hit.value);
    const inFlight = this.#pending.get(key);
    if (inFlight !== undefined) return inFlight.promise;
    // The entry's identity marks this request: one invalidated while in flight may be stale.
    const entry = {} as { promise: Promise<T> };
    entry.promise = (async () => {
      const value = await load();
      if (this.#pending.get(key) === entry) {
        this.#values.set(key, { at: now, value });
        if (this.#values.size > MAX_ENTRIES) this.#prune(this.#now());
      }
      return value;
    })().finally(() => {
      if (this.#pending.get(key) === entry) this.#pending.delete(key);
    });
    this.#pending.set(key, entry);
    return entry.promise;
  }

  /** Forgets `key` (or everything): after an order or a fill, the next read goes to the venue. */
  invalidate(key?: string): void {
    if (key === undefined) {
      this.#values.clear();
      this.#pending.clear();
      return;
    }
    this.#values.delete(key);
    // A request already on its way may predate the change: later callers must not join it.
    this.#pending.delete(key);
  }

  /** Drops expired values: per-token reads would otherwise pile up over a long run. */
  #prune(now: number): void {
    for (const [key, entry] of this.#values) if (now - entry.at >= this.#ttlMs) this.#values.delete(key);
  }

  #now(): number {
    return Number(this.#clock.monotonicNs() / 1_000_000n);
  }
}
