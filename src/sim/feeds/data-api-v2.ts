/**
 * Data API v2 routes under `/v2`: `activity`, `trades`, `positions`. snake_case rows in a
 * `{data, pagination: {limit, offset, has_more, next_cursor}}` envelope; paging is by cursor only
 * (an `offset` parameter is refused); limits above the cap are refused, not clamped; parameters
 * are accepted in snake_case and camelCase. Errors are `{error, code, retryable, trace_id,
 * parameter?}` and every response carries `x-trace-id`.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { installV2Conventions, V2Error } from './data-api-v2-errors.ts';
import { ACTIVITY_TYPES, type ActivityType } from './fill.ts';
import type { FeedsHub } from './hub.ts';
import {
  addressParam,
  amountParam,
  boolParam,
  conditionList,
  directionParam,
  enumList,
  enumParam,
  eventIdList,
  filterTypeParam,
  firstIssue,
  nonNegativeInt,
  sideParam,
  snakeKeys,
  THREE_YEARS_SEC,
} from './params.ts';
import {
  positionsFrom,
  sortPositions,
  type Valuation,
  type ValuedPosition,
  valuePositions,
} from './positions.ts';
import { v2PositionRow } from './positions-wire.ts';
import {
  after,
  anchorOf,
  type Cursor,
  type Direction,
  decodeCursor,
  encodeCursor,
  matchesFilter,
  type RecordFilter,
  sortRecords,
} from './query.ts';
import type { FeedRecord } from './record.ts';
import { toSeconds, v2ActivityRow, v2TradeRow } from './wire.ts';

export const V2_MAX_LIMIT = 1_000;
export const V2_DEFAULT_LIMIT = 100;
export const V2_MAX_CONDITIONS = 20;
const DAY_SEC = 86_400;

/** v2 accepts `condition`, `condition_id` and `conditionId` for the market filter. */
function normalized(query: unknown): Record<string, unknown> {
  const q = snakeKeys(query);
  if (q.condition === undefined && q.condition_id !== undefined) q.condition = q.condition_id;
  delete q.condition_id;
  return q;
}

function parse<T extends z.ZodType>(schema: T, query: Record<string, unknown>): z.output<T> {
  if (query.offset !== undefined) {
    throw new V2Error('invalid_request', 'offset is not supported on v2 routes; page with cursor', 'offset');
  }
  const q = schema.safeParse(query);
  if (q.success) return q.data;
  const issue = firstIssue(q.error, query);
  throw new V2Error('invalid_request', issue.message, issue.parameter);
}

const limitParam = nonNegativeInt.pipe(
  z.number().min(1, 'must be at least 1').max(V2_MAX_LIMIT, `must be at most ${V2_MAX_LIMIT}`),
);
const common = {
  limit: limitParam.optional(),
  cursor: z.string().optional(),
  condition: conditionList.optional(),
  event_id: eventIdList.optional(),
  start: nonNegativeInt.optional(),
  end: nonNegativeInt.optional(),
  side: sideParam.optional(),
};

const activityQuery = z.object({
  ...common,
  user: addressParam,
  // v2 knows two more types; neither ever occurs in the simulator.
  type: enumList([...ACTIVITY_TYPES, 'MIGRATION', 'TIP']).optional(),
  sort_by: enumParam(['TIMESTAMP']).optional(),
  sort_direction: directionParam.optional(),
  exclude_deposits_withdrawals: boolParam.optional(),
});

const tradesQuery = z.object({
  ...common,
  user: addressParam.optional(),
  taker_only: boolParam.optional(),
  filter_type: filterTypeParam.optional(),
  filter_amount: amountParam.optional(),
});

const POSITION_SORTS = [
  'CURRENT_VALUE',
  'PRICE',
  'TOKENS',
  'UNREALIZED_PNL',
  'REALIZED_PNL',
  'TOTAL_PNL',
  'TIMESTAMP',
] as const;
const POSITION_STATUSES = ['OPEN', 'REDEEMABLE', 'REDEEMABLE_LOST', 'MERGEABLE', 'CLOSED'] as const;

const positionsQuery = z.object({
  ...common,
  user: addressParam.optional(),
  status: enumParam(POSITION_STATUSES).optional(),
  title: z.string().max(100, 'must be at most 100 characters').optional(),
  filter_type: filterTypeParam.optional(),
  filter_amount: amountParam.optional(),
  include_archived: boolParam.optional(),
  sort_by: enumParam(POSITION_SORTS).optional(),
  sort_direction: directionParam.optional(),
});

