/**
 * Public price routes (no auth): `/price`, `/prices`, `/midpoint(s)`, `/spread(s)`,
 * `/last-trade-price`, `/last-trades-prices`. `/price` is the best bid for BUY and the best ask
 * for SELL (docs' get-market-price page); prices go out as decimal strings.
 *
 * OWN decisions: a token whose needed side is empty gets the same 404 as an unknown one (batch
 * routes leave it out); a token that never traded has last trade `{"price": "0", "side": ""}`.
 * `/spreads` wraps its map in `{"spreads": ...}` and `/midpoints` does not, as rs-clob-client
 * reads them.
 */
import type { FastifyInstance } from 'fastify';
import { formatMicro } from '../../../core/decimal.ts';
import type { Price } from '../../../core/money.ts';
import type { ClobContext } from './context.ts';
import { REST_ERROR, sendError } from './errors.ts';
import { queryValue, sideSchema } from './params.ts';
import { batchOf, noOrderbook, tokenOf } from './public-inputs.ts';

type Side = 'BUY' | 'SELL';

export function registerPriceRoutes(app: FastifyInstance, ctx: ClobContext): void {
  const engine = ctx.venue.engine;

  const top = (tokenId: string) => {
    const market = engine.marketOfToken(tokenId);
    if (market === undefined || market.closed) return undefined;
    return engine.topOfBook(tokenId);
  };
  const priceOf = (tokenId: string, side: Side): Price | null | undefined => {
    const t = top(tokenId);
    if (t === undefined) return undefined;
    return side === 'BUY' ? t.bestBid : t.bestAsk;
  };
  const midOf = (tokenId: string): string | undefined => {
    const t = top(tokenId);
    if (t?.bestBid == null || t.bestAsk == null) return undefined;
    // Prices sit on ticks of at least 0.0001 (100 micro-units), so the sum halves exactly.
    return formatMicro((t.bestBid + t.bestAsk) / 2);
  };
  const spreadOf = (tokenId: string): string | undefined => {
    const t = top(tokenId);
    if (t?.bestBid == null || t.bestAsk == null) return undefined;
    return formatMicro(t.bestAsk - t.bestBid);
  };
  const lastTradeOf = (tokenId: string) => {
    const last = engine.lastTrade(tokenId);
    return last === null ? { price: '0', side: '' } : { price: formatMicro(last.price), side: last.side };
  };

  app.get('/price', async (request, reply) => {
    const tokenId = tokenOf(request, reply);
    if (tokenId === undefined) return reply;
    const side = sideSchema.safeParse(queryValue(request.query, 'side'));
    if (!side.success) return sendError(reply, 400, REST_ERROR.invalidSide);
    const price = priceOf(tokenId, side.data);
    return price == null ? noOrderbook(reply) : { price: formatMicro(price) };
  });

  app.post('/prices', async (request, reply) => {
    const items = batchOf(request, reply);
    if (items === undefined) return reply;
    if (items.some((item) => !sideSchema.safeParse(item.side).success)) {
      return sendError(reply, 400, REST_ERROR.invalidSide);
    }
    const out: Record<string, Partial<Record<Side, string>>> = {};
    for (const item of items) {
      const side = item.side as Side;
      const price = priceOf(item.token_id, side);
      if (price == null) continue;
      out[item.token_id] = { ...out[item.token_id], [side]: formatMicro(price) };
    }
    return out;
  });

  app.get('/midpoint', async (request, reply) => {
    const tokenId = tokenOf(request, reply);
    if (tokenId === undefined) return reply;
    const mid = midOf(tokenId);
    return mid === undefined ? noOrderbook(reply) : { mid };
  });

  app.post('/midpoints', async (request, reply) => {
    const items = batchOf(request, reply);
    if (items === undefined) return reply;
    const out: Record<string, string> = {};
    for (const item of items) {
      const mid = midOf(item.token_id);
      if (mid !== undefined) out[item.token_id] = mid;
    }
    return out;
  });

  app.get('/spread', async (request, reply) => {
    const tokenId = tokenOf(request, reply);
    if (tokenId === undefined) return reply;
    const spread = spreadOf(tokenId);
    return spread === undefined ? noOrderbook(reply) : { spread };
  });

  app.post('/spreads', async (request, reply) => {
    const items = batchOf(request, reply);
    if (items === undefined) return reply;
    const spreads: Record<string, string> = {};
    for (const item of items) {
      const spread = spreadOf(item.token_id);
      if (spread !== undefined) spreads[item.token_id] = spread;
    }
    return { spreads };
  });

  app.get('/last-trade-price', async (request, reply) => {
    const tokenId = tokenOf(request, reply);
    if (tokenId === undefined) return reply;
    return engine.marketOfToken(tokenId) === undefined ? noOrderbook(reply) : lastTradeOf(tokenId);
  });

  app.post('/last-trades-prices', async (request, reply) => {
    const items = batchOf(request, reply);
    if (items === undefined) return reply;
    return items
      .filter((item) => engine.marketOfToken(item.token_id) !== undefined)
      .map((item) => ({ token_id: item.token_id, ...lastTradeOf(item.token_id) }));
  });
}
