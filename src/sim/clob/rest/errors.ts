/**
 * The REST layer's error texts and how they go out: every refusal is `{"error": "<text>"}` with
 * the status the real service uses.
 *
 * Texts marked DOCS are the docs' CLOB error-codes page (docs.polymarket.com/resources/error-codes,
 * 2026 crawl); the auth texts live with the verifiers (../auth/replies.ts). Texts marked OWN are
 * this simulator's wording where no real one was found.
 */
import type { FastifyReply } from 'fastify';

export const REST_ERROR = {
  /** DOCS, 400: `token_id` missing or not a token id. */
  invalidTokenId: 'Invalid token id',
  /** DOCS, 404: unknown token, or a closed market's book. */
  noOrderbook: 'No orderbook exists for the requested token id',
  /** DOCS, 400: a batch body (`/books`, `/prices`...) that is not the expected JSON. */
  invalidPayload: 'Invalid payload',
  /** DOCS, 400: a batch over the route's limit. */
  payloadTooLarge: 'Payload exceeds the limit',
  /** DOCS, 400: `side` is not BUY or SELL. */
  invalidSide: 'Invalid side',
  /** DOCS, 429. */
  tooManyRequests: 'Too Many Requests',
  restarting: 'RESTARTING',
  /** DOCS, 503: the exchange is paused. */
  tradingDisabled: 'Trading is currently disabled. Check polymarket.com for updates',
  /** Real (production reports of a failed POST /order), 500. */
  executionFailed: 'could not run the execution',
  /** OWN, 500: anything else that went wrong inside the simulator. */
  internal: 'Internal server error',
  /** OWN, 404: a condition id or token the catalog does not have. */
  marketNotFound: 'market not found',
  /** OWN, 404: `/data/order/<id>` for an unknown order or another key's. */
  orderNotFound: 'order not found',
  /** OWN, 400: a query parameter of the wrong form (the text names it). */
  invalidParam: (name: string) => `invalid ${name}`,
  /** OWN, 400: POST /orders over the batch limit (15 in the docs and NT's BATCH_ORDER_LIMIT). */
  tooManyOrders: (count: number, max: number) => `Too many orders in payload: ${count}, max allowed: ${max}`,
  /** OWN, 400: a heartbeat id that is not the session's (the reply carries the right one). */
  invalidHeartbeatId: 'Invalid Heartbeat ID',
  /** OWN, 413: a body over the size limit. */
  bodyTooLarge: 'Request body is too large',
} as const;

export type RestErrorStatus = 400 | 401 | 404 | 413 | 415 | 429 | 500 | 502 | 503;

export function sendError(
  reply: FastifyReply,
  status: RestErrorStatus | number,
  error: string,
): FastifyReply {
  return reply.code(status).send({ error });
}
