/**
 * Catalog sync: reads every market Gamma lists (`GET /markets`, offset pages ordered by id) and
 * upserts those with CLOB tokens into the `markets` and `tokens` tables, the way the catalog's
 * lookups store one market (saveGammaMarket).
 *
 * Each market is validated on its own: a malformed one is counted, reported and skipped, never the
 * page. A page that fails (network, timeout, 429, 5xx, a body that is not a list) is asked again
 * with backoff a few times; then the sync stops with an error naming the URL and how far it got.
 * What was saved stays saved, and running again is safe (upserts). An aborted `signal` stops it
 * between pages (or during a wait), and the result says so.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type BackoffOptions, backoffDelayMs } from '../core/backoff.ts';
import {
  describeError,
  isRetryable,
  MoneyError,
  NetworkError,
  PolyHunterError,
  RateLimitError,
  TimeoutError,
  ValidationError,
  VenueError,
} from '../core/errors.ts';
import { badMessagesTotal } from '../core/metrics.ts';
import { redactUrl } from '../core/redact.ts';
import { type GammaMarket, gammaMarketSchema } from '../polymarket/gamma/index.ts';
import type { Store } from '../store/index.ts';
import { saveGammaMarket } from './catalog.ts';

/** The largest page `polyhunter catalog sync` asks Gamma for. */
export const GAMMA_PAGE_MAX = 500;

export interface CatalogSyncRetry {
  /** Tries per page, the first included. */
  attempts: number;
  backoff: BackoffOptions;
  /** [0, 1) for the backoff's jitter; default Math.random. */
  random?: () => number;
}

export const DEFAULT_SYNC_RETRY: CatalogSyncRetry = {
  attempts: 4,
  backoff: { initialMs: 500, maxMs: 8_000 },
};

/** A 429's Retry-After is honoured up to this. */
const RETRY_AFTER_CAP_MS = 60_000;

export interface CatalogSyncCounts {
  /** Markets read from Gamma, valid or not. */
  read: number;
  /** Markets upserted (valid, with CLOB tokens). */
  saved: number;
  /** Of those, markets the database did not hold before. */
  created: number;
  /** Markets that failed validation (or could not be stored as exact numbers), skipped. */
  malformed: number;
  /** Valid markets without CLOB tokens (not tradable yet), skipped. */
  withoutTokens: number;
  /** Pages read. */
  pages: number;
}

export interface CatalogSyncProgress extends CatalogSyncCounts {
  /** Whether the page just read was of closed markets. */
  closed: boolean;
}

export interface CatalogSyncResult extends CatalogSyncCounts {
  gammaUrl: string;
  /** Closed markets were read too. */
  includedClosed: boolean;
  /** Stopped early by the signal. */
  stopped: boolean;
  elapsedMs: number;
}

export interface MalformedGammaMarket {
  /** Gamma's market id and condition id when the object carries them as strings. */
  id: string | null;
  conditionId: string | null;
  /** Where in Gamma's list it was. */
  offset: number;
  closed: boolean;
  /** What was wrong, one line. */
  reason: string;
}

export interface RetryNotice {
  url: string;
  /** 1 for the first retry. */
  retry: number;
  delayMs: number;
  error: string;
}

export interface CatalogSyncOptions {
  store: Store;
  gammaUrl: string;
  /** Also read closed markets (a second pass with `closed=true`). */
  includeClosed?: boolean;
  /** Markets per request, 1..500; default 500. */
  pageSize?: number;
  /** Read at most this many markets from Gamma. */
  max?: number;
  /** Stops the sync between pages. */
  signal?: AbortSignal;
  now?: () => number;
  fetch?: typeof fetch;
  retry?: CatalogSyncRetry;
  /** One request's time limit; default 30 s. */
  requestTimeoutMs?: number;
  /** After each page. */
  onPage?: (progress: CatalogSyncProgress) => void;
  onMalformed?: (market: MalformedGammaMarket) => void;
  onRetry?: (notice: RetryNotice) => void;
}

