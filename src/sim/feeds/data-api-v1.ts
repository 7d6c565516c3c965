/**
 * Data API v1 routes: `/activity`, `/trades`, `/positions`, `/value`. Bare JSON arrays, camelCase,
 * epoch seconds, newest first. Limits above a route's cap are clamped; offsets above its cap are
 * refused with 400 (`{error}`), as the newest spec says and a live probe of `/trades` showed.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { MICRO } from '../../core/money.ts';
import type { Hex } from '../catalog/model.ts';
import { ACTIVITY_TYPES, type ActivityType } from './fill.ts';
import type { FeedsHub } from './hub.ts';
import {
  activityTypeList,
  addressParam,
  amountParam,
  boolParam,
  conditionList,
  directionParam,
  enumParam,
  eventIdList,
  filterTypeParam,
  firstIssue,
  nonNegativeInt,
  sideParam,
  THREE_YEARS_SEC,
} from './params.ts';
import {
  positionsFrom,
  sortPositions,
  type Valuation,
  type ValuedPosition,
  valuePositions,
} from './positions.ts';
import { v1PositionRow } from './positions-wire.ts';
import { matchesFilter, type RecordFilter, sortRecords } from './query.ts';
import { toSeconds, v1ActivityRow, v1TradeRow, wireNumber } from './wire.ts';

export const V1_LIMITS = {
  activity: { defaultLimit: 100, maxLimit: 500, maxOffset: 5_000 },
  trades: { defaultLimit: 100, maxLimit: 10_000, maxOffset: 10_000 },
  positions: { defaultLimit: 100, maxLimit: 500, maxOffset: 10_000 },
} as const;

const marketOrEvent = { market: conditionList.optional(), eventId: eventIdList.optional() };
const paging = { limit: nonNegativeInt.optional(), offset: nonNegativeInt.optional() };

const activityQuery = z.object({
  user: addressParam,
  ...paging,
  ...marketOrEvent,
  type: activityTypeList.optional(),
  excludeDepositsWithdrawals: boolParam.optional(),
  start: nonNegativeInt.optional(),
  end: nonNegativeInt.optional(),
  sortBy: enumParam(['TIMESTAMP', 'TOKENS', 'CASH']).optional(),
  sortDirection: directionParam.optional(),
  side: sideParam.optional(),
});

const tradesQuery = z.object({
  user: addressParam.optional(),
  ...paging,
  ...marketOrEvent,
  takerOnly: boolParam.optional(),
  filterType: filterTypeParam.optional(),
  filterAmount: amountParam.optional(),
  side: sideParam.optional(),
});

const POSITION_SORTS = [
  'CURRENT',
  'INITIAL',
  'TOKENS',
  'CASHPNL',
  'PERCENTPNL',
  'TITLE',
  'RESOLVING',
  'PRICE',
  'AVGPRICE',
] as const;
type PositionSort = (typeof POSITION_SORTS)[number];

const positionsQuery = z.object({
  user: addressParam,
  ...paging,
  ...marketOrEvent,
  sizeThreshold: amountParam.optional(),
  redeemable: boolParam.optional(),
  mergeable: boolParam.optional(),
  sortBy: enumParam(POSITION_SORTS).optional(),
  sortDirection: directionParam.optional(),
  title: z.string().max(100, 'must be at most 100 characters').optional(),
});

const valueQuery = z.object({ user: addressParam });

function fail(reply: FastifyReply, error: string): FastifyReply {
  return reply.code(400).send({ error });
}

/** Why a query was refused, or its parsed value. */
function parse<T extends z.ZodType>(schema: T, query: unknown): { data: z.output<T> } | { error: string } {
  const q = schema.safeParse(query ?? {});
  if (q.success) return { data: q.data };
  return { error: firstIssue(q.error, (query ?? {}) as Record<string, unknown>).message };
}

/** The condition-id filter from `market` or `eventId` (never both); undefined when neither. */
export function conditionFilter(
  hub: FeedsHub,
  q: { market?: string[] | undefined; eventId?: string[] | undefined },
): { ids?: Set<string> } | { error: string } {
  if (q.market && q.eventId) return { error: 'market and eventId are mutually exclusive' };
  if (q.market) return { ids: new Set(q.market) };
  if (q.eventId) return { ids: new Set(q.eventId.flatMap((id) => hub.catalog.conditionsOfEvent(id))) };
  return {};
}

/** Offset within the route's cap (else an error), limit clamped to it. */
function page(
  q: { limit?: number | undefined; offset?: number | undefined },
  caps: { defaultLimit: number; maxLimit: number; maxOffset: number },
  what: string,
): { limit: number; offset: number } | { error: string } {
  const offset = q.offset ?? 0;
  if (offset > caps.maxOffset)
    return { error: `max historical ${what} offset of ${caps.maxOffset} exceeded` };
  return { limit: Math.min(q.limit ?? caps.defaultLimit, caps.maxLimit), offset };
}

