/**
 * The inputs of the public market-data routes: one `token_id` query parameter, or a batch body
 * `[{token_id, side?}]`, each refused with the docs' 400 texts. OWN: a batch takes at most 500
 * entries (the docs name the error, not the number).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { rawBody } from './context.ts';
import { REST_ERROR, sendError } from './errors.ts';
import { parseBody, tokenIdParam, tokenIdSchema } from './params.ts';

export const PUBLIC_BATCH_LIMIT = 500;

const batchItems = z.array(z.object({ token_id: tokenIdSchema, side: z.string().optional() }));
export type BatchItem = z.output<typeof batchItems>[number];

/** The token id of a single-token route, or undefined once the 400 is sent. */
export function tokenOf(request: FastifyRequest, reply: FastifyReply): string | undefined {
  const tokenId = tokenIdParam(request.query);
  if (tokenId === undefined) sendError(reply, 400, REST_ERROR.invalidTokenId);
  return tokenId;
}

/** A batch body, or undefined once the 400 is sent. */
export function batchOf(request: FastifyRequest, reply: FastifyReply): BatchItem[] | undefined {
  const parsed = parseBody(rawBody(request), batchItems);
  if (!parsed.ok) {
    sendError(reply, 400, REST_ERROR.invalidPayload);
    return undefined;
  }
  if (parsed.value.length > PUBLIC_BATCH_LIMIT) {
    sendError(reply, 400, REST_ERROR.payloadTooLarge);
    return undefined;
  }
  return parsed.value;
}

export function noOrderbook(reply: FastifyReply): FastifyReply {
  return sendError(reply, 404, REST_ERROR.noOrderbook);
}
