/**
 * The cancel routes (L2), all answering `{canceled: [...], not_canceled: {<id>: <reason>}}`
 * (sample clob_cancel_orders_response_nautilus.json): `DELETE /order` `{orderID}`, `DELETE
 * /orders` `[id, ...]` (at most 3000, duplicates ignored: the docs' cancel-multiple-orders page),
 * `DELETE /cancel-all`, and `DELETE /cancel-market-orders` `{market?, asset_id?}` (empty strings
 * count as absent; neither given cancels every open order of the key). Only the request's own
 * API key's orders can be cancelled; another key's id is "not found", as an unknown one.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CancelResult } from '../../engine/index.ts';
import type { ClobContext } from './context.ts';
import { rawBody } from './context.ts';
import { REST_ERROR, sendError } from './errors.ts';
import { parseBody } from './params.ts';

export const MAX_CANCEL_IDS = 3000;

const orderIdSchema = z.string().min(1).max(200);
const cancelOneBody = z.object({ orderID: orderIdSchema });
const cancelManyBody = z.array(orderIdSchema);
const cancelMarketBody = z.object({
  market: z.string().max(200).optional(),
  asset_id: z.string().max(200).optional(),
});

function wire(result: CancelResult) {
  return { canceled: result.canceled, not_canceled: result.notCanceled };
}

export function registerCancelRoutes(app: FastifyInstance, ctx: ClobContext): void {
  const engine = ctx.venue.engine;

  app.delete('/order', async (request, reply) => {
    const identity = ctx.authenticate(request, reply);
    if (identity === undefined) return reply;
    const body = parseBody(rawBody(request), cancelOneBody);
    if (!body.ok) return sendError(reply, 400, REST_ERROR.invalidPayload);
    return wire(engine.cancel([body.value.orderID], identity.apiKey));
  });

  app.delete('/orders', async (request, reply) => {
    const identity = ctx.authenticate(request, reply);
    if (identity === undefined) return reply;
    const body = parseBody(rawBody(request), cancelManyBody);
    if (!body.ok) return sendError(reply, 400, REST_ERROR.invalidPayload);
    const ids = [...new Set(body.value)];
    if (ids.length > MAX_CANCEL_IDS) return sendError(reply, 400, REST_ERROR.payloadTooLarge);
    return wire(engine.cancel(ids, identity.apiKey));
  });

  app.delete('/cancel-all', async (request, reply) => {
    const identity = ctx.authenticate(request, reply);
    if (identity === undefined) return reply;
    return wire(engine.cancelAll(identity.apiKey));
  });

  app.delete('/cancel-market-orders', async (request, reply) => {
    const identity = ctx.authenticate(request, reply);
    if (identity === undefined) return reply;
    const raw = rawBody(request);
    // No body at all is the same as `{}`.
    const body = raw.trim() === '' ? { ok: true as const, value: {} } : parseBody(raw, cancelMarketBody);
    if (!body.ok) return sendError(reply, 400, REST_ERROR.invalidPayload);
    const { market, asset_id } = body.value;
    return wire(
      engine.cancelAll(identity.apiKey, {
        ...(market ? { market: market.toLowerCase() } : {}),
        ...(asset_id ? { tokenId: asset_id } : {}),
      }),
    );
  });
}