function conditionIds(
  hub: FeedsHub,
  q: { condition?: string[] | undefined; event_id?: string[] | undefined },
) {
  if (q.condition && q.event_id) {
    throw new V2Error('invalid_request', 'condition and event_id are mutually exclusive', 'event_id');
  }
  if (q.condition) {
    const ids = new Set(q.condition);
    if (ids.size > V2_MAX_CONDITIONS) {
      throw new V2Error('invalid_request', `condition takes at most ${V2_MAX_CONDITIONS} ids`, 'condition');
    }
    return ids;
  }
  if (q.event_id) return new Set(q.event_id.flatMap((id) => hub.catalog.conditionsOfEvent(id)));
  return undefined;
}

function readCursor(text: string | undefined): Cursor | undefined {
  if (text === undefined) return undefined;
  const cursor = decodeCursor(text);
  if (!cursor) throw new V2Error('invalid_request', 'cursor is not valid', 'cursor');
  return cursor;
}

/** A window in seconds: omitted/0 start = 3 years back (1 = everything); omitted/0 end = now + 1 day. */
function window(nowSec: number, start: number | undefined, end: number | undefined) {
  return { startSec: start ? start : nowSec - THREE_YEARS_SEC, endSec: end ? end : nowSec + DAY_SEC };
}

/** The start of the previous calendar month (UTC), epoch seconds: the global trades feed's floor. */
export function previousMonthStartSec(nowMs: number): number {
  const d = new Date(nowMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1) / 1000;
}

/** One keyset page of records sorted by time (then seq) in `direction`. */
function recordPage(
  rows: readonly FeedRecord[],
  direction: Direction,
  limit: number,
  cursor: Cursor | undefined,
  withDirection: boolean,
  render: (r: FeedRecord) => Record<string, unknown>,
) {
  const sorted = sortRecords(rows, 'TIMESTAMP', direction);
  const rest = cursor ? after(sorted, { value: cursor.v, seq: cursor.s }, 'TIMESTAMP', direction) : sorted;
  const page = rest.slice(0, limit);
  const offset = cursor?.o ?? 0;
  const last = page.at(-1);
  const hasMore = rest.length > limit;
  const anchor = last ? anchorOf(last, 'TIMESTAMP') : undefined;
  const next =
    hasMore && anchor
      ? encodeCursor({
          v: anchor.value,
          s: anchor.seq,
          l: limit,
          o: offset + page.length,
          ...(withDirection ? { d: direction } : {}),
        })
      : null;
  return {
    data: page.map(render),
    pagination: { limit, offset, has_more: hasMore, next_cursor: next },
  };
}

const POSITION_KEYS: Record<(typeof POSITION_SORTS)[number], (p: ValuedPosition) => number> = {
  CURRENT_VALUE: (p) => p.currentValue,
  PRICE: (p) => p.curPrice,
  TOKENS: (p) => p.size,
  UNREALIZED_PNL: (p) => p.currentValue - p.cost - p.feeCost,
  REALIZED_PNL: (p) => p.realizedPnl,
  TOTAL_PNL: (p) => p.realizedPnl + p.currentValue - p.cost - p.feeCost,
  TIMESTAMP: (p) => p.lastEventMs,
};

function statusMatches(p: ValuedPosition, status: (typeof POSITION_STATUSES)[number]): boolean {
  switch (status) {
    // OPEN is a superset that includes settled-but-unredeemed winners.
    case 'OPEN':
      return p.status === 'OPEN' || p.status === 'REDEEMABLE';
    case 'MERGEABLE':
      return p.mergeable;
    default:
      return p.status === status;
  }
}

