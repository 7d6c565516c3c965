/**
 * The HTTP exchange behind order posting, reporting what happened in the terms classification
 * needs (submit-outcome.ts `SendResult`): a status and body, a connection that was never made, a
 * request that went out and got no answer, or a timeout.
 *
 * Orders are posted with `fetch` rather than through `ClobClient.postOrder` because that method
 * cannot be bounded or read closely enough for a money path: axios there has no timeout (a hung
 * socket would hold the signer's lock forever), a refused connection and a reset after sending
 * come back as the same `{error: message}` with no status, its `retryOnError` option resends a
 * POST after a 5xx (a blind resend), and after a match it polls `/data/trades` for up to 30 s for
 * settlement hashes before returning. The order itself is still built and signed by the client's
 * OrderBuilder, serialized by its `orderToJsonV2` and authenticated by its `createL2Headers`.
 */
import { describeError } from '../../core/errors.ts';
import type { SendResult } from './submit-outcome.ts';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Socket error codes meaning no connection was made, so nothing reached the venue. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** The `code` of an error or of any error in its `cause` chain. */
function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function describeChain(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  return cause === undefined ? describeError(err) : `${describeError(err)}: ${describeError(cause)}`;
}

/** Retry-After as seconds or an HTTP date, in ms from `nowMs`. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export interface SendOptions {
  url: string;
  method: 'POST' | 'GET' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  fetch: FetchLike;
  /** Wall-clock ms, for a Retry-After given as a date. */
  now: () => number;
}

/** One request; never throws. */
export async function send(options: SendOptions): Promise<SendResult> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  try {
    const response = await options.fetch(options.url, {
      method: options.method,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
      ...(options.body === undefined ? {} : { body: options.body }),
      signal: controller.signal,
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === '' ? '' : JSON.parse(text);
    } catch {
      // Not JSON (a CDN's HTML error page): the text is the body.
    }
    const after = retryAfterMs(response.headers.get('retry-after'), options.now());
    return {
      kind: 'response',
      status: response.status,
      body,
      ...(after === undefined ? {} : { retryAfterMs: after }),
    };
  } catch (err) {
    if (timedOut) return { kind: 'timeout', afterMs: options.timeoutMs };
    if (errorCodes(err).some((code) => NOT_CONNECTED.has(code))) {
      return { kind: 'unreachable', error: describeChain(err) };
    }
    return { kind: 'lost', error: describeChain(err) };
  } finally {
    clearTimeout(timer);
  }
}
