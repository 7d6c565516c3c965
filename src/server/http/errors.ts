/**
 * Every error leaves the API as `{ "error": { "code", "message" } }` with a status that says whose
 * fault it is: the service's ValidationError and ConfigError are the caller's (400), anything
 * unexpected is ours (500, logged, its message not served).
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { ConfigError, describeError, PolyHunterError, ValidationError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';

export interface ErrorBody {
  error: { code: string; message: string };
}

/** An error with the HTTP status and code it is answered with. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
  }
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

export function notFound(message: string): HttpError {
  return new HttpError(404, 'NOT_FOUND', message);
}

/** Status and body for a thrown value; `internal` is true when it is our fault (log it). */
export function errorReply(err: unknown): { status: number; body: ErrorBody; internal: boolean } {
  if (err instanceof HttpError) {
    return { status: err.status, body: errorBody(err.code, err.message), internal: false };
  }
  if (err instanceof ValidationError || err instanceof ConfigError) {
    return { status: 400, body: errorBody(err.code, err.message), internal: false };
  }
  const fastifyError = err as Partial<FastifyError>;
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
  if (status >= 400 && status < 500) {
    // fastify's own refusals: a malformed JSON body, a wrong content type, a body too large.
    return {
      status,
      body: errorBody(fastifyError.code ?? 'BAD_REQUEST', describeError(err)),
      internal: false,
    };
  }
  const code = err instanceof PolyHunterError && err.retryable ? 'UNAVAILABLE' : 'INTERNAL';
  return {
    status: code === 'UNAVAILABLE' ? 503 : 500,
    body: errorBody(code, 'the server failed to answer; the error is in its log'),
    internal: true,
  };
}

export function installErrorHandlers(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((err, request, reply) => {
    const { status, body, internal } = errorReply(err);
    if (internal) {
      logger.error({ err, method: request.method, path: pathOf(request.url) }, 'HTTP request failed');
    }
    if (status === 401) void reply.header('www-authenticate', 'Bearer');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(errorBody('NOT_FOUND', `no such endpoint: ${request.method} ${pathOf(request.url)}`)),
  );
}

/** The path without the query string (which could hold anything a caller typed). */
export function pathOf(url: string): string {
  return url.split('?', 1)[0] ?? url;
}