/** The sync gave up on a page; `result` says how far it got (all of that is saved). */
export class CatalogSyncError extends PolyHunterError {
  readonly url: string;
  readonly result: CatalogSyncResult;

  constructor(message: string, url: string, result: CatalogSyncResult, cause: unknown) {
    super('CATALOG_SYNC_FAILED', message, isRetryable(cause), {
      cause,
      context: { url, read: result.read, saved: result.saved, pages: result.pages },
    });
    this.url = url;
    this.result = result;
  }
}

/** The query of one page: ordered by id so that markets listed meanwhile land at the end. */
export function gammaPageUrl(base: string, page: { limit: number; offset: number; closed: boolean }): string {
  const q = new URLSearchParams({
    limit: String(page.limit),
    offset: String(page.offset),
    closed: String(page.closed),
    order: 'id',
    ascending: 'true',
  });
  return `${base.replace(/\/+$/, '')}/markets?${q}`;
}

function checkCount(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min}..${max}`;
    throw new ValidationError(`${name} must be a whole number ${range}, got ${value}`);
  }
}

function retryAfterMs(res: Response): number | undefined {
  const header = res.headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** One page as raw objects; throws errors that say whether asking again may help. */
async function fetchPage(
  doFetch: typeof fetch,
  url: string,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<unknown[]> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const shown = redactUrl(url);
  try {
    const res = await doFetch(url, { signal: combined, headers: { accept: 'application/json' } });
    if (res.status === 429) {
      await res.body?.cancel();
      throw new RateLimitError(`Gamma answered 429 (too many requests)`, retryAfterMs(res));
    }
    if (!res.ok) {
      const text = (await res.text()).slice(0, 120).replace(/\s+/g, ' ').trim();
      throw new VenueError(`Gamma answered ${res.status}${text ? `: ${text}` : ''}`, res.status);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch (err) {
      if (timeout.aborted || signal?.aborted) throw err;
      // A proxy's error page with a 200, or a cut-off body: worth asking again.
      throw new VenueError('Gamma answered something that is not JSON', undefined, { cause: err });
    }
    if (!Array.isArray(body)) {
      throw new VenueError('Gamma answered JSON that is not a list of markets', undefined);
    }
    return body;
  } catch (err) {
    if (err instanceof PolyHunterError || signal?.aborted) throw err;
    if (timeout.aborted) throw new TimeoutError(`no answer within ${timeoutMs} ms`, { cause: err });
    throw new NetworkError(`cannot reach Gamma at ${shown}: ${describeError(err)}`, { cause: err });
  }
}

const field = (raw: unknown, key: string): string | null => {
  if (typeof raw !== 'object' || raw === null) return null;
  const value = (raw as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : null;
};

/** The zod issues in one line: "conditionId: Invalid string; clobTokenIds: 3 token ids for 2 outcomes". */
function issuesText(error: { issues: readonly { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || 'market'}: ${i.message}`)
    .join('; ');
}

