/**
 * DNS-rebinding protection. Reads need no token, so on a loopback address a web page on another
 * site could read them by pointing its own name at 127.0.0.1; the browser then sends that name as
 * Host. A server bound to loopback answers only requests that name a loopback host.
 */
import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors.ts';

const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['localhost', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return LOOPBACK_NAMES.has(h) || /^127(\.\d{1,3}){3}$/.test(h) || h.endsWith('.localhost');
}

/** The host name of a Host header, without the port ("[::1]:80" -> "[::1]"). */
export function hostNameOf(header: string): string {
  const h = header.trim();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

/** The onRequest hook for a loopback-bound server; undefined when bound elsewhere (no check). */
export function loopbackHostGuard(
  boundHost: string,
): ((request: FastifyRequest) => Promise<void>) | undefined {
  if (!isLoopbackHost(boundHost)) return undefined;
  return async (request) => {
    const header = request.headers.host;
    if (header !== undefined && isLoopbackHost(hostNameOf(header))) return;
    throw new HttpError(
      403,
      'HOST_NOT_ALLOWED',
      `this server listens on ${boundHost} and answers only requests addressed to localhost or 127.0.0.1 ` +
        '(DNS rebinding protection); to serve other names, set server.host and put a proxy in front',
    );
  };
}
