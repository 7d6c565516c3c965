/**
 * `POST /order` and `POST /orders` (L2). Each order goes: owner is the request's API key -> the
 * signature verifies for its market's exchange -> the engine, through `venue.submit`, which waits
 * for the trades' transaction hashes so the reply carries them.
 *
 * A refused single order is a 400 `{"error": <reason>}` (the client's error payload since
 * Polymarket/clob-client#68); in a batch each refusal is an entry `{success: false, errorMsg}`.
 * `deferExec` is accepted and ignored: the simulator always executes at once.
 */
import type { FastifyInstance } from 'fastify';
import type { PostOrderV2Body } from '../../../polymarket/clob/order-v2.ts';
import {
  CLOB_ERROR,
  checkOrderOwner,
  type L2Identity,
  parsePostOrderBody,
  parsePostOrdersBody,
  verifyOrder,
} from '../auth/index.ts';
import type { ClobContext } from './context.ts';
import { rawBody } from './context.ts';
import { REST_ERROR, sendError } from './errors.ts';
import { acceptedResponse, type OrderResponse, refusedResponse, toOrderRequest } from './order-request.ts';

/** Orders per `POST /orders` (docs' post-orders page; NT `BATCH_ORDER_LIMIT`). */
export const MAX_BATCH_ORDERS = 15;

type Placed = { ok: true; response: OrderResponse } | { ok: false; error: string };

async function place(ctx: ClobContext, body: PostOrderV2Body, identity: L2Identity): Promise<Placed> {
  const { venue, options } = ctx;
  const owner = checkOrderOwner(body, identity.apiKey);
  if (!owner.ok) return { ok: false, error: owner.reply.body.error };
  // An unknown token is checked as a standard-market order; the engine then refuses it by name.
  const negRisk = venue.engine.marketOfToken(body.order.tokenId)?.negRisk ?? false;
  const verified = await verifyOrder(body.order, {
    chainId: options.chainId,
    negRisk,
    apiKeyOwner: identity.address,
    wallets: venue.wallets,
  });
  if (!verified.ok) return { ok: false, error: verified.reply.body.error };
  const request = toOrderRequest(body, verified.value.hash, identity.apiKey);
  if (request === undefined) return { ok: false, error: CLOB_ERROR.invalidOrderPayload };
  const { result, trades } = await venue.submit(request);
  if (!result.success) return { ok: false, error: result.errorMsg };
  ctx.funders.remember(identity.apiKey, body.order.signatureType, verified.value.maker);
  return { ok: true, response: acceptedResponse(result, trades) };
}

export function registerOrderRoutes(app: FastifyInstance, ctx: ClobContext): void {
  app.post('/order', async (request, reply) => {
    const identity = ctx.authenticate(request, reply);
    if (identity === undefined) return reply;
    const body = parsePostOrderBody(rawBody(request));
    if (!body.ok) return reply.code(body.reply.status).send(body.reply.body);
    const placed = await place(ctx, body.value, identity);
    return placed.ok ? placed.response : sendError(reply, 400, placed.error);
  });

  app.post('/orders', async (request, reply) => {
    const identity = ctx.authenticate(request, reply);
    if (identity === undefined) return reply;
    const bodies = parsePostOrdersBody(rawBody(request));
    if (!bodies.ok) return reply.code(bodies.reply.status).send(bodies.reply.body);
    if (bodies.value.length > MAX_BATCH_ORDERS) {
      return sendError(reply, 400, REST_ERROR.tooManyOrders(bodies.value.length, MAX_BATCH_ORDERS));
    }
    const responses: OrderResponse[] = [];
    // One at a time, in the order sent: each order sees the book the previous ones left.
    for (const body of bodies.value) {
      const placed = await place(ctx, body, identity);
      responses.push(placed.ok ? placed.response : refusedResponse(placed.error));
    }
    return responses;
  });
}
