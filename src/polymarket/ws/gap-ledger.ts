/**
 * A stream's coverage account: `coveredUntil` is the time up to which every message was either
 * received or reported missing. Each gap reports `[coveredUntil, now]` and moves it to `now`, so
 * consecutive gaps tile the lost time without holes or overlaps.
 *
 * `suspect` means messages may be missing since `coveredUntil` (the connection was lost, or the
 * stream fell silent) and no data has shown otherwise yet; the next data message then reports the
 * window up to itself as `resumed`, since the lapse may have ended before it.
 */

export type SocketGapReason = 'reconnect' | 'silence' | 'resumed' | 'bad_message';

/** A window (epoch ms, at this client) in which messages may have been missed. */
export interface SocketGap {
  fromMs: number;
  toMs: number;
  reason: SocketGapReason;
}

export class GapLedger {
  readonly #report: (gap: SocketGap) => void;
  #coveredUntil: number | null = null;
  #suspect = false;
  #hadSubscription = false;
  #count = 0;

  constructor(report: (gap: SocketGap) => void) {
    this.#report = report;
  }

  /** Null before the first subscription. */
  get coveredUntilMs(): number | null {
    return this.#coveredUntil;
  }

  get suspect(): boolean {
    return this.#suspect;
  }

  /** Gaps reported. */
  get count(): number {
    return this.#count;
  }

  /** A subscription took effect: after an earlier one, everything since the last covered moment may be lost. */
  subscribed(nowMs: number): void {
    if (this.#hadSubscription) this.#gap('reconnect', nowMs);
    else this.#coveredUntil = nowMs;
    this.#suspect = false;
    this.#hadSubscription = true;
  }

  /** The subscription was lost: what is sent until the next one is missing. */
  lost(): void {
    this.#suspect = true;
  }

  /** No data for a while: reported up to now, and suspect until data comes. */
  silent(nowMs: number): void {
    this.#suspect = true;
    this.#gap('silence', nowMs);
  }

  /** A data message arrived. */
  data(nowMs: number): void {
    if (this.#suspect) {
      this.#gap('resumed', nowMs);
      this.#suspect = false;
    }
    this.#coveredUntil = nowMs;
  }

  /** Nothing was missed up to now (a keepalive on a channel that sends everything pending first). */
  covered(nowMs: number): void {
    if (!this.#suspect) this.#coveredUntil = nowMs;
  }

  /** Forgets a suspicion without reporting it (no one accounts for gaps). */
  trust(): void {
    this.#suspect = false;
  }

  /** A window of its own that leaves the coverage where it is (a burst of unreadable messages). */
  report(reason: SocketGapReason, fromMs: number, toMs: number): void {
    this.#count++;
    this.#report({ fromMs, toMs: Math.max(fromMs, toMs), reason });
  }

  #gap(reason: SocketGapReason, nowMs: number): void {
    const from = this.#coveredUntil;
    if (from === null) return;
    this.#coveredUntil = Math.max(from, nowMs);
    this.report(reason, from, nowMs);
  }
}
