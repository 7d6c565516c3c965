/**
 * The trading record, newest first, paged with `limit` (1-500, default 50) and `before` (the
 * `nextBefore` of the previous page): leader trades with each source's lag, copy decisions with
 * their reasons and numbers, orders with stage timings, guardrail refusals. Filters are query
 * parameters; an unknown parameter or a bad value is a 400 naming it.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { COPY_DECISIONS, ORDER_STATUSES } from '../../../store/index.ts';
import type { RouteContext } from '../context.ts';
import {
  accountParam,
  addressParam,
  enumListParam,
  intParam,
  pageShape,
  parseInput,
  reasonListParam,
  timeParam,
} from '../params.ts';
import { decisionsPage } from '../queries/decisions.ts';
import { guardrailEventsPage, guardrailReasonCounts } from '../queries/guardrails.ts';
import { ordersPage } from '../queries/orders.ts';
import { leaderTradesPage } from '../queries/trades.ts';

const tradesQuery = z.strictObject({
  ...pageShape,
  leader: addressParam.optional(),
  since: timeParam.optional(),
});

const decisionsQuery = z.strictObject({
  ...pageShape,
  decision: enumListParam(COPY_DECISIONS).optional(),
  reason: reasonListParam.optional(),
  follow: intParam(1).optional(),
  account: accountParam.optional(),
  leader: addressParam.optional(),
  since: timeParam.optional(),
});

const ordersQuery = z.strictObject({
  ...pageShape,
  status: enumListParam(ORDER_STATUSES).optional(),
  account: accountParam.optional(),
  follow: intParam(1).optional(),
  since: timeParam.optional(),
});

const guardrailsQuery = z.strictObject({
  ...pageShape,
  reason: reasonListParam.optional(),
  account: accountParam.optional(),
  leader: addressParam.optional(),
  since: timeParam.optional(),
  until: timeParam.optional(),
});

export function registerActivityRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/api/trades', async (request) => {
    const q = parseInput(tradesQuery, request.query, 'query');
    const page = await leaderTradesPage(ctx.store.db, q);
    return { trades: page.items, nextBefore: page.nextBefore };
  });

  app.get('/api/decisions', async (request) => {
    const q = parseInput(decisionsQuery, request.query, 'query');
    const page = await decisionsPage(ctx.store.db, {
      ...q,
      decisions: q.decision,
      reasons: q.reason,
      followId: q.follow,
    });
    return { decisions: page.items, nextBefore: page.nextBefore };
  });

  app.get('/api/orders', async (request) => {
    const q = parseInput(ordersQuery, request.query, 'query');
    const page = await ordersPage(ctx.store.db, { ...q, statuses: q.status, followId: q.follow });
    return { orders: page.items, nextBefore: page.nextBefore };
  });

  app.get('/api/guardrails', async (request) => {
    const q = parseInput(guardrailsQuery, request.query, 'query');
    const page = await guardrailEventsPage(ctx.store.db, { ...q, reasons: q.reason });
    const { account, leader, since, until } = q;
    return {
      events: page.items,
      nextBefore: page.nextBefore,
      /** Refusals per reason over the same account, leader and time filters (not paged). */
      reasons: await guardrailReasonCounts(ctx.store.db, { account, leader, since, until }),
    };
  });
}
