/**
 * What an API key can read of its own trading (L2): `GET /data/orders` (its open orders, in
 * arrival order, filtered by `id`, `market`, `asset_id`), `GET /data/order/<id>` (one order in any
 * state), `GET /data/trades` (its trades as taker or maker, newest first, filtered by `id`,
 * `maker_address`, `market`, `asset_id`, and `after`/`before` in epoch seconds, both inclusive) and
 * `GET /data/pre-migration-orders` (always empty: the simulator has no V1 past). Lists are cursor
 * pages (`next_cursor` "MA==" ... "LTE=").
 *
 * Orders and trades belong to the API key they were placed with, as the engine records them.
 * OWN: an unknown or foreign order id is a 404 `order not found`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ClobContext } from './context.ts';
import { REST_ERROR, sendError } from './errors.ts';
import { renderOpenOrder } from './order-wire.ts';
import { decodeCursor, pageOf } from './paging.ts';
import { queryValue } from './params.ts';
import { involves, renderTradeFor, type TradeWire } from './trade-wire.ts';

type Filters = Record<string, string | undefined>;

/** The named string parameters and the page offset, or undefined once the 400 is sent. */
function readQuery(
  request: FastifyRequest,
  reply: FastifyReply,
  names: readonly string[],
): { filters: Filters; offset: number } | undefined {
  const filters: Filters = {};
  for (const name of [...names, 'next_cursor']) {
    const value = queryValue(request.query, name);
    if (value === null) {
      sendError(reply, 400, REST_ERROR.invalidParam(name));
      return undefined;
    }
    filters[name] = value === '' ? undefined : value;
  }
  const offset = decodeCursor(filters.next_cursor);
  if (offset === undefined) {
    sendError(reply, 400, REST_ERROR.invalidParam('next_cursor'));
    return undefined;
  }
  return { filters, offset };
}

function epochSeconds(value: string | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  return /^[0-9]{1,12}$/.test(value) ? Number(value) : null;
}

export function registerQueryRoutes(app: FastifyInstance, ctx: ClobContext): void {
  const { venue } = ctx;

  app.get('/data/orders', async (request, reply) => {
    const identity = ctx.authenticate(request, reply);
    if (identity === undefined) return reply;
    const query = readQuery(request, reply, ['id', 'market', 'asset_id']);
    if (query === undefined) return reply;
    const { id, market, asset_id } = query.filters;
    const orders = venue.engine
      .openOrders({
        owner: identity.apiKey,
        ...(market ? { market: market.toLowerCase() } : {}),
        ...(asset_id ? { tokenId: asset_id } : {}),
      })
      .filter((o) => id === undefined || o.id.toLowerCase() === id.toLowerCase());
    const page = pageOf(orders, query.offset, ctx.pageSize);
    return { ...page, data: page.data.map(renderOpenOrder) };
  });

  app.get<{ Params: { orderId: string } }>('/data/order/:orderId', async (request, reply) => {
    const identity = ctx.authenticate(request, reply);
    if (identity === undefined) return reply;
    const order = venue.engine.order(request.params.orderId);
    if (order === undefined || order.owner !== identity.apiKey) {
      return sendError(reply, 404, REST_ERROR.orderNotFound);
    }
    return renderOpenOrder(order);
  });

  app.get('/data/trades', async (request, reply) => {
    const identity = ctx.authenticate(request, reply);
    if (identity === undefined) return reply;
    const query = readQuery(request, reply, ['id', 'maker_address', 'market', 'asset_id', 'before', 'after']);
    if (query === undefined) return reply;
    const f = query.filters;
    const before = epochSeconds(f.before);
    const after = epochSeconds(f.after);
    if (before === null) return sendError(reply, 400, REST_ERROR.invalidParam('before'));
    if (after === null) return sendError(reply, 400, REST_ERROR.invalidParam('after'));
    // Like the engine's own reads, see what is due now: delayed orders released, GTDs expired.
    venue.engine.expire();
    const market = f.market?.toLowerCase();
    const maker = f.maker_address?.toLowerCase();
    const rows: TradeWire[] = [];
    // Newest first; trades of the same millisecond stay in reverse settlement order (sort is stable).
    const records = venue
      .allTrades()
      .filter((r) => involves(r.trade, identity.apiKey))
      .reverse()
      .sort((a, b) => b.trade.matchTime - a.trade.matchTime);
    for (const record of records) {
      const t = record.trade;
      if (f.id !== undefined && t.id !== f.id) continue;
      if (market !== undefined && t.market.toLowerCase() !== market) continue;
      const time = Math.floor(t.matchTime / 1000);
      if (before !== undefined && time > before) continue;
      if (after !== undefined && time < after) continue;
      for (const row of renderTradeFor(record, identity.apiKey)) {
        if (maker !== undefined && row.maker_address.toLowerCase() !== maker) continue;
        // A maker's own fill may be on the other token (a mint or merge).
        const assets = [row.asset_id, ...row.maker_orders.map((m) => m.asset_id)];
        if (f.asset_id !== undefined && !assets.includes(f.asset_id)) continue;
        rows.push(row);
      }
    }
    return pageOf(rows, query.offset, ctx.pageSize);
  });

  app.get('/data/pre-migration-orders', async (request, reply) => {
    const identity = ctx.authenticate(request, reply);
    if (identity === undefined) return reply;
    const query = readQuery(request, reply, []);
    if (query === undefined) return reply;
    return pageOf([], query.offset, ctx.pageSize);
  });
}