export async function syncCatalog(options: CatalogSyncOptions): Promise<CatalogSyncResult> {
  const pageSize = options.pageSize ?? GAMMA_PAGE_MAX;
  checkCount('page size', pageSize, 1, GAMMA_PAGE_MAX);
  if (options.max !== undefined) checkCount('max', options.max, 1);
  const retry = options.retry ?? DEFAULT_SYNC_RETRY;
  checkCount('retry attempts', retry.attempts, 1);
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const random = retry.random ?? Math.random;
  const { signal } = options;
  const { db } = options.store;
  const startedAt = now();
  const counts: CatalogSyncCounts = {
    read: 0,
    saved: 0,
    created: 0,
    malformed: 0,
    withoutTokens: 0,
    pages: 0,
  };
  const includedClosed = options.includeClosed === true;
  let stopped = false;

  const result = (): CatalogSyncResult => ({
    gammaUrl: options.gammaUrl,
    includedClosed,
    ...counts,
    stopped,
    elapsedMs: now() - startedAt,
  });

  /** The page's objects, or null when the signal stopped the sync. */
  async function pageWithRetries(url: string): Promise<unknown[] | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetchPage(doFetch, url, signal, timeoutMs);
      } catch (err) {
        if (signal?.aborted) return null;
        if (!isRetryable(err) || attempt >= retry.attempts) {
          const tries = attempt === 1 ? 'once' : `${attempt} times`;
          throw new CatalogSyncError(
            `catalog sync gave up on ${redactUrl(url)} (asked ${tries}): ${describeError(err)}. ` +
              `Got through ${counts.read} markets in ${counts.pages} pages, ${counts.saved} saved ` +
              `(${counts.created} new); what was saved stays saved and running again is safe.`,
            url,
            result(),
            err,
          );
        }
        const asked = err instanceof RateLimitError ? (err.retryAfterMs ?? 0) : 0;
        const delayMs = Math.max(
          backoffDelayMs(attempt - 1, retry.backoff, random),
          Math.min(asked, RETRY_AFTER_CAP_MS),
        );
        options.onRetry?.({ url, retry: attempt, delayMs, error: describeError(err) });
        try {
          await sleep(delayMs, undefined, signal ? { signal } : {});
        } catch {
          return null;
        }
      }
    }
  }

  /** Validates and stores one page's objects. */
  async function savePage(items: readonly unknown[], offset: number, closed: boolean): Promise<void> {
    const valid: { market: GammaMarket; offset: number }[] = [];
    const malformed = (raw: unknown, at: number, reason: string) => {
      counts.malformed++;
      badMessagesTotal.inc({ source: 'gamma' });
      options.onMalformed?.({
        id: field(raw, 'id'),
        conditionId: field(raw, 'conditionId'),
        offset: at,
        closed,
        reason,
      });
    };
    for (const [i, raw] of items.entries()) {
      const parsed = gammaMarketSchema.safeParse(raw);
      if (!parsed.success) malformed(raw, offset + i, issuesText(parsed.error));
      else if (!parsed.data.clobTokenIds || parsed.data.clobTokenIds.length === 0) counts.withoutTokens++;
      else valid.push({ market: parsed.data, offset: offset + i });
    }
    if (valid.length === 0) return;
    const ids = [...new Set(valid.map((v) => v.market.conditionId.toLowerCase()))];
    const known = new Set(
      (await db.selectFrom('markets').select('condition_id').where('condition_id', 'in', ids).execute()).map(
        (r) => r.condition_id,
      ),
    );
    const at = now();
    for (const { market, offset: position } of valid) {
      try {
        await saveGammaMarket(db, market, at);
      } catch (err) {
        // Valid JSON whose numbers cannot be held exactly (a huge minimum size): skip it like bad JSON.
        if (err instanceof MoneyError) {
          malformed(market, position, describeError(err));
          continue;
        }
        throw err;
      }
      counts.saved++;
      const id = market.conditionId.toLowerCase();
      if (!known.has(id)) {
        counts.created++;
        known.add(id);
      }
    }
  }

  passes: for (const closed of includedClosed ? [false, true] : [false]) {
    let offset = 0;
    for (;;) {
      if (signal?.aborted) {
        stopped = true;
        break passes;
      }
      const limit = options.max === undefined ? pageSize : Math.min(pageSize, options.max - counts.read);
      if (limit <= 0) break passes;
      const url = gammaPageUrl(options.gammaUrl, { limit, offset, closed });
      const page = await pageWithRetries(url);
      if (page === null) {
        stopped = true;
        break passes;
      }
      // A server that ignores `limit` must not take the sync past --max.
      const items = page.slice(0, limit);
      counts.pages++;
      await savePage(items, offset, closed);
      counts.read += items.length;
      offset += items.length;
      options.onPage?.({ ...counts, closed });
      if (items.length < limit) break;
    }
  }
  return result();
}
