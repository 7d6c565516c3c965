/**
 * Data API activity client: v1 `GET /activity` (limit/offset) and v2 `GET /v2/activity` (cursor),
 * api-reference.md §2.1 and §2.4. Every response is validated row by row (activity-row.ts).
 * Failures come out typed: RateLimitError (429, with Retry-After), VenueError (5xx retryable, other
 * statuses not), NetworkError, TimeoutError, ValidationError (a body that is not the documented
 * envelope). Retryable ones are retried here a few times with backoff and jitter before they are
 * thrown; callers that poll add their own slower backoff on top.
 */
import { z } from 'zod';
import { type Clock, systemClock } from '../../core/clock.ts';
import {
  describeError,
  isRetryable,
  NetworkError,
  RateLimitError,
  TimeoutError,
  ValidationError,
  VenueError,
} from '../../core/errors.ts';
import { type ActivityRow, type BadRowLogger, parseRows, reportBadMessage } from './activity-row.ts';
import type { RequestLimiter } from './rate-limit.ts';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy, retryDelayMs } from './retry.ts';
import { dataApiV2PaginationSchema } from './v2.ts';

/** v1 `/activity` caps (newest spec): limits above are clamped, offsets above are refused (400). */
export const V1_ACTIVITY_MAX_LIMIT = 500;
export const V1_ACTIVITY_MAX_OFFSET = 5_000;
/** v2 `/v2/activity`: limits above are refused. */
export const V2_ACTIVITY_MAX_LIMIT = 1_000;

export type SortDirection = 'ASC' | 'DESC';

interface ActivityFilter {
  /** Profile (proxy) wallet. */
  user: string;
  /** Activity types; default TRADE only. */
  types?: readonly string[];
  /** Epoch seconds, inclusive. Omitted: the API's default window (about 3 years). */
  startSec?: number;
  /** Epoch seconds, inclusive. Omitted: now. */
  endSec?: number;
  sortDirection?: SortDirection;
}

export interface V1ActivityQuery extends ActivityFilter {
  limit?: number;
  offset?: number;
  sortBy?: 'TIMESTAMP' | 'TOKENS' | 'CASH';
}

export interface V2ActivityQuery extends ActivityFilter {
  limit?: number;
  /** `next_cursor` of the previous page; the filters must be sent again unchanged. */
  cursor?: string | null;
}

export interface ActivityPage {
  /** The rows that passed validation, in the API's order. */
  rows: ActivityRow[];
  /** Rows the API sent, bad ones included: what "a short page" is measured by. */
  received: number;
}

export interface V2ActivityPage extends ActivityPage {
  hasMore: boolean;
  nextCursor: string | null;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface DataApiClient {
  readonly baseUrl: string;
  activity(query: V1ActivityQuery, options?: RequestOptions): Promise<ActivityPage>;
  activityV2(query: V2ActivityQuery, options?: RequestOptions): Promise<V2ActivityPage>;
}

export interface DataApiClientOptions {
  /** `https://data-api.polymarket.com`, or the simulator's `urls.dataApi`. */
  baseUrl: string;
  /** Backoff sleeps and Retry-After dates; default the system clock. */
  clock?: Clock;
  /** Bad rows and retries are logged here; default nowhere (they are still counted). */
  logger?: ClientLogger;
  /** Default the global fetch. */
  fetch?: typeof fetch;
  /** Per request, ms; default 10 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** The jitter's random source, [0, 1); default Math.random. */
  random?: () => number;
  /** Waited on before every request, retries included: the shared rate budget. */
  limiter?: RequestLimiter;
}

export interface ClientLogger extends BadRowLogger {
  debug?(fields: object, message: string): void;
}

const silent: ClientLogger = { warn() {} };

/** v2's error body (`{error, code, retryable, trace_id, parameter?}`); v1 sends `{error}`. */
const errorBodySchema = z.looseObject({
  error: z.string().optional(),
  code: z.string().optional(),
  parameter: z.string().optional(),
  trace_id: z.string().optional(),
});

const v2EnvelopeSchema = z.looseObject({
  data: z.array(z.unknown()).nullable(),
  pagination: dataApiV2PaginationSchema,
});

function searchParams(entries: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  return params.toString();
}

function checkSeconds(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new RangeError(`${name} must be non-negative epoch seconds, got ${value}`);
  }
}

