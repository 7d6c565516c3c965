/**
 * The CLOB's market routes: `/markets` (cursor pages of `{limit, count, next_cursor, data}`),
 * `/markets/<condition_id>`, `/clob-markets/<condition_id>` (what clob-client-v2 caches tick size,
 * neg risk and fees from) and `/markets-by-token/<token_id>` (how the client finds a token's
 * condition id before a market order). OWN: unknown ids get 404 `market not found`; the
 * by-token reply is `{condition_id, primary_token_id, secondary_token_id}` (the client reads only
 * `condition_id`).
 */
import type { FastifyInstance } from 'fastify';
import type { SimMarket } from '../../catalog/model.ts';
import type { ClobContext } from './context.ts';
import { REST_ERROR, sendError } from './errors.ts';
import { renderClobMarket, renderMarketDetails } from './market-wire.ts';
import { decodeCursor, pageOf } from './paging.ts';
import { queryValue } from './params.ts';

export function registerMarketRoutes(app: FastifyInstance, ctx: ClobContext): void {
  const { venue } = ctx;
  const byCondition = (id: string): SimMarket | undefined => {
    const lower = id.toLowerCase();
    return venue.catalog.markets.find((m) => m.conditionId.toLowerCase() === lower);
  };

  app.get('/markets', async (request, reply) => {
    const cursor = queryValue(request.query, 'next_cursor');
    const offset = cursor === null ? undefined : decodeCursor(cursor);
    if (offset === undefined) return sendError(reply, 400, REST_ERROR.invalidParam('next_cursor'));
    const page = pageOf(venue.catalog.markets, offset, ctx.marketsPageSize);
    return { ...page, data: page.data.map((m) => renderClobMarket(venue.engine, m)) };
  });

  app.get<{ Params: { conditionId: string } }>('/markets/:conditionId', async (request, reply) => {
    const market = byCondition(request.params.conditionId);
    return market === undefined
      ? sendError(reply, 404, REST_ERROR.marketNotFound)
      : renderClobMarket(venue.engine, market);
  });

  app.get<{ Params: { conditionId: string } }>('/clob-markets/:conditionId', async (request, reply) => {
    const market = byCondition(request.params.conditionId);
    return market === undefined
      ? sendError(reply, 404, REST_ERROR.marketNotFound)
      : renderMarketDetails(venue.engine, market);
  });

  app.get<{ Params: { tokenId: string } }>('/markets-by-token/:tokenId', async (request, reply) => {
    const market = venue.marketOfToken(request.params.tokenId);
    if (market === undefined) return sendError(reply, 404, REST_ERROR.marketNotFound);
    return {
      condition_id: market.conditionId,
      primary_token_id: market.tokens[0].tokenId,
      secondary_token_id: market.tokens[1].tokenId,
    };
  });
}
