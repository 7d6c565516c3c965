/**
 * The Data API source: polls each leader's activity from a cursor kept in the database, hands new
 * trades to ingest page by page, oldest first, and moves the cursor only once ingest has them.
 *
 * - Start: a leader without a cursor starts flat (cursor = now: nothing before it is read) or warm
 *   (now - warmStartSeconds). The cursor is stored at once, so a restart resumes from the same point.
 * - A poll reads from the cursor's second, ascending, page after page until a short page (v1) or
 *   `has_more: false` (v2). After each page: ingest(sightings), then the cursor. A crash between
 *   the two re-delivers the page (ingest keeps each fill once); it never skips one.
 * - Backfill is history a leader's first start chose to read without acting on it: the warm
 *   window, and the rows of the flat start's own second that predate it. What happened while the
 *   process was down, or during a stream's gap, is not backfill but late: the copier's catch-up
 *   policy decides on it by its age.
 * - Schedule: each leader every `pollIntervalMs(leaders, budget)`, spread over the interval; a
 *   failed poll waits `failureDelayMs` (growing, never under Retry-After) before the next.
 */
import { type Clock, systemClock } from '../../../core/clock.ts';
import { describeError, RateLimitError, ValidationError, VenueError } from '../../../core/errors.ts';
import type { ActivityRow, BadRowLogger, DataApiClient } from '../../../polymarket/data-api/index.ts';
import {
  RequestLimiter,
  reportBadMessage,
  shareOf,
  V1_ACTIVITY_MAX_LIMIT,
  V1_ACTIVITY_MAX_OFFSET,
  V2_ACTIVITY_MAX_LIMIT,
} from '../../../polymarket/data-api/index.ts';
import type { Leader, LeaderCursor, LeadersRepo } from '../../../store/index.ts';
import type { LeaderFillSighting } from '../../sighting.ts';
import {
  DEFAULT_FAILURE_BACKOFF,
  DEFAULT_POLL_BUDGET,
  type FailureBackoff,
  failureDelayMs,
  type PollBudget,
  pollIntervalMs,
  pollOffsetMs,
} from './budget.ts';
import {
  type ApiCursor,
  applyPage,
  type CursorRow,
  decodeResume,
  encodeResume,
  freshOrdinals,
  type Ordinals,
  sameCursor,
  secondOf,
} from './cursor.ts';
import { type TradeRow, toSighting, tradeRowOf } from './to-sighting.ts';

export type IngestSightings = (sightings: LeaderFillSighting[]) => Promise<void>;

export interface PollerLogger extends BadRowLogger {
  info(fields: object, message: string): void;
  debug?(fields: object, message: string): void;
}

export interface ApiPollerOptions {
  client: DataApiClient;
  leaders: LeadersRepo;
  /** Commits a page's sightings; the cursor moves only after it resolves. */
  ingest: IngestSightings;
  clock?: Clock;
  logger?: PollerLogger;
  /** Which activity route to read: v1 `/activity` (default) or v2 `/v2/activity`. */
  api?: 'v1' | 'v2';
  /** Rows per page; default the route's maximum (500 v1, 1000 v2). */
  pageLimit?: number;
  /** A scan stops after this many pages and the next poll goes on from the cursor; default 50. */
  maxPagesPerScan?: number;
  budget?: Partial<PollBudget>;
  backoff?: Partial<FailureBackoff>;
  /** Consecutive failed polls of a leader from which the source reports unhealthy; default 3. */
  unhealthyAfter?: number;
  random?: () => number;
}

export interface PollResult {
  address: string;
  pages: number;
  /** Sightings handed to ingest. */
  ingested: number;
  cursor: LeaderCursor;
}

export interface LeaderPollHealth {
  address: string;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  consecutiveFailures: number;
  lastError: string | null;
}

