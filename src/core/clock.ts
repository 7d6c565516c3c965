/**
 * Time as an injected dependency, so pollers, watchdogs and order expiry run on real time in
 * production and on a hand-driven clock in tests and replays.
 */

export interface Clock {
  /** Wall-clock time in epoch milliseconds. May jump (NTP); use `monotonicNs` for durations. */
  now(): number;
  /** A monotonic nanosecond counter for measuring durations; its origin means nothing. */
  monotonicNs(): bigint;
  /**
   * Resolves after `ms` (negative counts as 0). Rejects with `signal.reason` when the signal
   * aborts first, or at once if it already has.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `callback` once after `ms` (negative counts as 0, Infinity never fires); the returned
   * function cancels it. NaN throws RangeError.
   */
  setTimer(ms: number, callback: () => void): () => void;
}

// Captured at load so that a test faking timers globally cannot stall `ManualClock.advance`.
const realSetImmediate = setImmediate;

/** Node clamps longer setTimeout delays to 1 ms, so longer timers are re-armed in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

function checkDelay(ms: number): number {
  if (Number.isNaN(ms)) throw new RangeError('delay must be a number, got NaN');
  return Math.max(0, ms);
}

/** Sleeps on `clock.setTimer`, honouring an abort signal: any Clock can implement `sleep` with it. */
export function sleepWith(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (Number.isNaN(ms)) return Promise.reject(new RangeError('delay must be a number, got NaN'));
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      cancel();
      reject(signal?.reason);
    };
    const cancel = clock.setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Real time: `Date.now`, `process.hrtime`, `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonicNs: () => process.hrtime.bigint(),
  sleep(ms, signal) {
    return sleepWith(systemClock, ms, signal);
  },
  setTimer(ms, callback) {
    const due = performance.now() + checkDelay(ms);
    let handle: NodeJS.Timeout;
    const arm = (): void => {
      const left = due - performance.now();
      handle =
        left > MAX_TIMEOUT_MS ? setTimeout(arm, MAX_TIMEOUT_MS) : setTimeout(callback, Math.max(0, left));
    };
    arm();
    return () => clearTimeout(handle);
  },
};

interface ManualTimer {
  due: number;
  seq: number;
  callback: () => void;
}

/**
 * A clock that moves only when told to. Timers fire during `advance`, in due-time order (ties in
 * the order they were set), with `now()` reading each timer's due time while it fires. Between
 * timers `advance` lets pending promise callbacks run, so a loop that sleeps again after waking is
 * rescheduled within the same advance: `advance(5_000)` runs a 1 s poll loop five times.
 */
export class ManualClock implements Clock {
  #wall: number;
  #elapsed = 0;
  #seq = 0;
  #timers: ManualTimer[] = [];
  #advancing = false;

  constructor(startMs = 0) {
    this.#wall = startMs;
  }

  now(): number {
    return this.#wall;
  }

  monotonicNs(): bigint {
    return BigInt(Math.round(this.#elapsed * 1e6));
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }

  setTimer(ms: number, callback: () => void): () => void {
    const timer: ManualTimer = { due: this.#elapsed + checkDelay(ms), seq: this.#seq++, callback };
    this.#timers.push(timer);
    return () => {
      const i = this.#timers.indexOf(timer);
      if (i >= 0) this.#timers.splice(i, 1);
    };
  }

  /** Timers (including sleeps) waiting to fire. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Sets wall time, as an NTP step would. Timers run on elapsed time, so none fire. */
  set(epochMs: number): void {
    this.#wall = epochMs;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance needs a finite ms >= 0, got ${ms}`);
    if (this.#advancing) throw new Error('ManualClock.advance is already running');
    this.#advancing = true;
    try {
      const target = this.#elapsed + ms;
      await settle();
      for (let next = this.#nextDue(target); next !== undefined; next = this.#nextDue(target)) {
        this.#moveTo(next.due);
        this.#timers.splice(this.#timers.indexOf(next), 1);
        next.callback();
        await settle();
      }
      this.#moveTo(target);
    } finally {
      this.#advancing = false;
    }
  }

  #nextDue(target: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.#timers) {
      if (
        t.due <= target &&
        (best === undefined || t.due < best.due || (t.due === best.due && t.seq < best.seq))
      ) {
        best = t;
      }
    }
    return best;
  }

  #moveTo(elapsed: number): void {
    this.#wall += elapsed - this.#elapsed;
    this.#elapsed = elapsed;
  }
}

/** Lets every queued promise callback run: a macrotask turn drains the microtask queue. */
function settle(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}
