/**
 * The RTDS leader source: the `activity` firehose (it cannot be filtered by wallet server-side),
 * filtered here to the leaders' proxy wallets, each leader row handed on as a LeaderFillSighting.
 * Gaps in the stream (silence, reconnects) are passed to `onGap`, widened, for an API gap-fill.
 */
import { isAddress } from 'viem';
import { type Clock, systemClock } from '../../../core/clock.ts';
import { createLogger, type Logger } from '../../../core/logger.ts';
import { badMessagesTotal } from '../../../core/metrics.ts';
import {
  RTDS_ACTIVITY_TYPES,
  RtdsClient,
  type RtdsClientOptions,
  type RtdsDataFrame,
  type RtdsGap,
  type RtdsHealth,
} from '../../../polymarket/rtds/index.ts';
import type { LeaderFillSighting } from '../../sighting.ts';
import { rtdsPart, rtdsRowIdentity, sightingFromRtds } from './map.ts';
import { RtdsPartTracker } from './parts.ts';

export type RtdsActivityType = (typeof RTDS_ACTIVITY_TYPES)[number];

/** Client settings a source may tune; the rest it decides. */
export type RtdsSourceClientOptions = Pick<
  RtdsClientOptions,
  | 'random'
  | 'pingIntervalMs'
  | 'silenceMs'
  | 'deadAfterMs'
  | 'connectTimeoutMs'
  | 'backoff'
  | 'stableAfterMs'
  | 'badLogIntervalMs'
>;

export interface RtdsLeaderSourceOptions {
  url: string;
  /** Proxy (profile) wallets, any case. Change them later with `setLeaders`. */
  leaders?: Iterable<string>;
  /** Each new leader row. A rejection or throw is logged; the source carries on. */
  onSighting: (sighting: LeaderFillSighting) => void | Promise<void>;
  /** A window (epoch ms) the stream may have missed, widened by `gapMarginMs` on both sides. */
  onGap?: (fromMs: number, toMs: number) => void;
  /** Default both `trades` and `orders_matched`. */
  types?: readonly RtdsActivityType[];
  clock?: Clock;
  logger?: Logger;
  /**
   * Added before and after each gap, ms. Default 5000: trade times are whole seconds and reach us
   * about a second late (p99 1.4 s), so a trade just before the last message may still be in flight.
   */
  gapMarginMs?: number;
  /** How long a transaction's part numbering is remembered, ms. Default 15 min. */
  partMemoryMs?: number;
  client?: RtdsSourceClientOptions;
}

export interface RtdsSourceHealth extends RtdsHealth {
  leaders: number;
  sightings: number;
  /** Rows already handed on (the same fill on the other stream). */
  duplicates: number;
  lastSightingAtMs: number | null;
}

const defaultLogger = (): Logger => createLogger({ level: 'silent', format: 'json' });

function normalizeWallet(wallet: string): string {
  if (!isAddress(wallet, { strict: false })) throw new TypeError(`not a wallet address: ${wallet}`);
  return wallet.toLowerCase();
}

export class RtdsLeaderSource {
  readonly #client: RtdsClient;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #onSighting: RtdsLeaderSourceOptions['onSighting'];
  readonly #onGap: ((fromMs: number, toMs: number) => void) | undefined;
  readonly #gapMarginMs: number;
  readonly #parts: RtdsPartTracker;
  #leaders = new Set<string>();
  #sightings = 0;
  #duplicates = 0;
  #lastSightingAtMs: number | null = null;

  constructor(options: RtdsLeaderSourceOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger ?? defaultLogger();
    this.#onSighting = options.onSighting;
    this.#onGap = options.onGap;
    this.#gapMarginMs = options.gapMarginMs ?? 5_000;
    this.#parts = new RtdsPartTracker(options.partMemoryMs);
    this.setLeaders(options.leaders ?? []);
    const types = options.types ?? RTDS_ACTIVITY_TYPES;
    if (types.length === 0) throw new TypeError('the RTDS source needs at least one activity type');
    this.#client = new RtdsClient({
      ...options.client,
      url: options.url,
      subscriptions: [...new Set(types)].map((type) => ({ topic: 'activity', type })),
      onMessage: (frame, receivedAtMs) => this.#onFrame(frame, receivedAtMs),
      onGap: (gap) => this.#gap(gap),
      clock: this.#clock,
      logger: this.#log,
      metricsSource: 'rtds',
    });
  }

  start(): void {
    this.#client.start();
  }

  stop(): Promise<void> {
    return this.#client.stop();
  }

  /** Replaces the leader set; takes effect with the next message (the filter is client-side). */
  setLeaders(wallets: Iterable<string>): void {
    const next = new Set<string>();
    for (const w of wallets) next.add(normalizeWallet(w));
    this.#leaders = next;
  }

  addLeader(wallet: string): void {
    this.#leaders.add(normalizeWallet(wallet));
  }

  removeLeader(wallet: string): void {
    this.#leaders.delete(normalizeWallet(wallet));
  }

  /** Lower-case. */
  get leaders(): readonly string[] {
    return [...this.#leaders];
  }

  health(): RtdsSourceHealth {
    return {
      ...this.#client.health(),
      leaders: this.#leaders.size,
      sightings: this.#sightings,
      duplicates: this.#duplicates,
      lastSightingAtMs: this.#lastSightingAtMs,
    };
  }

  #onFrame(frame: RtdsDataFrame, receivedAtMs: number): void {
    if (frame.kind !== 'activity_trade') return;
    const message = frame.message;
    const leader = message.payload.proxyWallet.toLowerCase();
    if (!this.#leaders.has(leader)) return;
    let identity: string;
    let mapped: LeaderFillSighting;
    try {
      identity = rtdsRowIdentity(message.payload);
      // The part needs the row's ordinal, assigned below once the row is known to be usable.
      mapped = sightingFromRtds(message, { part: '', seenAtMs: receivedAtMs, raw: frame.json });
    } catch (err) {
      // Valid by schema but not representable (an amount beyond the safe range): count and skip.
      badMessagesTotal.inc({ source: 'rtds' });
      this.#log.warn({ err, source: 'rtds', payload: message.payload }, 'rtds: leader row cannot be mapped');
      return;
    }
    if (mapped.size <= 0) {
      this.#log.debug({ source: 'rtds', txHash: mapped.txHash }, 'rtds: zero-size leader row skipped');
      return;
    }
    const { ordinal, fresh } = this.#parts.assign(
      message.type,
      leader,
      mapped.txHash,
      identity,
      receivedAtMs,
    );
    if (!fresh) {
      this.#duplicates++;
      return;
    }
    this.#sightings++;
    this.#lastSightingAtMs = receivedAtMs;
    this.#deliver({ ...mapped, part: rtdsPart(identity, ordinal) });
  }

  #deliver(sighting: LeaderFillSighting): void {
    try {
      const pending = this.#onSighting(sighting);
      if (pending instanceof Promise) {
        pending.catch((err: unknown) => this.#sightingFailed(sighting, err));
      }
    } catch (err) {
      this.#sightingFailed(sighting, err);
    }
  }

  #sightingFailed(sighting: LeaderFillSighting, err: unknown): void {
    this.#log.error(
      { err, source: 'rtds', leader: sighting.leader, txHash: sighting.txHash, part: sighting.part },
      'rtds: sighting handler failed',
    );
  }

  #gap(gap: RtdsGap): void {
    if (this.#onGap === undefined) return;
    this.#onGap(gap.fromMs - this.#gapMarginMs, gap.toMs + this.#gapMarginMs);
  }
}
