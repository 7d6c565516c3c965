/**
 * One market's order book in YES terms, price-time priority. Each side is an array of price levels
 * sorted so that the best level is last, which is also the order `/book` lists them in (bids
 * ascending, asks descending) and makes taking the best level a pop. Within a level, orders keep
 * their arrival order (a Map iterates in insertion order), and a partial fill keeps an order's place.
 */
import type { Price, Shares } from '../../core/index.ts';
import type { BookSide, OrderState } from './order-state.ts';

export interface Level {
  readonly price: Price;
  /** Sum of the resting orders' remaining shares. */
  size: Shares;
  readonly orders: Map<string, OrderState>;
}

export class BookHalf {
  readonly side: BookSide;
  /** Sorted best-last: bids ascending, asks descending. */
  readonly levels: Level[] = [];
  readonly #byPrice = new Map<number, Level>();

  constructor(side: BookSide) {
    this.side = side;
  }

  best(): Level | undefined {
    return this.levels[this.levels.length - 1];
  }

  level(p: Price): Level | undefined {
    return this.#byPrice.get(p);
  }

  /** Whether a price on this side is better than another (higher bid, lower ask). */
  isBetter(a: number, b: number): boolean {
    return this.side === 'bid' ? a > b : a < b;
  }

  /** Appends `order` (remaining shares) at the back of its price level. */
  add(order: OrderState): void {
    let level = this.#byPrice.get(order.yesPrice);
    if (level === undefined) {
      level = { price: order.yesPrice, size: 0 as Shares, orders: new Map() };
      this.#byPrice.set(level.price, level);
      this.levels.splice(this.#insertionIndex(level.price), 0, level);
    }
    level.orders.set(order.id, order);
    level.size = (level.size + order.remaining) as Shares;
  }

  /** Takes `shares` off a resting order's level; the caller updates the order itself. */
  reduce(order: OrderState, shares: Shares): void {
    const level = this.#levelOf(order);
    level.size = (level.size - shares) as Shares;
  }

  /** Removes an order with whatever it still has resting. */
  remove(order: OrderState): void {
    const level = this.#levelOf(order);
    level.orders.delete(order.id);
    level.size = (level.size - order.remaining) as Shares;
    if (level.orders.size === 0) {
      this.#byPrice.delete(level.price);
      const i = this.levels.lastIndexOf(level);
      this.levels.splice(i, 1);
    }
  }

  #levelOf(order: OrderState): Level {
    const level = this.#byPrice.get(order.yesPrice);
    if (level === undefined || !level.orders.has(order.id)) {
      throw new Error(`order ${order.id} is not on the ${this.side} book`);
    }
    return level;
  }

  /** Where a new level goes so that better prices stay after worse ones. */
  #insertionIndex(p: number): number {
    let lo = 0;
    let hi = this.levels.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.isBetter(p, this.levels[mid]!.price)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export class MarketBook {
  readonly bids = new BookHalf('bid');
  readonly asks = new BookHalf('ask');

  half(side: BookSide): BookHalf {
    return side === 'bid' ? this.bids : this.asks;
  }

  /** The side an order on `side` trades against. */
  opposite(side: BookSide): BookHalf {
    return side === 'bid' ? this.asks : this.bids;
  }

  /** Whether an order on `side` with YES limit `yesLimit` would trade with the book now. */
  crosses(side: BookSide, yesLimit: Price): boolean {
    const best = this.opposite(side).best();
    if (best === undefined) return false;
    return side === 'bid' ? best.price <= yesLimit : best.price >= yesLimit;
  }
}
