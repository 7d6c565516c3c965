/**
 * What signing an order needs to know about its market, per token, fetched once and cached: the
 * tick size (amount rounding and price validity), neg risk (which exchange the order is signed
 * for, hence its hash) and the fee schedule, plus the minimum size and whether orders are taken.
 *
 * Source: the same two public routes clob-client-v2 uses for market orders (`client.js`
 * `_ensureMarketInfoCached`): `GET /markets-by-token/<token_id>` for the condition id, then `GET
 * /clob-markets/<condition_id>` (`MarketDetails`: `mts`, `nr`, `fd {r, e, to}`, `mos`, `ao`), which
 * covers both tokens in one call. The tick can change while running (the venue moves it near 0.04
 * and 0.96), so entries expire after `ttlMs`, and `invalidate` drops one at once (the broker does so
 * when the venue refuses an order for its tick).
 */
import { parseMicro } from '../../core/decimal.ts';
import { describeError, NetworkError, TimeoutError, VenueError } from '../../core/errors.ts';
import type { Micro, Shares } from '../../core/money.ts';
import { parseTickSize, type TickSize } from '../../core/tick.ts';
import {
  type MarketDetails,
  marketByTokenSchema,
  marketDetailsSchema,
} from '../../polymarket/clob/schemas/rest-orders.ts';
import type { FetchLike } from './transport.ts';
import { send } from './transport.ts';

export interface MarketParams {
  tokenId: string;
  conditionId: string;
  tickSize: TickSize;
  negRisk: boolean;
  /** Taker fee rate as micro (0.04 -> 40_000); 0 for a fee-free market. */
  feeRate: Micro;
  feeExponent: number;
  takerOnly: boolean;
  minOrderSize: Shares;
  acceptingOrders: boolean;
  /** Monotonic ms it was fetched at. */
  fetchedAt: number;
}

export interface MarketParamsOptions {
  clobUrl: string;
  fetch: FetchLike;
  /** Monotonic ms, for expiry. */
  now: () => number;
  /** Wall-clock ms, for Retry-After dates. */
  wallNow: () => number;
  /** How long an entry is trusted; default 5 minutes. */
  ttlMs?: number;
  timeoutMs?: number;
}

const DEFAULT_TTL_MS = 5 * 60_000;

/** A JS number from the wire (0.01) as micro, exactly; throws for anything with more than 6 decimals. */
function microOf(n: number): Micro {
  return parseMicro(String(n), { allowExponent: true });
}

/** The params of every token of a market, from its `MarketDetails`. */
export function paramsFromDetails(details: MarketDetails, fetchedAt: number): MarketParams[] {
  const tickSize = parseTickSize(String(details.mts));
  return details.t.flatMap((token) =>
    token === null
      ? []
      : [
          {
            tokenId: token.t,
            conditionId: details.c.toLowerCase(),
            tickSize,
            negRisk: details.nr ?? false,
            feeRate: microOf(details.fd?.r ?? 0),
            feeExponent: details.fd?.e ?? 1,
            takerOnly: details.fd?.to ?? true,
            minOrderSize: microOf(details.mos ?? 0) as Shares,
            acceptingOrders: details.ao ?? true,
            fetchedAt,
          },
        ],
  );
}

export class MarketParamsCache {
  readonly #options: MarketParamsOptions;
  readonly #ttlMs: number;
  readonly #byToken = new Map<string, MarketParams>();
  readonly #inFlight = new Map<string, Promise<MarketParams>>();

  constructor(options: MarketParamsOptions) {
    this.#options = options;
    this.#ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  }

  /** The token's params, from the cache while fresh. Throws NetworkError, TimeoutError or VenueError. */
  get(tokenId: string): Promise<MarketParams> {
    const cached = this.peek(tokenId);
    if (cached !== undefined) return Promise.resolve(cached);
    // Concurrent callers for one token share one fetch.
    const pending = this.#inFlight.get(tokenId);
    if (pending !== undefined) return pending;
    const fetching = this.#fetch(tokenId).finally(() => this.#inFlight.delete(tokenId));
    this.#inFlight.set(tokenId, fetching);
    return fetching;
  }

  /** The cached params if still fresh, without fetching. */
  peek(tokenId: string): MarketParams | undefined {
    const cached = this.#byToken.get(tokenId);
    if (cached === undefined) return undefined;
    if (this.#options.now() - cached.fetchedAt >= this.#ttlMs) return undefined;
    return cached;
  }

  /** Drops a token's market (both tokens), e.g. after a tick-size change. */
  invalidate(tokenId: string): void {
    const conditionId = this.#byToken.get(tokenId)?.conditionId;
    for (const [token, params] of this.#byToken) {
      if (token === tokenId || params.conditionId === conditionId) this.#byToken.delete(token);
    }
  }

  /** Seeds the cache (e.g. from the catalog or a tick_size_change message). */
  prime(params: readonly MarketParams[]): void {
    for (const p of params) this.#byToken.set(p.tokenId, p);
  }

  async #get(path: string): Promise<unknown> {
    const { clobUrl, fetch, timeoutMs = 10_000, wallNow } = this.#options;
    const result = await send({
      url: `${clobUrl.replace(/\/$/, '')}${path}`,
      method: 'GET',
      headers: {},
      timeoutMs,
      fetch,
      now: wallNow,
    });
    switch (result.kind) {
      case 'timeout':
        throw new TimeoutError(`GET ${path}: no reply within ${result.afterMs} ms`);
      case 'unreachable':
      case 'lost':
        throw new NetworkError(`GET ${path}: ${result.error}`);
      case 'response':
        if (result.status !== 200) {
          throw new VenueError(`GET ${path}: ${result.status} ${describeError(result.body)}`, result.status);
        }
        return result.body;
    }
  }

  async #fetch(tokenId: string): Promise<MarketParams> {
    if (!/^\d{1,78}$/.test(tokenId)) throw new VenueError(`not a token id: ${tokenId.slice(0, 80)}`, 400);
    const byToken = marketByTokenSchema.safeParse(await this.#get(`/markets-by-token/${tokenId}`));
    if (!byToken.success) throw new VenueError(`/markets-by-token/${tokenId}: unreadable reply`, 200);
    const conditionId = byToken.data.condition_id;
    const details = marketDetailsSchema.safeParse(await this.#get(`/clob-markets/${conditionId}`));
    if (!details.success) {
      throw new VenueError(`/clob-markets/${conditionId}: unreadable reply: ${details.error.message}`, 200);
    }
    let all: MarketParams[];
    try {
      all = paramsFromDetails(details.data, this.#options.now());
    } catch (err) {
      throw new VenueError(`/clob-markets/${conditionId}: ${describeError(err)}`, 200);
    }
    const mine = all.find((p) => p.tokenId === tokenId);
    if (mine === undefined)
      throw new VenueError(`/clob-markets/${conditionId} does not list ${tokenId}`, 200);
    this.prime(all);
    return mine;
  }
}
