/**
 * Liquidity-reward scoring (L2): `GET /order-scoring?order_id=` -> `{scoring}` and `POST
 * /orders-scoring` `[ids]` -> `{<id>: bool}`. The simulator runs no rewards program, so nothing
 * scores.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ClobContext } from './context.ts';
import { rawBody } from './context.ts';
import { REST_ERROR, sendError } from './errors.ts';
import { parseBody, queryValue } from './params.ts';

export function registerScoringRoutes(app: FastifyInstance, ctx: ClobContext): void {
  app.get('/order-scoring', async (request, reply) => {
    if (ctx.authenticate(request, reply) === undefined) return reply;
    const id = queryValue(request.query, 'order_id');
    if (typeof id !== 'string' || id === '')
      return sendError(reply, 400, REST_ERROR.invalidParam('order_id'));
    return { scoring: false };
  });

  app.post('/orders-scoring', async (request, reply) => {
    if (ctx.authenticate(request, reply) === undefined) return reply;
    const ids = parseBody(rawBody(request), z.array(z.string().max(200)).max(1000));
    if (!ids.ok) return sendError(reply, 400, REST_ERROR.invalidPayload);
    return Object.fromEntries(ids.value.map((id) => [id, false]));
  });
}
