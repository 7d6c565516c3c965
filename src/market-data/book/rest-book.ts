/**
 * `GET /book?token_id=` (api-reference.md §4.1), validated with the CLOB schema: the fallback
 * snapshot when the websocket cannot provide one, and the only source of `min_order_size` and
 * `neg_risk`, which the book hash covers but websocket books omit.
 */
import { NetworkError, TimeoutError, ValidationError } from '../../core/errors.ts';
import { type ClobBook, clobBookSchema } from '../../polymarket/clob/index.ts';

export interface FetchBookOptions {
  /** Gives up after this long, ms. */
  timeoutMs: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/** Throws NetworkError (HTTP or transport failure), TimeoutError, or ValidationError (bad body). */
export async function fetchClobBook(
  baseUrl: string,
  tokenId: string,
  options: FetchBookOptions,
): Promise<ClobBook> {
  const url = new URL('book', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('token_id', tokenId);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  let body: unknown;
  try {
    response = await (options.fetch ?? fetch)(url, { signal, headers: { accept: 'application/json' } });
    const text = await response.text();
    if (!response.ok) {
      throw new NetworkError(`GET /book answered ${response.status}`, {
        context: { tokenId, status: response.status, body: text.slice(0, 200) },
      });
    }
    body = JSON.parse(text);
  } catch (err) {
    if (err instanceof NetworkError) throw err;
    if (timeout.aborted)
      throw new TimeoutError(`GET /book timed out after ${options.timeoutMs} ms`, { cause: err });
    if (err instanceof SyntaxError)
      throw new ValidationError('GET /book answered with non-JSON', { cause: err });
    throw new NetworkError(`GET /book failed: ${String(err)}`, { cause: err, context: { tokenId } });
  }
  const parsed = clobBookSchema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError(`GET /book reply is malformed: ${parsed.error.issues[0]?.message ?? ''}`, {
      context: { tokenId },
    });
  }
  if (parsed.data.asset_id !== tokenId) {
    throw new ValidationError('GET /book answered for another token', { context: { tokenId } });
  }
  return parsed.data;
}

export interface RestBooksOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Requests at once; the rest wait their turn (the venue limits `/book` to 1500 per 10 s). */
  concurrency: number;
  fetch?: typeof fetch;
}

/** `fetchClobBook` with a cap on requests in flight; `abort()` fails those in flight and waiting. */
export class RestBooks {
  readonly #options: RestBooksOptions;
  readonly #waiting: { go: () => void; fail: (err: unknown) => void }[] = [];
  #active = 0;
  #abort = new AbortController();

  constructor(options: RestBooksOptions) {
    this.#options = { ...options, concurrency: Math.max(1, options.concurrency) };
  }

  async get(tokenId: string): Promise<ClobBook> {
    if (this.#active >= this.#options.concurrency) {
      await new Promise<void>((go, fail) => this.#waiting.push({ go, fail }));
    }
    this.#active++;
    try {
      const { baseUrl, timeoutMs, fetch: fetchFn } = this.#options;
      return await fetchClobBook(baseUrl, tokenId, {
        timeoutMs,
        signal: this.#abort.signal,
        ...(fetchFn ? { fetch: fetchFn } : {}),
      });
    } finally {
      this.#active--;
      this.#waiting.shift()?.go();
    }
  }

  abort(): void {
    this.#abort.abort();
    this.#abort = new AbortController();
    for (const w of this.#waiting.splice(0)) w.fail(new NetworkError('REST book request aborted'));
  }
}
