/**
 * Marks from the venue's books: the mid of each token's current REST `/book`, for commands that
 * run without the live book feed (`polyhunter positions`, `pnl`). A book that cannot be read in
 * time, is malformed, has an empty side or is crossed gives no mark (null): the position is shown
 * unpriced rather than at a price nobody quoted.
 */
import type { Price } from '../core/money.ts';
import { OrderBook } from '../market-data/book/order-book.ts';
import { fetchClobBook } from '../market-data/book/rest-book.ts';
import { levelsFromWire, type WireLevel } from '../market-data/book/wire.ts';
import type { Marks } from './report.ts';

export interface BookMarksOptions {
  /** Per book, ms (default 3000): a report should not hang on a slow venue. */
  timeoutMs?: number;
  /** Books read at once (default 8), well under the venue's `/book` rate limit. */
  concurrency?: number;
  fetch?: typeof fetch;
}

export function bookMarks(clobUrl: string, options: BookMarksOptions = {}): Marks {
  const timeoutMs = options.timeoutMs ?? 3000;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const midOf = async (tokenId: string): Promise<Price | null> => {
    try {
      const book = await fetchClobBook(clobUrl, tokenId, {
        timeoutMs,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      return bookMid(book.bids, book.asks);
    } catch {
      // Unreachable, slow or malformed: unpriced, which the report shows as such.
      return null;
    }
  };
  return async (tokenIds) => {
    const queue = [...new Set(tokenIds)];
    const marks = new Map<string, Price | null>();
    let next = 0;
    const worker = async () => {
      while (next < queue.length) {
        const tokenId = queue[next++]!;
        marks.set(tokenId, await midOf(tokenId));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    return marks;
  };
}

/** (best bid + best ask) / 2 as OrderBook rounds it; null when a side is empty or the book is crossed. */
export function bookMid(bids: readonly WireLevel[], asks: readonly WireLevel[]): Price | null {
  const book = new OrderBook('mark');
  try {
    book.replace(levelsFromWire(bids), levelsFromWire(asks));
  } catch {
    return null;
  }
  const bid = book.bestBidPrice();
  const ask = book.bestAskPrice();
  if (bid === null || ask === null || bid > ask) return null;
  return book.mid();
}
