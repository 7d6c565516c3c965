/**
 * Positions as the Data API derives them from a wallet's activity: per outcome token, the size
 * held, its cost basis (average cost; a sell or redeem takes cost off pro rata), tokens bought in
 * total and the realized PnL. Fees are kept apart from the cost basis, so `avgPrice` is the average
 * trade price, as Polymarket shows it. Valuation at a current price is a separate step.
 */
import { MICRO, notional, type Price, type Shares, type Usdc } from '../../core/money.ts';
import { mulDiv } from '../../core/rounding.ts';
import type { Hex } from '../catalog/model.ts';
import type { FeedRecord, MarketInfo } from './record.ts';

export interface PositionState {
  proxyWallet: Hex;
  tokenId: string;
  conditionId: Hex;
  market: MarketInfo;
  size: Shares;
  /** Cost basis of `size`, fees excluded. */
  cost: Usdc;
  /** Buy fees attributable to `size`. */
  feeCost: Usdc;
  totalBought: Shares;
  totalBoughtCost: Usdc;
  realizedPnl: Usdc;
  /** Epoch ms of the first buy, or of the first event when there was none. */
  firstEntryMs: number;
  lastEventMs: number;
  /** Price of the last trade of this token in these records. */
  lastTradePrice: Price;
}

/** Share of `amount` that `part` of `whole` carries, rounded half-even. */
const prorate = (amount: number, part: number, whole: number): number =>
  whole === 0 ? 0 : mulDiv(amount, part, whole, 'halfEven');

function reduce(p: PositionState, size: number, proceeds: number, fee: number): void {
  // Tokens beyond the tracked holding (from a split the feed never saw) carry no cost.
  const held = Math.min(size, p.size);
  const removedCost = prorate(p.cost, held, p.size);
  const removedFee = prorate(p.feeCost, held, p.size);
  p.cost = (p.cost - removedCost) as Usdc;
  p.feeCost = (p.feeCost - removedFee) as Usdc;
  p.size = (p.size - held) as Shares;
  p.realizedPnl = (p.realizedPnl + proceeds - removedCost - removedFee - fee) as Usdc;
}

/** Folds records (in sequence order) into positions keyed by wallet and token, in first-seen order. */
export function positionsFrom(records: Iterable<FeedRecord>): PositionState[] {
  const byKey = new Map<string, PositionState>();
  for (const r of records) {
    if (r.tokenId === '') continue;
    const key = `${r.proxyWallet}:${r.tokenId}`;
    let p = byKey.get(key);
    if (!p) {
      p = {
        proxyWallet: r.proxyWallet,
        tokenId: r.tokenId,
        conditionId: r.conditionId,
        market: r.market,
        size: 0 as Shares,
        cost: 0 as Usdc,
        feeCost: 0 as Usdc,
        totalBought: 0 as Shares,
        totalBoughtCost: 0 as Usdc,
        realizedPnl: 0 as Usdc,
        firstEntryMs: r.timeMs,
        lastEventMs: r.timeMs,
        lastTradePrice: 0 as Price,
      };
      byKey.set(key, p);
    }
    p.lastEventMs = Math.max(p.lastEventMs, r.timeMs);
    if (r.type === 'TRADE') {
      p.lastTradePrice = r.price;
      if (r.side === 'BUY') {
        if (p.totalBought === 0) p.firstEntryMs = r.timeMs;
        p.size = (p.size + r.size) as Shares;
        p.cost = (p.cost + r.usdcSize) as Usdc;
        p.feeCost = (p.feeCost + r.fee) as Usdc;
        p.totalBought = (p.totalBought + r.size) as Shares;
        p.totalBoughtCost = (p.totalBoughtCost + r.usdcSize) as Usdc;
      } else {
        reduce(p, r.size, r.usdcSize, r.fee);
      }
    } else if (r.type === 'REDEEM') {
      reduce(p, r.size, r.usdcSize, 0);
    }
  }
  return [...byKey.values()];
}

export type PositionStatus = 'OPEN' | 'REDEEMABLE' | 'REDEEMABLE_LOST' | 'CLOSED';

/** A position valued at a current price, amounts still in micro-units. */
export interface ValuedPosition extends PositionState {
  avgPrice: Price;
  curPrice: Price;
  currentValue: Usdc;
  /** currentValue - cost. */
  cashPnl: Usdc;
  redeemable: boolean;
  mergeable: boolean;
  status: PositionStatus;
}

export interface Valuation {
  /** The token's current price; null when unknown (the last trade price is used). */
  currentPrice(tokenId: string): Price | null;
  /** Whether the market has resolved (its positions are redeemable). */
  isResolved(conditionId: Hex): boolean;
}

export function valuePositions(positions: readonly PositionState[], valuation: Valuation): ValuedPosition[] {
  // Mergeable: the same wallet holds both outcomes of a condition.
  const held = new Map<string, number>();
  for (const p of positions) {
    if (p.size > 0)
      held.set(`${p.proxyWallet}:${p.conditionId}`, (held.get(`${p.proxyWallet}:${p.conditionId}`) ?? 0) + 1);
  }
  return positions.map((p) => {
    const curPrice = valuation.currentPrice(p.tokenId) ?? p.lastTradePrice;
    const currentValue = notional(p.size, curPrice, 'halfEven');
    const resolved = valuation.isResolved(p.conditionId);
    const avgPrice = (
      p.size > 0
        ? mulDiv(p.cost, MICRO, p.size, 'halfEven')
        : p.totalBought > 0
          ? mulDiv(p.totalBoughtCost, MICRO, p.totalBought, 'halfEven')
          : 0
    ) as Price;
    const status: PositionStatus =
      p.size === 0 ? 'CLOSED' : !resolved ? 'OPEN' : curPrice > 0 ? 'REDEEMABLE' : 'REDEEMABLE_LOST';
    return {
      ...p,
      avgPrice,
      curPrice,
      currentValue,
      cashPnl: (currentValue - p.cost) as Usdc,
      redeemable: resolved && p.size > 0,
      mergeable: !resolved && (held.get(`${p.proxyWallet}:${p.conditionId}`) ?? 0) >= 2,
      status,
    };
  });
}

/** Sorts positions by `key`, ties broken by token id so every order is total. */
export function sortPositions<T extends ValuedPosition>(
  positions: T[],
  key: (p: T) => number | string,
  direction: 'ASC' | 'DESC',
): T[] {
  const sign = direction === 'ASC' ? 1 : -1;
  const cmp = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
  return positions.sort(
    (a, b) => sign * cmp(key(a), key(b)) || cmp(a.proxyWallet, b.proxyWallet) || cmp(a.tokenId, b.tokenId),
  );
}