export function createDataApiClient(options: DataApiClientOptions): DataApiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const clock = options.clock ?? systemClock;
  const logger: ClientLogger = options.logger ?? silent;
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const random = options.random ?? Math.random;

  /** One GET, answered with its parsed JSON body or a typed error. */
  async function getOnce(path: string, query: string, signal: AbortSignal | undefined): Promise<unknown> {
    await options.limiter?.acquire(signal);
    const url = `${baseUrl}${path}?${query}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, { headers: { accept: 'application/json' }, signal: combined });
      text = await response.text();
    } catch (err) {
      // The caller's own abort is not a failure of the venue: pass it through untouched.
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted)
        throw new TimeoutError(`GET ${path} timed out after ${timeoutMs} ms`, { cause: err });
      throw new NetworkError(`GET ${path} failed: ${describeError(err)}`, { cause: err });
    }
    let body: unknown;
    let parsedJson = true;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsedJson = false;
      body = text;
    }
    if (response.ok) {
      if (!parsedJson) {
        reportBadMessage(logger, `a ${path} response that is not JSON`, text);
        throw new ValidationError(`GET ${path}: the response is not JSON`);
      }
      return body;
    }
    const info = errorBodySchema.safeParse(body);
    const detail = info.success ? info.data : {};
    const message = `GET ${path}: HTTP ${response.status}${detail.error ? `: ${detail.error}` : ''}`;
    const context = {
      status: response.status,
      code: detail.code,
      parameter: detail.parameter,
      traceId: detail.trace_id,
    };
    if (response.status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), clock.now());
      throw new RateLimitError(message, retryAfterMs, { context });
    }
    throw new VenueError(message, response.status, { context });
  }

  /** `getOnce`, retried on retryable failures per the policy. */
  async function get(path: string, query: string, signal: AbortSignal | undefined): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await getOnce(path, query, signal);
      } catch (err) {
        if (signal?.aborted || !isRetryable(err) || attempt >= policy.maxAttempts) throw err;
        const delay = retryDelayMs(err, attempt - 1, policy, random);
        logger.debug?.(
          { source: 'api', path, attempt, delayMs: delay, error: describeError(err) },
          'retrying',
        );
        await clock.sleep(delay, signal);
      }
    }
  }

  const types = (q: ActivityFilter) => (q.types ?? ['TRADE']).join(',');

  return {
    baseUrl,

    async activity(q, requestOptions = {}) {
      checkSeconds('startSec', q.startSec);
      checkSeconds('endSec', q.endSec);
      if (q.offset !== undefined && q.offset > V1_ACTIVITY_MAX_OFFSET) {
        throw new RangeError(`offset ${q.offset} is above the API's cap of ${V1_ACTIVITY_MAX_OFFSET}`);
      }
      const query = searchParams({
        user: q.user,
        type: types(q),
        start: q.startSec,
        end: q.endSec,
        limit: q.limit === undefined ? undefined : Math.min(q.limit, V1_ACTIVITY_MAX_LIMIT),
        offset: q.offset,
        sortBy: q.sortBy,
        sortDirection: q.sortDirection,
      });
      const body = await get('/activity', query, requestOptions.signal);
      if (!Array.isArray(body)) {
        reportBadMessage(logger, 'an /activity response that is not an array', body);
        throw new ValidationError('GET /activity: the response is not an array');
      }
      return { rows: parseRows(body, 'v1', logger, '/activity'), received: body.length };
    },

    async activityV2(q, requestOptions = {}) {
      checkSeconds('startSec', q.startSec);
      checkSeconds('endSec', q.endSec);
      if (q.limit !== undefined && (q.limit < 1 || q.limit > V2_ACTIVITY_MAX_LIMIT)) {
        throw new RangeError(`limit must be in 1..${V2_ACTIVITY_MAX_LIMIT}, got ${q.limit}`);
      }
      const query = searchParams({
        user: q.user,
        type: types(q),
        start: q.startSec,
        end: q.endSec,
        limit: q.limit,
        sort_direction: q.sortDirection,
        cursor: q.cursor,
      });
      const body = await get('/v2/activity', query, requestOptions.signal);
      const envelope = v2EnvelopeSchema.safeParse(body);
      if (!envelope.success) {
        reportBadMessage(logger, 'a /v2/activity envelope', body, envelope.error);
        throw new ValidationError('GET /v2/activity: the response is not a {data, pagination} envelope');
      }
      const items = envelope.data.data ?? [];
      return {
        rows: parseRows(items, 'v2', logger, '/v2/activity'),
        received: items.length,
        hasMore: envelope.data.pagination.has_more,
        nextCursor: envelope.data.pagination.next_cursor,
      };
    },
  };
}
