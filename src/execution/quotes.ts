/**
 * The book an order is priced and paper-filled against. The live websocket book when it is in
 * sync (it is current by construction: the socket would have told us of any change); otherwise a
 * REST `/book` snapshot, cached for at most `maxAgeMs` (5 s) with concurrent requests for one
 * token shared. A token the venue has no book for (404) is "no book": the only case where a paper
 * fill may fall back to the leader's price. A failed lookup is a quote of age infinity, which the
 * risk gate refuses as stale, never a made-up price.
 */
import type { Clock } from '../core/clock.ts';
import { describeError, NetworkError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { Price } from '../core/money.ts';
import { type BookFeed, fetchClobBook, type Level, levelsFromWire } from '../market-data/book/index.ts';

export interface Quote {
  tokenId: string;
  /** Null: the venue has no order book for the token. */
  book: { bids: readonly Level[]; asks: readonly Level[] } | null;
  bestBid: Price | null;
  bestAsk: Price | null;
  /** When the book was known to be current (epoch ms); 0 when it could not be read. */
  receivedAt: number;
  source: 'ws' | 'rest' | 'none';
}

export interface QuoteSourceOptions {
  feed: BookFeed | null;
  restUrl: string;
  clock: Clock;
  logger: Logger;
  /** Longest a REST snapshot is reused, ms. Default 5000. */
  maxAgeMs?: number;
  /** How long to wait for the websocket's first snapshot of a new token, ms. Default 1500. */
  wsWaitMs?: number;
  fetch?: typeof fetch;
}

export interface QuoteSource {
  quote(tokenId: string): Promise<Quote>;
}

export function createQuoteSource(options: QuoteSourceOptions): QuoteSource {
  const { feed, clock, logger } = options;
  const maxAgeMs = options.maxAgeMs ?? 5000;
  const wsWaitMs = options.wsWaitMs ?? 1500;
  const cache = new Map<string, Quote>();
  const inflight = new Map<string, Promise<Quote>>();

  const fromLevels = (
    tokenId: string,
    bids: readonly Level[],
    asks: readonly Level[],
    receivedAt: number,
    source: 'ws' | 'rest',
  ): Quote => ({
    tokenId,
    book: { bids, asks },
    bestBid: bids[0]?.price ?? null,
    bestAsk: asks[0]?.price ?? null,
    receivedAt,
    source,
  });

  async function fromRest(tokenId: string): Promise<Quote> {
    try {
      const b = await fetchClobBook(options.restUrl, tokenId, {
        timeoutMs: 5000,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      const byPrice = (dir: 1 | -1) => (x: Level, y: Level) => dir * (x.price - y.price);
      const bids = levelsFromWire(b.bids).sort(byPrice(-1));
      const asks = levelsFromWire(b.asks).sort(byPrice(1));
      return fromLevels(tokenId, bids, asks, clock.now(), 'rest');
    } catch (err) {
      if (err instanceof NetworkError && (err.context as { status?: number } | undefined)?.status === 404) {
        return { tokenId, book: null, bestBid: null, bestAsk: null, receivedAt: clock.now(), source: 'none' };
      }
      logger.warn({ tokenId, err: describeError(err) }, 'could not read the order book');
      return { tokenId, book: null, bestBid: null, bestAsk: null, receivedAt: 0, source: 'none' };
    }
  }

  function restCached(tokenId: string): Promise<Quote> {
    const hit = cache.get(tokenId);
    if (hit && hit.receivedAt > 0 && clock.now() - hit.receivedAt <= maxAgeMs) return Promise.resolve(hit);
    let pending = inflight.get(tokenId);
    if (!pending) {
      pending = fromRest(tokenId)
        .then((q) => {
          cache.set(tokenId, q);
          return q;
        })
        .finally(() => inflight.delete(tokenId));
      inflight.set(tokenId, pending);
    }
    return pending;
  }

  return {
    async quote(tokenId) {
      if (feed !== null) {
        feed.subscribe([tokenId]);
        const open = feed.connectionState === 'open';
        let book = open ? feed.getBook(tokenId) : undefined;
        if (book === undefined && open)
          book = await feed.waitForBook(tokenId, wsWaitMs).catch(() => undefined);
        if (book !== undefined && feed.connectionState === 'open') {
          return fromLevels(tokenId, book.levels('bid'), book.levels('ask'), clock.now(), 'ws');
        }
      }
      return restCached(tokenId);
    },
  };
}
