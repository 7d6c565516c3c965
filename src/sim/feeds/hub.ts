/**
 * Where the engine's fills enter the trade feeds. `publish` checks and enriches them, keeps them
 * for the Data API (which shows each one only after the indexing lag) and hands them at once to
 * live listeners (RTDS).
 */
import type { Catalog, Hex } from '../catalog/model.ts';
import { type ParticipantFill, validateFills } from './fill.ts';
import { IndexingLag } from './lag.ts';
import { type Profile, profileFor } from './profile.ts';
import { CatalogLookup, type FeedRecord, toRecord } from './record.ts';

export interface FeedsHubOptions {
  catalog: Catalog;
  /** The simulator's clock, epoch ms. */
  now: () => number;
  /** Seeds the invented profiles. */
  seed: number;
  /** Indexing lag of the Data API, ms (default DEFAULT_INDEXING_LAG_MS). */
  lagMs?: number;
}

export type FeedListener = (records: readonly FeedRecord[]) => void;

/** The number of leading records whose `visibleAt` is at or before `now` (they are sorted by it). */
function visibleCount(records: readonly FeedRecord[], now: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (records[mid]!.visibleAt <= now) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class FeedsHub {
  readonly lag: IndexingLag;
  readonly catalog: CatalogLookup;
  readonly now: () => number;
  readonly #seed: number;
  readonly #epochMs: number;
  readonly #records: FeedRecord[] = [];
  readonly #byWallet = new Map<string, FeedRecord[]>();
  readonly #profiles = new Map<string, Profile>();
  readonly #listeners = new Set<FeedListener>();
  #lastSeq = -1;

  constructor(options: FeedsHubOptions) {
    this.now = options.now;
    this.#seed = options.seed;
    this.#epochMs = options.now();
    this.catalog = new CatalogLookup(options.catalog);
    this.lag = new IndexingLag(options.now, options.lagMs);
  }

  /** The public profile shown beside `wallet`'s rows. */
  profile(wallet: string): Profile {
    const key = wallet.toLowerCase();
    let profile = this.#profiles.get(key);
    if (!profile) {
      const { kind: _kind, ...fields } = profileFor(key, { seed: this.#seed, epochMs: this.#epochMs });
      profile = fields;
      this.#profiles.set(key, profile);
    }
    return profile;
  }

  /** Replaces `wallet`'s invented profile (for rows published from now on). */
  setProfile(wallet: string, profile: Profile): void {
    this.#profiles.set(wallet.toLowerCase(), { ...profile });
  }

  /**
   * Takes a batch of fills in sequence order. Throws ValidationError (and keeps none of the batch)
   * if any fill is malformed or its `seq` is not above every earlier one.
   */
  publish(fills: readonly ParticipantFill[]): readonly FeedRecord[] {
    validateFills(fills, this.#lastSeq);
    const records = fills.map((fill) =>
      toRecord(
        fill,
        this.catalog.marketInfo(fill.tokenId, fill.conditionId),
        this.profile(fill.proxyWallet),
        this.lag.assign(fill.timeMs),
      ),
    );
    for (const record of records) {
      this.#records.push(record);
      const own = this.#byWallet.get(record.proxyWallet);
      if (own) own.push(record);
      else this.#byWallet.set(record.proxyWallet, [record]);
      this.#lastSeq = record.seq;
    }
    for (const listener of this.#listeners) {
      try {
        listener(records);
      } catch {
        // A listener's failure (a socket gone bad) must not stop the others or the engine.
      }
    }
    return records;
  }

  /** Calls `listener` with each published batch; returns the unsubscribe function. */
  subscribe(listener: FeedListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Every record the Data API shows at `now`, in sequence order. */
  visible(now = this.now()): readonly FeedRecord[] {
    return this.#records.slice(0, visibleCount(this.#records, now));
  }

  /** `wallet`'s records the Data API shows at `now`, in sequence order. */
  visibleOf(wallet: string, now = this.now()): readonly FeedRecord[] {
    const own = this.#byWallet.get(wallet.toLowerCase()) ?? [];
    return own.slice(0, visibleCount(own, now));
  }

  /** Every record published, visible or not. */
  all(): readonly FeedRecord[] {
    return this.#records;
  }

  /** Wallets that have any record, lower case. */
  wallets(): Hex[] {
    return [...this.#byWallet.keys()] as Hex[];
  }
}
