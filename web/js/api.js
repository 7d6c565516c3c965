/**
 * The API client: JSON in and out, the stored token on writes, and every refusal as an ApiError
 * carrying the server's own status, code and message (shown to the user as the server said it).
 */
import { getToken } from './token.js';

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status; 0 when the server did not answer
   * @param {string} code the server's error code, e.g. UNAUTHORIZED, INVALID_REQUEST
   * @param {string} message the server's message
   */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * A query string from the defined, non-empty values: { a: 1, b: undefined } -> "?a=1".
 * @param {Record<string, string | number | boolean | null | undefined>} params
 */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const text = q.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * GET a JSON document.
 * @param {string} path e.g. "/api/status"
 * @param {AbortSignal} [signal]
 * @returns {Promise<any>}
 */
export function apiGet(path, signal) {
  return request('GET', path, undefined, signal ? { signal } : {});
}

/**
 * A write (POST, PUT, PATCH, DELETE) with the stored token, or with `token` when given.
 * @param {'POST' | 'PUT' | 'PATCH' | 'DELETE'} method
 * @param {string} path
 * @param {unknown} [body]
 * @param {{ token?: string }} [options]
 * @returns {Promise<any>}
 */
export function apiSend(method, path, body, options = {}) {
  const token = options.token ?? getToken();
  return request(method, path, body, token ? { token } : {});
}

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} body
 * @param {{ token?: string, signal?: AbortSignal }} options
 */
async function request(method, path, body, options) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      cache: 'no-store',
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(
      0,
      'NETWORK',
      `the server did not answer (${err instanceof Error ? err.message : err})`,
    );
  }
  const text = await response.text();
  let json;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  if (!response.ok) {
    const error = json?.error;
    throw new ApiError(
      response.status,
      typeof error?.code === 'string' ? error.code : `HTTP_${response.status}`,
      typeof error?.message === 'string' ? error.message : text.slice(0, 300) || response.statusText,
    );
  }
  return json;
}
