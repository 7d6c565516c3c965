/**
 * Public service and book routes (no auth): `/`, `/ok`, `/version`, `/time`, `/book`, `/books`,
 * `/tick-size`, `/neg-risk`, `/fee-rate`. Shapes: api-reference.md §4.1 and the samples; the
 * `/book` reply is the engine's, hash included. OWN: `/books` leaves unknown tokens out.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatMicro } from '../../../core/decimal.ts';
import type { ClobContext } from './context.ts';
import { takerBaseFeeBps } from './market-wire.ts';
import { batchOf, noOrderbook, tokenOf } from './public-inputs.ts';

export function registerPublicRoutes(app: FastifyInstance, ctx: ClobContext): void {
  const engine = ctx.venue.engine;

  // A JSON string, as the real health check answers.
  const ok = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.type('application/json').send('"OK"');
  app.get('/', ok);
  app.get('/ok', ok);
  app.get('/version', async () => ({ version: 2 }));
  app.get('/time', async () => Math.floor(ctx.options.now() / 1000));

  app.get('/book', async (request, reply) => {
    const tokenId = tokenOf(request, reply);
    if (tokenId === undefined) return reply;
    return engine.bookFor(tokenId) ?? noOrderbook(reply);
  });

  app.post('/books', async (request, reply) => {
    const items = batchOf(request, reply);
    if (items === undefined) return reply;
    return items.flatMap((item) => engine.bookFor(item.token_id) ?? []);
  });

  app.get('/tick-size', async (request, reply) => {
    const tokenId = tokenOf(request, reply);
    if (tokenId === undefined) return reply;
    const market = engine.marketOfToken(tokenId);
    return market === undefined
      ? noOrderbook(reply)
      : { minimum_tick_size: Number(formatMicro(market.tickSize)) };
  });

  app.get('/neg-risk', async (request, reply) => {
    const tokenId = tokenOf(request, reply);
    if (tokenId === undefined) return reply;
    const market = engine.marketOfToken(tokenId);
    return market === undefined ? noOrderbook(reply) : { neg_risk: market.negRisk };
  });

  app.get('/fee-rate', async (request, reply) => {
    const tokenId = tokenOf(request, reply);
    if (tokenId === undefined) return reply;
    const market = ctx.venue.marketOfToken(tokenId);
    return market === undefined ? noOrderbook(reply) : { base_fee: takerBaseFeeBps(market) };
  });
}