export function registerDataApiV2Routes(app: FastifyInstance, hub: FeedsHub, valuation: Valuation): void {
  app.register(
    async (v2) => {
      installV2Conventions(v2, ['/activity', '/trades', '/positions']);

      v2.get('/activity', async (req) => {
        const q = parse(activityQuery, normalized(req.query));
        const cursor = readCursor(q.cursor);
        const ids = conditionIds(hub, q);
        const direction = cursor?.d ?? q.sort_direction ?? 'DESC';
        const types = new Set<string>(q.type ?? ACTIVITY_TYPES);
        if (q.exclude_deposits_withdrawals ?? true) {
          types.delete('DEPOSIT');
          types.delete('WITHDRAWAL');
        }
        const filter: RecordFilter = {
          types: types as Set<ActivityType>,
          ...(ids ? { conditionIds: ids } : {}),
          ...(q.side ? { side: q.side, sideOnTradesOnly: true } : {}),
          ...window(toSeconds(hub.now()), q.start, q.end),
        };
        const rows = hub.visibleOf(q.user).filter((r) => matchesFilter(r, filter));
        return recordPage(
          rows,
          direction,
          cursor?.l ?? q.limit ?? V2_DEFAULT_LIMIT,
          cursor,
          true,
          v2ActivityRow,
        );
      });

      v2.get('/trades', async (req) => {
        const q = parse(tradesQuery, normalized(req.query));
        const cursor = readCursor(q.cursor);
        const ids = conditionIds(hub, q);
        const nowSec = toSeconds(hub.now());
        const filterType = q.filter_type ?? 'TOKENS';
        const amount = q.filter_amount ?? 10_000; // the 0.01 dust floor always applies
        // Windows: start/end only for a user's trades; a condition or event gets a fixed 3 years;
        // the global feed, the current and the previous month.
        const span = q.user
          ? window(nowSec, q.start, q.end)
          : ids
            ? { startSec: nowSec - THREE_YEARS_SEC, endSec: nowSec + DAY_SEC }
            : { startSec: previousMonthStartSec(hub.now()), endSec: nowSec + DAY_SEC };
        const filter: RecordFilter = {
          types: new Set(['TRADE']),
          ...(ids ? { conditionIds: ids } : {}),
          ...(q.side ? { side: q.side } : {}),
          takerOnly: q.taker_only ?? true,
          ...(filterType === 'CASH' ? { minCash: amount } : { minSize: amount }),
          ...span,
        };
        const source = q.user ? hub.visibleOf(q.user) : hub.visible();
        const rows = source.filter((r) => matchesFilter(r, filter));
        return recordPage(rows, 'DESC', cursor?.l ?? q.limit ?? V2_DEFAULT_LIMIT, cursor, false, v2TradeRow);
      });

      v2.get('/positions', async (req) => {
        const q = parse(positionsQuery, normalized(req.query));
        const cursor = readCursor(q.cursor);
        const ids = conditionIds(hub, q);
        if (!q.user && !q.condition) {
          throw new V2Error('invalid_request', 'user or condition is required', 'user');
        }
        const status = q.status ?? 'OPEN';
        const filterType = q.filter_type ?? 'TOKENS';
        const floor = q.filter_amount ?? (filterType === 'TOKENS' ? 100_000 : 0);
        const title = q.title?.toLowerCase();
        const span = q.start || q.end ? window(toSeconds(hub.now()), q.start, q.end) : undefined;
        const source = q.user ? hub.visibleOf(q.user) : hub.visible();
        const selected = valuePositions(positionsFrom(source), valuation).filter((p) => {
          if (ids && !ids.has(p.conditionId)) return false;
          if (!statusMatches(p, status)) return false;
          // Closed positions hold nothing: their dust floor applies to what was bought.
          const tokens = p.status === 'CLOSED' ? p.totalBought : p.size;
          const cash = p.status === 'CLOSED' ? p.totalBoughtCost : p.currentValue;
          if ((filterType === 'TOKENS' ? tokens : cash) < floor) return false;
          if (title && !p.market.title.toLowerCase().includes(title)) return false;
          const last = toSeconds(p.lastEventMs);
          if (span && (last < span.startSec || last > span.endSec)) return false;
          return true;
        });
        const sorted = sortPositions(
          selected,
          POSITION_KEYS[q.sort_by ?? 'TOKENS'],
          cursor?.d ?? q.sort_direction ?? 'DESC',
        );
        // Positions are recomputed per request; the cursor carries a running offset into them.
        const limit = cursor?.l ?? q.limit ?? V2_DEFAULT_LIMIT;
        const offset = cursor?.o ?? 0;
        const page = sorted.slice(offset, offset + limit);
        const hasMore = sorted.length > offset + limit;
        return {
          data: page.map((p) => v2PositionRow(p, hub.profile(p.proxyWallet))),
          pagination: {
            limit,
            offset,
            has_more: hasMore,
            next_cursor: hasMore
              ? encodeCursor({
                  v: 0,
                  s: 0,
                  l: limit,
                  o: offset + limit,
                  d: cursor?.d ?? q.sort_direction ?? 'DESC',
                })
              : null,
          },
        };
      });
    },
    { prefix: '/v2' },
  );
}