const POSITION_KEYS: Record<PositionSort, (p: ValuedPosition) => number | string> = {
  CURRENT: (p) => p.currentValue,
  INITIAL: (p) => p.cost,
  TOKENS: (p) => p.size,
  CASHPNL: (p) => p.cashPnl,
  PERCENTPNL: (p) => (p.cost === 0 ? 0 : p.cashPnl / p.cost),
  TITLE: (p) => p.market.title,
  RESOLVING: (p) => p.market.endDateMs ?? Number.MAX_SAFE_INTEGER,
  PRICE: (p) => p.curPrice,
  AVGPRICE: (p) => p.avgPrice,
};

export function registerDataApiV1Routes(app: FastifyInstance, hub: FeedsHub, valuation: Valuation): void {
  app.get('/activity', async (req, reply) => {
    const parsed = parse(activityQuery, req.query);
    if ('error' in parsed) return fail(reply, parsed.error);
    const q = parsed.data;
    const paged = page(q, V1_LIMITS.activity, 'activity');
    if ('error' in paged) return fail(reply, paged.error);
    const conditions = conditionFilter(hub, q);
    if ('error' in conditions) return fail(reply, conditions.error);
    const direction = q.sortDirection ?? 'DESC';
    const nowSec = toSeconds(hub.now());
    // Omitted or 0 start: the last ~3 years; ascending without a start reads from the beginning.
    const startSec =
      q.start === undefined && direction === 'ASC' ? undefined : q.start ? q.start : nowSec - THREE_YEARS_SEC;
    // DEPOSIT and WITHDRAWAL rows show only with excludeDepositsWithdrawals=false.
    const types = new Set<ActivityType>(q.type ?? ACTIVITY_TYPES);
    if (q.excludeDepositsWithdrawals ?? true) {
      types.delete('DEPOSIT');
      types.delete('WITHDRAWAL');
    }
    const filter: RecordFilter = {
      types,
      ...(conditions.ids ? { conditionIds: conditions.ids } : {}),
      ...(q.side ? { side: q.side, sideOnTradesOnly: true } : {}),
      ...(startSec !== undefined ? { startSec } : {}),
      endSec: q.end ?? nowSec,
    };
    const rows = hub.visibleOf(q.user).filter((r) => matchesFilter(r, filter));
    const sorted = sortRecords(rows, q.sortBy ?? 'TIMESTAMP', direction);
    return sorted.slice(paged.offset, paged.offset + paged.limit).map(v1ActivityRow);
  });

  app.get('/trades', async (req, reply) => {
    const parsed = parse(tradesQuery, req.query);
    if ('error' in parsed) return fail(reply, parsed.error);
    const q = parsed.data;
    const paged = page(q, V1_LIMITS.trades, 'trades');
    if ('error' in paged) return fail(reply, paged.error);
    const conditions = conditionFilter(hub, q);
    if ('error' in conditions) return fail(reply, conditions.error);
    if ((q.filterType === undefined) !== (q.filterAmount === undefined)) {
      return fail(reply, 'filterType and filterAmount must be given together');
    }
    const filter: RecordFilter = {
      types: new Set(['TRADE']),
      ...(conditions.ids ? { conditionIds: conditions.ids } : {}),
      ...(q.side ? { side: q.side } : {}),
      takerOnly: q.takerOnly ?? true,
      ...(q.filterType === 'CASH' ? { minCash: q.filterAmount } : {}),
      ...(q.filterType === 'TOKENS' ? { minSize: q.filterAmount } : {}),
    };
    const source = q.user ? hub.visibleOf(q.user) : hub.visible();
    const sorted = sortRecords(
      source.filter((r) => matchesFilter(r, filter)),
      'TIMESTAMP',
      'DESC',
    );
    return sorted.slice(paged.offset, paged.offset + paged.limit).map(v1TradeRow);
  });

  app.get('/positions', async (req, reply) => {
    const parsed = parse(positionsQuery, req.query);
    if ('error' in parsed) return fail(reply, parsed.error);
    const q = parsed.data;
    const paged = page(q, V1_LIMITS.positions, 'positions');
    if ('error' in paged) return fail(reply, paged.error);
    const conditions = conditionFilter(hub, q);
    if ('error' in conditions) return fail(reply, conditions.error);
    const threshold = q.sizeThreshold ?? MICRO;
    const title = q.title?.toLowerCase();
    const selected = valuePositions(positionsFrom(hub.visibleOf(q.user)), valuation).filter(
      (p) =>
        p.size > 0 &&
        p.size >= threshold &&
        (!conditions.ids || conditions.ids.has(p.conditionId)) &&
        (q.redeemable === undefined || p.redeemable === q.redeemable) &&
        (q.mergeable === undefined || p.mergeable === q.mergeable) &&
        (!title || p.market.title.toLowerCase().includes(title)),
    );
    const sorted = sortPositions(selected, POSITION_KEYS[q.sortBy ?? 'TOKENS'], q.sortDirection ?? 'DESC');
    return sorted.slice(paged.offset, paged.offset + paged.limit).map(v1PositionRow);
  });

  app.get('/value', async (req, reply) => {
    const parsed = parse(valueQuery, req.query);
    if ('error' in parsed) return fail(reply, parsed.error);
    const user = parsed.data.user as Hex;
    const positions = valuePositions(positionsFrom(hub.visibleOf(user)), valuation);
    const total = positions.reduce((sum, p) => sum + p.currentValue, 0);
    return [{ user, value: wireNumber(total) }];
  });
}
