/**
 * GET /api/events: the live feed as Server-Sent Events. `types` (comma-separated) narrows it to
 * some of the streamed events; the default is all of them.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type EventStreams, STREAMED_EVENTS } from '../event-streams.ts';
import { enumListParam, parseInput } from '../params.ts';

const eventsQuery = z.strictObject({ types: enumListParam(STREAMED_EVENTS).optional() });

export function registerEventRoutes(app: FastifyInstance, streams: EventStreams): void {
  app.get('/api/events', async (request, reply) => {
    const q = parseInput(eventsQuery, request.query, 'query');
    streams.open(reply, [...new Set(q.types ?? STREAMED_EVENTS)]);
    return reply;
  });
}
