/**
 * The conventions every Data API v2 route shares: an `x-trace-id` header on every response, and
 * errors as `{error, code, retryable, trace_id, parameter?}` with the documented codes
 * (`invalid_request` 400, `not_found` 404, `method_not_allowed` 405, `internal` 500).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

type ErrorCode = 'invalid_request' | 'not_found' | 'method_not_allowed' | 'internal';
const STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  not_found: 404,
  method_not_allowed: 405,
  internal: 500,
};

/** Thrown by a v2 handler to answer with the v2 error body. */
export class V2Error extends Error {
  readonly code: ErrorCode;
  readonly parameter: string | undefined;

  constructor(code: ErrorCode, message: string, parameter?: string) {
    super(message);
    this.code = code;
    this.parameter = parameter;
  }
}

const traceIds = new WeakMap<FastifyRequest, string>();

function sendError(req: FastifyRequest, reply: FastifyReply, err: V2Error): FastifyReply {
  return reply.code(STATUS[err.code]).send({
    error: err.message,
    code: err.code,
    retryable: err.code === 'internal',
    trace_id: traceIds.get(req) ?? '',
    ...(err.parameter ? { parameter: err.parameter } : {}),
  });
}

/** Installs the hooks and handlers on an encapsulated v2 instance serving `paths` (GET only). */
export function installV2Conventions(v2: FastifyInstance, paths: readonly string[]): void {
  v2.addHook('onRequest', async (req, reply) => {
    const id = randomUUID().replaceAll('-', '');
    traceIds.set(req, id);
    reply.header('x-trace-id', id);
  });
  v2.setErrorHandler((err, req, reply) => {
    if (err instanceof V2Error) return sendError(req, reply, err);
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return sendError(req, reply, new V2Error('invalid_request', (err as Error).message));
    }
    return sendError(req, reply, new V2Error('internal', 'internal error'));
  });
  v2.setNotFoundHandler((req, reply) => sendError(req, reply, new V2Error('not_found', 'route not found')));
  for (const url of paths) {
    v2.route({
      method: ['POST', 'PUT', 'PATCH', 'DELETE'],
      url,
      handler: async (req, reply) =>
        sendError(req, reply, new V2Error('method_not_allowed', `${req.method} is not allowed`)),
    });
  }
}
