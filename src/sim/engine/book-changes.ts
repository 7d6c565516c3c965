/**
 * The book levels one engine operation touched, remembered with their size and the top of book
 * before the first change, so the operation can end with one `price_change`-style event per market
 * listing only levels whose aggregate size really changed.
 */
import { MICRO, type Price, type Shares } from '../../core/index.ts';
import { tokenBookHash, tokenTop } from './book-summary.ts';
import type { PriceLevelChange, UnstampedEvent } from './events.ts';
import type { MarketState } from './market.ts';
import type { BookSide } from './order-state.ts';
import type { OutcomeIndex, Side } from './types.ts';

interface TouchedLevel {
  side: BookSide;
  price: Price;
  before: Shares;
}

export interface MarketTouches {
  market: MarketState;
  levels: TouchedLevel[];
  /** YES best bid and ask before the operation changed anything. */
  topBefore: [Price | null, Price | null];
  traded: boolean;
}

/** One entry per token for a changed YES level: the level itself and its mirror on NO. */
export interface TokenLevel {
  outcome: OutcomeIndex;
  price: Price;
  side: Side;
  size: Shares;
}

export class BookChanges {
  readonly #markets = new Map<MarketState, { touches: MarketTouches; keys: Set<string> }>();

  /** Call before changing the level at (side, price) of `market`. */
  touch(market: MarketState, side: BookSide, price: Price): void {
    let entry = this.#markets.get(market);
    if (entry === undefined) {
      const top: [Price | null, Price | null] = [
        market.book.bids.best()?.price ?? null,
        market.book.asks.best()?.price ?? null,
      ];
      entry = { touches: { market, levels: [], topBefore: top, traded: false }, keys: new Set() };
      this.#markets.set(market, entry);
    }
    const key = `${side}:${price}`;
    if (entry.keys.has(key)) return;
    entry.keys.add(key);
    const before = (market.book.half(side).level(price)?.size ?? 0) as Shares;
    entry.touches.levels.push({ side, price, before });
  }

  markTraded(market: MarketState): void {
    const entry = this.#markets.get(market);
    if (entry !== undefined) entry.touches.traded = true;
  }

  /** Everything touched since the last drain, in first-touch order; resets the tracker. */
  drain(): MarketTouches[] {
    const all = [...this.#markets.values()].map((e) => e.touches);
    this.#markets.clear();
    return all;
  }
}

/** The levels of `touches` whose size changed, as YES and NO entries (YES first). */
export function changedLevels(touches: MarketTouches): TokenLevel[] {
  const out: TokenLevel[] = [];
  for (const t of touches.levels) {
    const size = (touches.market.book.half(t.side).level(t.price)?.size ?? 0) as Shares;
    if (size === t.before) continue;
    const yesSide: Side = t.side === 'bid' ? 'BUY' : 'SELL';
    out.push({ outcome: 0, price: t.price, side: yesSide, size });
    out.push({
      outcome: 1,
      price: (MICRO - t.price) as Price,
      side: yesSide === 'BUY' ? 'SELL' : 'BUY',
      size,
    });
  }
  return out;
}

/**
 * The events closing an operation on one market: a `book_changed` listing every changed level on
 * both tokens with each token's top and hash afterwards, then a `best_bid_ask` per token if the
 * top moved. Stamps the book's timestamp, which the hash covers. Nothing when no level changed.
 */
export function bookEvents(touches: MarketTouches, now: number): UnstampedEvent[] {
  const market = touches.market;
  const levels = changedLevels(touches);
  if (levels.length === 0) return [];
  market.bookTimestamp = now;
  const tops = [tokenTop(market, 0), tokenTop(market, 1)] as const;
  const hashes = [tokenBookHash(market, 0), tokenBookHash(market, 1)] as const;
  const changes: PriceLevelChange[] = levels.map((l) => ({
    tokenId: market.tokenIds[l.outcome],
    price: l.price,
    side: l.side,
    size: l.size,
    bestBid: tops[l.outcome][0],
    bestAsk: tops[l.outcome][1],
    hash: hashes[l.outcome],
  }));
  const events: UnstampedEvent[] = [
    { type: 'book_changed', market: market.conditionId, traded: touches.traded, changes },
  ];
  const [bidBefore, askBefore] = touches.topBefore;
  if (bidBefore === tops[0][0] && askBefore === tops[0][1]) return events;
  for (const outcome of [0, 1] as const) {
    const [bestBid, bestAsk] = tops[outcome];
    events.push({
      type: 'best_bid_ask',
      market: market.conditionId,
      tokenId: market.tokenIds[outcome],
      bestBid,
      bestAsk,
      spread: bestBid === null || bestAsk === null ? null : ((bestAsk - bestBid) as Price),
    });
  }
  return events;
}
