/**
 * The Data API's indexing lag: a fill shows up `baseMs` after its match time (copy-trading
 * projects measured 4 to 20+ s on the real service). A lag spike adds `extraMs` to every fill
 * matched while it lasts. The indexer works in order, so a fill never shows before an earlier one:
 * the fills after a spike queue behind it and then appear together, as after a real indexer stall.
 */

export const DEFAULT_INDEXING_LAG_MS = 5_000;

export interface LagSpike {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  until: number;
  extraMs: number;
}

function checkMs(name: string, ms: number): void {
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new RangeError(`${name} must be a non-negative integer of ms`);
}

export class IndexingLag {
  #baseMs: number;
  #spikes: LagSpike[] = [];
  #lastVisibleAt = 0;
  readonly #now: () => number;

  constructor(now: () => number, baseMs = DEFAULT_INDEXING_LAG_MS) {
    checkMs('baseMs', baseMs);
    this.#now = now;
    this.#baseMs = baseMs;
  }

  get baseMs(): number {
    return this.#baseMs;
  }

  /** Changes the lag of fills matched from now on; fills already indexed keep their time. */
  setBaseMs(ms: number): void {
    checkMs('baseMs', ms);
    this.#baseMs = ms;
  }

  /** Adds `extraMs` of lag to fills matched in the next `durationMs`. Returns the spike. */
  spike(extraMs: number, durationMs: number): LagSpike {
    checkMs('extraMs', extraMs);
    checkMs('durationMs', durationMs);
    const from = this.#now();
    const spike = { from, until: from + durationMs, extraMs };
    this.#spikes.push(spike);
    return spike;
  }

  /** Ends every spike; fills already given a time keep it. */
  clearSpikes(): void {
    this.#spikes = [];
  }

  get spikes(): readonly LagSpike[] {
    return this.#spikes;
  }

  /**
   * When a fill matched at `matchMs` becomes visible. Call once per fill in sequence order:
   * the result is never earlier than the previous fill's.
   */
  assign(matchMs: number): number {
    let extra = 0;
    for (const s of this.#spikes) if (matchMs >= s.from && matchMs < s.until) extra += s.extraMs;
    const at = Math.max(this.#lastVisibleAt, matchMs + this.#baseMs + extra);
    this.#lastVisibleAt = at;
    return at;
  }
}
