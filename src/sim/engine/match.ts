/**
 * Which resting orders a taker order trades with, without changing anything: the engine can then
 * refuse a FOK that would not fill whole before a single balance moves.
 *
 * Price-time priority on the YES book: best price first, oldest first within a price, whether the
 * resting order is a YES order or a mirrored NO order. Every fill executes at the resting
 * (maker) order's price. That is what the exchange contract settles: each maker receives exactly
 * its own order's rate (`calculateTakingAmount`) and the taker keeps the surplus
 * (`_updateTakingWithSurplus`) - the taker gets any price improvement.
 */
import { MICRO, type Micro, mulDiv, type Price, type Shares } from '../../core/index.ts';
import { fillQuantum, floorToMultiple, ownPrice } from './amounts.ts';
import type { MarketBook } from './book.ts';
import type { BookSide, OrderState } from './order-state.ts';
import type { OutcomeIndex } from './types.ts';

export interface TakerTerms {
  bookSide: BookSide;
  /** The taker's limit in YES terms. */
  yesLimit: Price;
  /** The taker's limit in its own token's terms. */
  price: Price;
  outcome: OutcomeIndex;
  sizeUnit: 'shares' | 'usdc';
  /** Unfilled size in sizeUnit. */
  remaining: number;
  /** A market BUY's fills are multiples of this (the grid quantum), so remainders stay on it. */
  budgetQuantum: Shares;
}

export interface PlannedFill {
  maker: OrderState;
  /** The maker's YES price: the execution price. */
  yesPrice: Price;
  shares: Shares;
}

export interface MatchPlan {
  fills: PlannedFill[];
  /** Unfilled size after the fills, in the taker's sizeUnit. */
  remaining: number;
  /**
   * Whether the order is done: all of it filled, or (a pUSD-sized market BUY) what is left cannot
   * buy a single quantum even at its limit.
   */
  complete: boolean;
}

export function planMatch(book: MarketBook, taker: TakerTerms): MatchPlan {
  const fills: PlannedFill[] = [];
  const levels = book.opposite(taker.bookSide).levels;
  const buyingBid = taker.bookSide === 'bid';
  let remaining = taker.remaining;
  let stoppedOnBudget = false;
  walk: for (let i = levels.length - 1; i >= 0 && remaining > 0; i--) {
    const level = levels[i]!;
    if (buyingBid ? level.price > taker.yesLimit : level.price < taker.yesLimit) break;
    const takerPrice = ownPrice(level.price, taker.outcome);
    const quantum = fillQuantum(level.price);
    for (const maker of level.orders.values()) {
      let cap: number;
      if (taker.sizeUnit === 'shares') {
        cap = remaining;
      } else {
        const affordable = mulDiv(remaining, MICRO, takerPrice, 'floor');
        cap = floorToMultiple(affordable, Math.max(quantum, taker.budgetQuantum));
      }
      const shares = floorToMultiple(Math.min(cap, maker.remaining), quantum) as Shares;
      if (shares === 0) {
        // A pUSD budget that cannot buy one more quantum is spent; a share remainder smaller than
        // this price's quantum (possible only after a tick change) cannot settle exactly here.
        stoppedOnBudget = taker.sizeUnit === 'usdc';
        break walk;
      }
      fills.push({ maker, yesPrice: level.price, shares });
      remaining -= taker.sizeUnit === 'shares' ? shares : mulDiv(shares, takerPrice, MICRO, 'floor');
      if (remaining === 0) break walk;
    }
  }
  const complete =
    remaining === 0 ||
    stoppedOnBudget ||
    (taker.sizeUnit === 'usdc' && budgetIsDust(remaining as Micro, taker.price, taker.budgetQuantum));
  return { fills, remaining, complete };
}

/** Whether a market BUY's leftover pUSD cannot buy one quantum even at its limit price. */
function budgetIsDust(remaining: Micro, limit: Price, quantum: Shares): boolean {
  return mulDiv(remaining, MICRO, limit, 'floor') < quantum;
}