export interface ApiSourceHealth {
  source: 'api';
  running: boolean;
  /** No leader has failed `unhealthyAfter` polls in a row. */
  healthy: boolean;
  /** The current time between two polls of one leader. */
  intervalMs: number;
  /** The newest successful poll of any leader. */
  lastSuccessAt: number | null;
  /** The worst leader's run of failed polls. */
  consecutiveFailures: number;
  leaders: LeaderPollHealth[];
}

export interface ApiPoller {
  /** Reads the enabled leaders and polls each on the budget's schedule until `stop`. */
  start(): Promise<void>;
  /** Stops every loop; an ingest in flight finishes and its cursor is stored. */
  stop(): Promise<void>;
  /** Re-reads the enabled leaders: new ones start polling, removed or disabled ones stop. */
  reload(): Promise<void>;
  /** Polls one leader now (serialized with its loop). */
  pollOnce(address: string, signal?: AbortSignal): Promise<PollResult>;
  /**
   * Reads `leader`'s trades in [fromMs, toMs] and hands them to ingest (late, not backfill),
   * without touching the cursor: for a stream's gap. Returns the sightings handed over.
   */
  gapFill(leader: string, fromMs: number, toMs: number, signal?: AbortSignal): Promise<number>;
  health(): ApiSourceHealth;
}

const silentLogger: PollerLogger = { info() {}, warn() {} };

/** A limiter that keeps the client within the same share of the documented limit as the schedule. */
export function budgetLimiter(clock: Clock, budget: Partial<PollBudget> = {}): RequestLimiter {
  const b = { ...DEFAULT_POLL_BUDGET, ...budget };
  return new RequestLimiter(clock, shareOf({ maxRequests: b.maxRequests, windowMs: b.windowMs }, b.share));
}

/** How one scan reads and where it keeps its cursor. */
interface Scan {
  leader: string;
  cursor: ApiCursor;
  /** A stored v2 cursor to resume from, if any. */
  v2: string | null;
  endSec?: number;
  isBackfill(tradeTimeMs: number): boolean;
  /** When the warm start's history ends (epoch ms), while this scan reads it: for progress lines. */
  backfillUntil?: number;
  commit(cursor: ApiCursor, v2: string | null): Promise<void>;
}

