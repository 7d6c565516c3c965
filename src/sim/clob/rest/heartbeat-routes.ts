/**
 * `POST /v1/heartbeats` (the path clob-client-v2 posts to) and `POST /heartbeats` (the docs'
 * path), L2, body `{"heartbeat_id": "<id or empty>"}`. 200 `{heartbeat_id}` while the session is
 * current; 400 `{heartbeat_id: <the current id>, error: "Invalid Heartbeat ID"}` otherwise (see
 * heartbeats.ts for the rules).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ClobContext } from './context.ts';
import { rawBody } from './context.ts';
import { REST_ERROR, sendError } from './errors.ts';
import { parseBody } from './params.ts';

const heartbeatBody = z.object({ heartbeat_id: z.string().max(200).nullish() });

export function registerHeartbeatRoutes(app: FastifyInstance, ctx: ClobContext): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const identity = ctx.authenticate(request, reply);
    if (identity === undefined) return reply;
    const raw = rawBody(request);
    const body = raw.trim() === '' ? { ok: true as const, value: {} } : parseBody(raw, heartbeatBody);
    if (!body.ok) return sendError(reply, 400, REST_ERROR.invalidPayload);
    const beat = ctx.heartbeats.beat(identity.apiKey, body.value.heartbeat_id ?? '');
    if (beat.ok) return { heartbeat_id: beat.heartbeatId };
    return reply.code(400).send({ heartbeat_id: beat.heartbeatId, error: REST_ERROR.invalidHeartbeatId });
  };
  app.post('/v1/heartbeats', handler);
  app.post('/heartbeats', handler);
}
