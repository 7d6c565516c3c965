/**
 * One token's L2 book in exact micro units: aggregated levels (price -> total shares) per side.
 *
 * Each side is a pair of parallel number arrays ordered worst to best, the wire's own order (bids
 * ascending, asks descending; best last). Almost every change lands at or near the top, so the
 * splices that keep the arrays sorted move few elements, the best level is the last element, and
 * a snapshot already in wire order needs no sort. Readers get best-first `Level` arrays built
 * lazily and cached until that side changes, so a walk between changes allocates nothing.
 */
import { ValidationError } from '../../core/errors.ts';
import type { Price, Shares } from '../../core/money.ts';
import { mulDiv } from '../../core/rounding.ts';
import type { TickSize } from '../../core/tick.ts';

/** `bid`: resting buys (wire side BUY); `ask`: resting sells (wire side SELL). */
export type BookSide = 'bid' | 'ask';

/** One aggregated price level; `size` is the total resting there. */
export interface Level {
  readonly price: Price;
  readonly size: Shares;
}

/** What callers may read; the feed alone changes a book. */
export interface BookView {
  readonly tokenId: string;
  /** Condition id, once a snapshot named it. */
  readonly market: string | null;
  /** Current tick, when a snapshot or `tick_size_change` said it. */
  readonly tickSize: TickSize | null;
  /** The server's book time (epoch ms) of the last state applied. */
  readonly timestamp: number | null;
  /** When this process last applied an update to this book (epoch ms), null before the first. */
  readonly receivedAt: number | null;
  /** Incremented on every change: a cheap "has it moved" check for caches. */
  readonly version: number;
  bestBid(): Level | null;
  bestAsk(): Level | null;
  /** (best bid + best ask) / 2 to the nearest micro (ties to even); null if a side is empty. */
  mid(): Price | null;
  /** best ask - best bid; null if a side is empty. At most 0 only for a crossed (inconsistent) book. */
  spread(): Price | null;
  /** Shares resting on `side` at prices at least as good as `limit` (all of them without one). */
  depth(side: BookSide, limit?: Price): Shares;
  /** Size at exactly `price` (0 if no level). */
  sizeAt(side: BookSide, price: Price): Shares;
  levelCount(side: BookSide): number;
  /** The side's levels, best first (bids descending, asks ascending). Cached; do not mutate. */
  levels(side: BookSide): readonly Level[];
  /** The `i`-th best level (0 = best) without building the array, or undefined. */
  levelAt(side: BookSide, i: number): Level | undefined;
}

/** One side's levels, worst first. `dir` is +1 for bids (ascending), -1 for asks (descending). */
class SideLevels {
  prices: number[] = [];
  sizes: number[] = [];
  readonly dir: 1 | -1;
  #bestFirst: Level[] | null = null;

  constructor(dir: 1 | -1) {
    this.dir = dir;
  }

  /** Index of `price`, or `-(insertion point) - 1` when absent. */
  find(price: number): number {
    const prices = this.prices;
    const dir = this.dir;
    let lo = 0;
    let hi = prices.length - 1;
    // Most changes hit the top of book: check the last slot before searching.
    if (hi >= 0 && prices[hi] === price) return hi;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const d = (prices[mid]! - price) * dir;
      if (d < 0) lo = mid + 1;
      else if (d > 0) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  set(price: number, size: number): void {
    const i = this.find(price);
    if (i >= 0) {
      if (size === 0) {
        this.prices.splice(i, 1);
        this.sizes.splice(i, 1);
      } else {
        if (this.sizes[i] === size) return;
        this.sizes[i] = size;
      }
    } else {
      if (size === 0) return;
      const at = -i - 1;
      if (at === this.prices.length) {
        this.prices.push(price);
        this.sizes.push(size);
      } else {
        this.prices.splice(at, 0, price);
        this.sizes.splice(at, 0, size);
      }
    }
    this.#bestFirst = null;
  }

  /** Throws before changing anything when a size is negative or a price repeats. */
  replace(levels: readonly Level[]): void {
    let prices: number[] = [];
    let sizes: number[] = [];
    for (const l of levels) {
      if (l.size < 0) throw new ValidationError(`negative level size ${l.size} at ${l.price}`);
      if (l.size === 0) continue;
      prices.push(l.price);
      sizes.push(l.size);
    }
    const dir = this.dir;
    let sorted = true;
    for (let i = 1; i < prices.length && sorted; i++) sorted = (prices[i]! - prices[i - 1]!) * dir >= 0;
    if (!sorted) {
      // Snapshots arrive in wire order; anything else is sorted once here.
      const order = prices.map((_, i) => i).sort((a, b) => (prices[a]! - prices[b]!) * dir);
      prices = order.map((i) => prices[i]!);
      sizes = order.map((i) => sizes[i]!);
    }
    for (let i = 1; i < prices.length; i++) {
      if (prices[i] === prices[i - 1]) {
        throw new ValidationError(`snapshot lists the price ${prices[i]} twice on one side`);
      }
    }
    this.prices = prices;
    this.sizes = sizes;
    this.#bestFirst = null;
  }

  bestFirst(): readonly Level[] {
    if (this.#bestFirst === null) {
      const n = this.prices.length;
      const out: Level[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = { price: this.prices[n - 1 - i] as Price, size: this.sizes[n - 1 - i] as Shares };
      }
      this.#bestFirst = out;
    }
    return this.#bestFirst;
  }
}

export class OrderBook implements BookView {
  readonly tokenId: string;
  market: string | null = null;
  tickSize: TickSize | null = null;
  timestamp: number | null = null;
  receivedAt: number | null = null;
  version = 0;
  #bids = new SideLevels(1);
  #asks = new SideLevels(-1);