export function createApiPoller(options: ApiPollerOptions): ApiPoller {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const api = options.api ?? 'v1';
  const maxLimit = api === 'v1' ? V1_ACTIVITY_MAX_LIMIT : V2_ACTIVITY_MAX_LIMIT;
  const pageLimit = options.pageLimit ?? maxLimit;
  if (!Number.isSafeInteger(pageLimit) || pageLimit < 1 || pageLimit > maxLimit) {
    throw new RangeError(`pageLimit must be in 1..${maxLimit}, got ${pageLimit}`);
  }
  const maxPages = options.maxPagesPerScan ?? 50;
  const budget: PollBudget = { ...DEFAULT_POLL_BUDGET, ...options.budget };
  const backoff: FailureBackoff = { ...DEFAULT_FAILURE_BACKOFF, ...options.backoff };
  const unhealthyAfter = options.unhealthyAfter ?? 3;
  const random = options.random ?? Math.random;
  const { client, leaders: repo, ingest } = options;

  /** Rows stamped before this are backfill; reset by `start`. */
  let running = false;
  let root: AbortController | null = null;
  const loops = new Map<string, { controller: AbortController; done: Promise<void> }>();
  const locks = new Map<string, Promise<unknown>>();
  const healthOf = new Map<string, LeaderPollHealth>();

  const interval = () => pollIntervalMs(loops.size, budget);

  function leaderHealth(address: string): LeaderPollHealth {
    let h = healthOf.get(address);
    if (!h) {
      h = { address, lastAttemptAt: null, lastSuccessAt: null, consecutiveFailures: 0, lastError: null };
      healthOf.set(address, h);
    }
    return h;
  }

  /** Runs `fn` after every earlier call for the same leader has settled. */
  function withLock<T>(address: string, fn: () => Promise<T>): Promise<T> {
    const previous = locks.get(address) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    locks.set(address, tail);
    void tail.then(() => {
      if (locks.get(address) === tail) locks.delete(address);
    });
    return run;
  }

  /** Keys a page's valid trade rows; other rows are counted as bad and dropped. */
  function tradeRows(rows: readonly ActivityRow[], leader: string) {
    const out: CursorRow<TradeRow>[] = [];
    for (const row of rows) {
      const trade = tradeRowOf(row, leader);
      if ('skip' in trade) reportBadMessage(logger, `an activity row (${trade.skip})`, row.raw);
      else out.push({ sec: trade.sec, base: trade.base, row: trade });
    }
    return out;
  }

  async function scan(
    s: Scan,
    signal: AbortSignal | undefined,
  ): Promise<{ pages: number; ingested: number }> {
    let cursor = s.cursor;
    // The stored v2 resume point, as text (to tell whether it changed) and decoded.
    let storedV2 = api === 'v2' ? s.v2 : null;
    const resume = storedV2 === null ? undefined : decodeResume(storedV2);
    if (storedV2 !== null && resume === undefined) {
      logger.warn(
        { source: 'api', leader: s.leader, v2: storedV2 },
        'unreadable v2 resume point; rescanning',
      );
    }
    let v2Cursor: string | null = resume?.next ?? null;
    let ordinals: Ordinals = resume?.ordinals ?? freshOrdinals();
    let startSec = resume?.startSec ?? secondOf(cursor.ts);
    let offset = 0;
    let restartedAt: number | null = null;
    let pages = 0;
    let ingested = 0;
    while (pages < maxPages) {
      signal?.throwIfAborted();
      let page: { rows: ActivityRow[]; received: number };
      let more: boolean;
      let next: string | null = null;
      if (api === 'v1') {
        page = await client.activity(
          {
            user: s.leader,
            startSec,
            ...(s.endSec !== undefined ? { endSec: s.endSec } : {}),
            limit: pageLimit,
            offset,
            sortBy: 'TIMESTAMP',
            sortDirection: 'ASC',
          },
          signal ? { signal } : {},
        );
        more = page.received >= pageLimit;
      } else {
        try {
          const v2 = await client.activityV2(
            {
              user: s.leader,
              startSec,
              ...(s.endSec !== undefined ? { endSec: s.endSec } : {}),
              limit: pageLimit,
              cursor: v2Cursor,
              sortDirection: 'ASC',
            },
            signal ? { signal } : {},
          );
          page = v2;
          next = v2.hasMore ? v2.nextCursor : null;
          more = next !== null;
        } catch (err) {
          // A stored cursor the API no longer takes: read the cursor's second from its start instead.
          if (v2Cursor !== null && err instanceof VenueError && err.status === 400) {
            logger.warn(
              { source: 'api', leader: s.leader, error: describeError(err) },
              'v2 cursor refused; rescanning',
            );
            v2Cursor = null;
            startSec = secondOf(cursor.ts);
            ordinals = freshOrdinals();
            continue;
          }
          throw err;
        }
      }
      pages++;
      const seenAtMs = clock.now();
      const outcome = applyPage(cursor, ordinals, tradeRows(page.rows, s.leader));
      if (outcome.fresh.length > 0) {
        const sightings = outcome.fresh.map((f) =>
          toSighting(f.row, f.key, seenAtMs, s.isBackfill(f.row.sec * 1000)),
        );
        await ingest(sightings);
        ingested += sightings.length;
      }
      const v2Text = next === null ? null : encodeResume({ next, startSec, ordinals: outcome.ordinals });
      if (!sameCursor(outcome.cursor, cursor) || v2Text !== storedV2) {
        await s.commit(outcome.cursor, v2Text);
        storedV2 = v2Text;
      }
      cursor = outcome.cursor;
      ordinals = outcome.ordinals;
      if (s.backfillUntil !== undefined && cursor.ts < s.backfillUntil) {
        // A warm start's history can be long: one progress line per page (the logs are the
        // plain-lines form of a progress bar).
        const span = Math.max(1, s.backfillUntil - s.cursor.ts);
        const percent = Math.min(100, Math.round(((cursor.ts - s.cursor.ts) / span) * 100));
        logger.info(
          { source: 'api', leader: s.leader, pages, ingested, through: cursor.ts, percent },
          `api backfill of ${s.leader}: ${percent}% of the warm window, ${ingested} trades read`,
        );
      }
      if (!more) break;
      if (api === 'v2') {
        v2Cursor = next;
        continue;
      }
      offset += pageLimit;
      if (offset > V1_ACTIVITY_MAX_OFFSET) {
        // Past the offset cap: start again from the cursor's second (its rows are keyed already).
        if (restartedAt === cursor.ts) {
          logger.warn(
            { source: 'api', leader: s.leader, second: secondOf(cursor.ts) },
            'more rows in one second than the API pages through; going on from the next poll',
          );
          break;
        }
        restartedAt = cursor.ts;
        startSec = secondOf(cursor.ts);
        offset = 0;
        ordinals = freshOrdinals();
      }
    }
    return { pages, ingested };
  }

  /** Per leader whose cursor this process created: rows before this time are backfill. */
  const historyBefore = new Map<string, number>();

  /** A first cursor for a leader never polled: flat (now) or warm (now - warmStartSeconds); stored at once. */
  async function initCursor(leader: Leader): Promise<LeaderCursor> {
    if (leader.cursor.ts !== null) return leader.cursor;
    const now = clock.now();
    historyBefore.set(leader.address, now);
    const ts = leader.startupMode === 'warm' ? now - leader.warmStartSeconds * 1000 : now;
    const cursor: LeaderCursor = { ts, keys: [], v2: null };
    await repo.updateCursor(leader.address, cursor, now);
    logger.info(
      { source: 'api', leader: leader.address, startupMode: leader.startupMode, cursorTs: ts },
      'api cursor set',
    );
    return cursor;
  }

  async function pollLeader(address: string, signal: AbortSignal | undefined): Promise<PollResult> {
    const leader = await repo.get(address);
    if (!leader) throw new ValidationError(`unknown leader ${address}`);
    const stored = await initCursor(leader);
    let final: LeaderCursor = stored;
    const result = await scan(
      {
        leader: leader.address,
        cursor: { ts: stored.ts as number, keys: stored.keys },
        v2: stored.v2,
        isBackfill: (tradeTimeMs) => tradeTimeMs < (historyBefore.get(leader.address) ?? 0),
        ...(historyBefore.has(leader.address) ? { backfillUntil: historyBefore.get(leader.address)! } : {}),
        commit: async (cursor, v2) => {
          final = { ts: cursor.ts, keys: [...cursor.keys], v2 };
          await repo.updateCursor(leader.address, final, clock.now());
        },
      },
      signal,
    );
    return { address: leader.address, ...result, cursor: final };
  }

  async function pollOnce(address: string, signal?: AbortSignal): Promise<PollResult> {
    const key = address.toLowerCase();
    return withLock(key, async () => {
      const h = leaderHealth(key);
      h.lastAttemptAt = clock.now();
      try {
        const result = await pollLeader(key, signal);
        h.lastSuccessAt = clock.now();
        h.consecutiveFailures = 0;
        h.lastError = null;
        return result;
      } catch (err) {
        if (!signal?.aborted) {
          h.consecutiveFailures++;
          h.lastError = describeError(err);
        }
        throw err;
      }
    });
  }

  async function loop(address: string, signal: AbortSignal, firstDelayMs: number): Promise<void> {
    try {
      await clock.sleep(firstDelayMs, signal);
    } catch {
      return;
    }
    while (!signal.aborted) {
      const began = clock.now();
      let delay: number;
      try {
        await pollOnce(address, signal);
        delay = interval() - (clock.now() - began);
      } catch (err) {
        if (signal.aborted) return;
        const failures = leaderHealth(address).consecutiveFailures;
        const retryAfter = err instanceof RateLimitError ? err.retryAfterMs : undefined;
        delay = failureDelayMs(failures, interval(), retryAfter, backoff, random);
        logger.warn(
          { source: 'api', leader: address, failures, retryInMs: delay, error: describeError(err) },
          'api poll failed',
        );
      }
      try {
        await clock.sleep(Math.max(0, delay), signal);
      } catch {
        return;
      }
    }
  }

  async function reload(): Promise<void> {
    if (!running || !root) return;
    const enabled = await repo.list({ enabledOnly: true });
    const wanted = new Set(enabled.map((l) => l.address));
    const stopping: Promise<void>[] = [];
    for (const address of healthOf.keys()) if (!wanted.has(address)) healthOf.delete(address);
    for (const [address, entry] of loops) {
      if (!wanted.has(address)) {
        entry.controller.abort();
        stopping.push(entry.done);
        loops.delete(address);
      }
    }
    const added = enabled.filter((l) => !loops.has(l.address));
    // Fix the start point of new leaders now, not at their first (staggered) poll: a trade made in
    // between is not history.
    for (const l of added) await withLock(l.address, () => initCursor(l));
    // Count the new leaders before spreading them, so the offsets use the final interval.
    const kept = loops.size;
    const total = kept + added.length;
    const every = pollIntervalMs(total, budget);
    for (const [i, l] of added.entries()) {
      const controller = new AbortController();
      const signal = AbortSignal.any([root.signal, controller.signal]);
      const done = loop(l.address, signal, pollOffsetMs(kept + i, total, every));
      loops.set(l.address, { controller, done });
    }
    await Promise.all(stopping);
    logger.info({ source: 'api', leaders: loops.size, intervalMs: interval() }, 'api poller leaders');
  }

  return {
    async start() {
      if (running) return;
      running = true;
      root = new AbortController();
      await reload();
    },

    async stop() {
      if (!running) return;
      running = false;
      root?.abort();
      const done = [...loops.values()].map((l) => l.done);
      loops.clear();
      await Promise.all(done);
      root = null;
    },

    reload,
    pollOnce,

    async gapFill(leader, fromMs, toMs, signal) {
      if (!(Number.isFinite(fromMs) && Number.isFinite(toMs)) || fromMs > toMs || fromMs < 0) {
        throw new RangeError(`gapFill needs 0 <= fromMs <= toMs, got ${fromMs}..${toMs}`);
      }
      const address = leader.toLowerCase();
      let total = 0;
      let window: ApiCursor = { ts: fromMs, keys: [] };
      const endSec = Math.ceil(toMs / 1000);
      // A scan that stops at the page cap goes on from where it got to, until the window is read.
      for (;;) {
        const before = window;
        const { ingested, pages } = await scan(
          {
            leader: address,
            cursor: window,
            v2: null,
            endSec,
            // A gap of a live stream: late trades, for the catch-up policy; not history.
            isBackfill: () => false,
            commit: async (cursor) => {
              window = cursor;
            },
          },
          signal,
        );
        total += ingested;
        if (pages < maxPages || sameCursor(before, window)) break;
      }
      logger.info({ source: 'api', leader: address, fromMs, toMs, sightings: total }, 'api gap fill');
      return total;
    },

    health() {
      const leaders = [...healthOf.values()].map((h) => ({ ...h }));
      const consecutiveFailures = Math.max(0, ...leaders.map((h) => h.consecutiveFailures));
      const successes = leaders.map((h) => h.lastSuccessAt).filter((t): t is number => t !== null);
      return {
        source: 'api',
        running,
        healthy: consecutiveFailures < unhealthyAfter,
        intervalMs: interval(),
        lastSuccessAt: successes.length > 0 ? Math.max(...successes) : null,
        consecutiveFailures,
        leaders,
      };
    },
  };
}
