/**
 * Scrape-time reads (health, PnL, the wire counters) must not break `/metrics`: prom-client
 * rejects the whole exposition when one collect function throws, and waits for ever on one that
 * hangs. Each read goes through `guardedRead`, which turns a throw, a rejection or a timeout into
 * `undefined` (the metric then shows no series) and counts it by collector name.
 */

export interface ReadGuardOptions {
  /** A read still running after this long is abandoned (ms). */
  timeoutMs: number;
  onError: (collector: string, error: unknown) => void;
}

export class CollectTimeout extends Error {
  constructor(collector: string, ms: number) {
    super(`${collector} took longer than ${ms} ms`);
    this.name = 'CollectTimeout';
  }
}

export type ReadGuard = <T>(collector: string, read: () => T | Promise<T>) => Promise<T | undefined>;

export function readGuard(options: ReadGuardOptions): ReadGuard {
  return async (collector, read) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CollectTimeout(collector, options.timeoutMs)), options.timeoutMs);
    });
    try {
      return await Promise.race([Promise.resolve().then(read), timeout]);
    } catch (error) {
      options.onError(collector, error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * One call shared by everyone who asks while it runs: the gauges of one family (realized,
 * unrealized, cash) are collected concurrently in one scrape and must read one PnL report, once.
 */
export function singleFlight<T>(run: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  return () => {
    if (running !== null) return running;
    const current = run();
    running = current;
    const clear = () => {
      if (running === current) running = null;
    };
    current.then(clear, clear);
    return current;
  };
}
