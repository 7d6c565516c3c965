/**
 * A position in one outcome token, kept by the average cost method: the cost basis is what the
 * shares held cost, buy fees included, and a sell takes cost off in proportion to the shares sold.
 * Pure functions over immutable plain data; every amount is in micro-units (see core/money.ts).
 *
 * The ledger invariant: each operation returns `cashDelta` and `realizedDelta` such that
 * `cashDelta + (cost after - cost before) === realizedDelta`, so `cash + sum(cost) - sum(realized)`
 * never changes. Fills, resolution and redemption all keep it.
 */
import { add, MICRO, notional, type Price, type Shares, sub, type Usdc } from '../core/money.ts';
import { mulDiv } from '../core/rounding.ts';
import { LedgerError } from './errors.ts';

export interface Position {
  readonly tokenId: string;
  /** Shares held; never negative. */
  readonly shares: Shares;
  /**
   * Cost basis of `shares`: notional plus buy fees, less what sells took off; 0 when no shares
   * are held. Once resolved, it is the payout the shares redeem for (see resolution.ts).
   */
  readonly cost: Usdc;
  /** PnL realized by sells and by resolution; signed. */
  readonly realizedPnl: Usdc;
  /** Payout per share fixed when the market resolved (1e6 won, 0 lost); absent while it trades. */
  readonly resolvedPayout?: Price;
}

export type Side = 'BUY' | 'SELL';

/** One of our fills. The fee is in USDC: on top of a buy's cost, out of a sell's proceeds. */
export interface Fill {
  readonly tokenId: string;
  readonly side: Side;
  /** Positive. */
  readonly shares: Shares;
  readonly price: Price;
  /** Non-negative. */
  readonly fee: Usdc;
}

export interface FillResult {
  readonly position: Position;
  readonly realizedDelta: Usdc;
  /** Change in our cash: -(notional + fee) for a buy, proceeds - fee for a sell. */
  readonly cashDelta: Usdc;
}

const ZERO = 0 as Usdc;

/** A flat position: what a token's first fill starts from. */
export function emptyPosition(tokenId: string): Position {
  return { tokenId, shares: 0 as Shares, cost: ZERO, realizedPnl: ZERO };
}

/**
 * Throws LedgerError unless `p` is a position this module could have produced: safe integers,
 * shares and cost not negative, no cost without shares. For positions read back from storage.
 */
export function assertValidPosition(p: Position): void {
  const ok =
    Number.isSafeInteger(p.shares) &&
    Number.isSafeInteger(p.cost) &&
    Number.isSafeInteger(p.realizedPnl) &&
    p.shares >= 0 &&
    p.cost >= 0 &&
    (p.shares > 0 || p.cost === 0) &&
    (p.resolvedPayout === undefined ||
      (Number.isSafeInteger(p.resolvedPayout) && p.resolvedPayout >= 0 && p.resolvedPayout <= MICRO));
  if (!ok) throw new LedgerError(`invalid position for token ${p.tokenId}`, { context: { ...p } });
}

function assertValidFill(f: Fill): void {
  const ok =
    (f.side === 'BUY' || f.side === 'SELL') &&
    Number.isSafeInteger(f.shares) &&
    f.shares > 0 &&
    Number.isSafeInteger(f.price) &&
    f.price >= 0 &&
    f.price <= MICRO &&
    Number.isSafeInteger(f.fee) &&
    f.fee >= 0;
  if (!ok) throw new LedgerError(`invalid fill for token ${f.tokenId}`, { context: { ...f } });
}

/** Applies one of our fills to the position in its token (null: none yet). */
export function applyFill(position: Position | null, fill: Fill): FillResult {
  assertValidFill(fill);
  const p = position ?? emptyPosition(fill.tokenId);
  assertValidPosition(p);
  if (p.tokenId !== fill.tokenId) {
    throw new LedgerError('fill is for another token', {
      context: { position: p.tokenId, fill: fill.tokenId },
    });
  }
  // A resolved market has no book; a fill against it means the resolution or the fill is wrong.
  if (p.resolvedPayout !== undefined) {
    throw new LedgerError(`fill on resolved token ${p.tokenId}`, { context: { ...fill } });
  }
  return fill.side === 'BUY' ? buy(p, fill) : sell(p, fill);
}

function buy(p: Position, fill: Fill): FillResult {
  // Rounded up: a buy must be covered, and it never understates what the shares cost.
  const paid = add(notional(fill.shares, fill.price, 'ceil'), fill.fee);
  return {
    position: { ...p, shares: add(p.shares, fill.shares), cost: add(p.cost, paid) },
    realizedDelta: ZERO,
    // 0 - paid, not -paid: a free fill must give 0, not -0.
    cashDelta: sub(ZERO, paid),
  };
}

function sell(p: Position, fill: Fill): FillResult {
  if (fill.shares > p.shares) {
    // Our ledger must never allow a short: the order path sizes sells from what is held.
    throw new LedgerError(`selling ${fill.shares} micro-shares of ${p.tokenId} with ${p.shares} held`, {
      context: { tokenId: p.tokenId, held: p.shares, sold: fill.shares },
    });
  }
  // Rounded down: never overstate what a sale brings in.
  const received = sub(notional(fill.shares, fill.price, 'floor'), fill.fee);
  // cost * sold / held is exactly cost when everything is sold, whatever the rounding, so a
  // closed position leaves no cost behind; half-even keeps partial sells unbiased, and since the
  // exact share is at most cost, the rounded one is too, so the basis never goes negative.
  const removed = mulDiv(p.cost, fill.shares, p.shares, 'halfEven') as Usdc;
  const realizedDelta = sub(received, removed);
  return {
    position: {
      ...p,
      shares: sub(p.shares, fill.shares),
      cost: sub(p.cost, removed),
      realizedPnl: add(p.realizedPnl, realizedDelta),
    },
    realizedDelta,
    cashDelta: received,
  };
}

/**
 * Cost per share, buy fees included (the break-even price before sell fees), rounded up; null
 * when nothing is held. It can exceed 1 (1e6) only when fees outweigh a buy price's distance from
 * 1, so a caller must not feed it to `price()`, which rejects that.
 */
export function averageCost(position: Position): Price | null {
  if (position.shares === 0) return null;
  return mulDiv(position.cost, MICRO, position.shares, 'ceil') as Price;
}
