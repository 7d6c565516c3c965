/**
 * Bearer-token auth for every write. Reads are open (the server binds to 127.0.0.1 by default);
 * any method other than GET and HEAD needs `Authorization: Bearer <dashboard.token>`, checked
 * before the body is read. Without a configured token every write is refused.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors.ts';

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

export const NO_TOKEN_MESSAGE =
  'writes are disabled: no dashboard token is configured. Run `polyhunter init` to create one, or set ' +
  'dashboard.token in secrets.toml (or POLYHUNTER_DASHBOARD__TOKEN) and restart';

/** Compares in time independent of where the texts differ, and of their lengths (both are hashed). */
export function tokensMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** The onRequest hook: throws an HttpError for a write that lacks the right token. */
export function writeGuard(token: string | undefined): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    if (READ_METHODS.has(request.method)) return;
    if (token === undefined || token === '') throw new HttpError(403, 'WRITES_DISABLED', NO_TOKEN_MESSAGE);
    const header = request.headers.authorization;
    if (header === undefined) {
      throw new HttpError(
        401,
        'UNAUTHORIZED',
        'this is a write: send the dashboard token as `Authorization: Bearer <token>`',
      );
    }
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (match === null || !tokensMatch(match[1]!, token)) {
      throw new HttpError(401, 'UNAUTHORIZED', 'the bearer token is wrong');
    }
  };
}