  constructor(tokenId: string) {
    this.tokenId = tokenId;
  }

  /**
   * Replaces both sides (a snapshot). Zero-size levels are dropped. A repeated price or a negative
   * size throws ValidationError and leaves the book as it was.
   */
  replace(bids: readonly Level[], asks: readonly Level[]): void {
    const b = new SideLevels(1);
    const a = new SideLevels(-1);
    b.replace(bids);
    a.replace(asks);
    this.#bids = b;
    this.#asks = a;
    this.version++;
  }

  /** Sets a level's aggregate size (a `price_change` entry): 0 removes it. */
  setLevel(side: BookSide, price: Price, size: Shares): void {
    if (size < 0) throw new ValidationError(`negative level size ${size}`);
    (side === 'bid' ? this.#bids : this.#asks).set(price, size);
    this.version++;
  }

  clear(): void {
    this.replace([], []);
  }

  bestBid(): Level | null {
    return top(this.#bids);
  }

  bestAsk(): Level | null {
    return top(this.#asks);
  }

  bestBidPrice(): Price | null {
    const p = this.#bids.prices;
    return p.length === 0 ? null : (p[p.length - 1] as Price);
  }

  bestAskPrice(): Price | null {
    const p = this.#asks.prices;
    return p.length === 0 ? null : (p[p.length - 1] as Price);
  }

  mid(): Price | null {
    const bid = this.bestBidPrice();
    const ask = this.bestAskPrice();
    if (bid === null || ask === null) return null;
    return mulDiv(bid + ask, 1, 2, 'halfEven') as Price;
  }

  spread(): Price | null {
    const bid = this.bestBidPrice();
    const ask = this.bestAskPrice();
    return bid === null || ask === null ? null : ((ask - bid) as Price);
  }

  depth(side: BookSide, limit?: Price): Shares {
    const s = this.#side(side);
    let total = 0;
    // Walk from the best (last) down while within the limit.
    for (let i = s.prices.length - 1; i >= 0; i--) {
      if (limit !== undefined && (s.prices[i]! - limit) * s.dir < 0) break;
      total += s.sizes[i]!;
    }
    return total as Shares;
  }

  sizeAt(side: BookSide, price: Price): Shares {
    const s = this.#side(side);
    const i = s.find(price);
    return (i >= 0 ? s.sizes[i]! : 0) as Shares;
  }

  levelCount(side: BookSide): number {
    return this.#side(side).prices.length;
  }

  levels(side: BookSide): readonly Level[] {
    return this.#side(side).bestFirst();
  }

  levelAt(side: BookSide, i: number): Level | undefined {
    const s = this.#side(side);
    const j = s.prices.length - 1 - i;
    if (i < 0 || j < 0) return undefined;
    return { price: s.prices[j] as Price, size: s.sizes[j] as Shares };
  }

  /** Calls `fn` for each level of `side` in wire order (worst first, best last). */
  forEachWire(side: BookSide, fn: (price: Price, size: Shares) => void): void {
    const s = this.#side(side);
    for (let i = 0; i < s.prices.length; i++) fn(s.prices[i] as Price, s.sizes[i] as Shares);
  }

  /** Same levels on both sides (meta fields aside). */
  sameLevels(other: OrderBook): boolean {
    return sameSide(this.#bids, other.#bids) && sameSide(this.#asks, other.#asks);
  }

  #side(side: BookSide): SideLevels {
    return side === 'bid' ? this.#bids : this.#asks;
  }
}

function top(s: SideLevels): Level | null {
  const n = s.prices.length;
  return n === 0 ? null : { price: s.prices[n - 1] as Price, size: s.sizes[n - 1] as Shares };
}

function sameSide(a: SideLevels, b: SideLevels): boolean {
  if (a.prices.length !== b.prices.length) return false;
  for (let i = 0; i < a.prices.length; i++) {
    if (a.prices[i] !== b.prices[i] || a.sizes[i] !== b.sizes[i]) return false;
  }
  return true;
}
