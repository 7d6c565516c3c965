/**
 * What a market maker wants resting, as plain data: a ladder of YES bids and asks around the fair
 * value, what the ladder ties up, and how much to deposit or split so the wallet can carry it.
 *
 * Makers quote the YES token only. The engine keeps one YES-terms book per market and shows the
 * NO token its mirror, so the NO book is two-sided too: a NO buyer takes a YES bid (a MINT), a NO
 * seller a YES ask (a MERGE).
 */
import {
  MICRO,
  mulDiv,
  notional,
  type Price,
  roundToMultiple,
  SHARE_LOT,
  type Shares,
  type TickSize,
  type Usdc,
} from '../../core/index.ts';
import type { Side } from '../engine/index.ts';
import { CENT } from './amounts.ts';

/** One order a maker wants resting: a GTC limit order of `size` shares of `tokenId` at `price`. */
export interface QuoteTarget {
  tokenId: string;
  side: Side;
  price: Price;
  size: Shares;
}

export interface LadderParams {
  /** Price levels per side. */
  levels: number;
  /** Distance from the fair value to the best bid and ask (rounded up to whole ticks, at least one). */
  halfSpread: Price;
  /** Distance between levels (whole ticks, at least one). */
  levelGap: Price;
  /** Shares at the best level. */
  size: Shares;
  /** Extra shares per level deeper, so a sweep finds more behind the top. */
  sizeStep: Shares;
}

export interface LadderMarket {
  yesTokenId: string;
  tick: TickSize;
  minSize: Shares;
}

const ticks = (p: number, tick: TickSize): number => roundToMultiple(Math.max(p, tick), tick, 'ceil');

/**
 * The ladder around `fair` (YES, on the tick): for each level a bid below and an ask above, best
 * level first, bid before ask. Prices outside [tick, 1 - tick] are left out; sizes are whole
 * 0.01 shares and at least the market's minimum.
 */
export function quoteLadder(fair: Price, market: LadderMarket, params: LadderParams): QuoteTarget[] {
  const { tick } = market;
  const half = ticks(params.halfSpread, tick);
  const gap = ticks(params.levelGap, tick);
  const out: QuoteTarget[] = [];
  for (let i = 0; i < params.levels; i++) {
    const size = Math.max(
      market.minSize,
      roundToMultiple(params.size + i * params.sizeStep, SHARE_LOT, 'floor'),
    ) as Shares;
    const bid = fair - half - i * gap;
    const ask = fair + half + i * gap;
    if (bid >= tick) out.push({ tokenId: market.yesTokenId, side: 'BUY', price: bid as Price, size });
    if (ask <= MICRO - tick)
      out.push({ tokenId: market.yesTokenId, side: 'SELL', price: ask as Price, size });
  }
  return out;
}

/** What a set of quotes ties up once resting: pUSD behind the bids, shares behind the asks. */
export interface QuoteNeeds {
  cash: Usdc;
  shares: Shares;
}

export function quoteNeeds(targets: readonly QuoteTarget[]): QuoteNeeds {
  let cash = 0;
  let shares = 0;
  for (const t of targets) {
    if (t.side === 'BUY') cash += notional(t.size, t.price, 'ceil');
    else shares += t.size;
  }
  return { cash: cash as Usdc, shares: shares as Shares };
}

export interface FundingPolicy {
  /** Refill when a holding falls below this percentage of what the quotes need. */
  lowWaterPct: number;
  /** Refill up to this percentage of the need. */
  refillPct: number;
}

/** What to do before placing: deposit pUSD, then split it into YES+NO sets. */
export interface FundingPlan {
  deposit: Usdc;
  split: Shares;
}

/**
 * Enough to place every quote with room to spare. `held` are balances including what the
 * wallet's own resting quotes reserve, since after reconciling those quotes are the targets.
 * Cash must also cover a BUY's worst-case taker fee while it is checked (at most the fee rate
 * times its cost), which a low-water mark above 100% does.
 */
export function fundingPlan(held: QuoteNeeds, need: QuoteNeeds, policy: FundingPolicy): FundingPlan {
  const low = (n: number): number => mulDiv(n, policy.lowWaterPct, 100, 'ceil');
  const full = (n: number): number => mulDiv(n, policy.refillPct, 100, 'ceil');
  const split =
    held.shares < low(need.shares) ? roundToMultiple(full(need.shares) - held.shares, SHARE_LOT, 'ceil') : 0;
  const cashAfterSplit = held.cash - split;
  const deposit =
    cashAfterSplit < low(need.cash) || cashAfterSplit < 0
      ? roundToMultiple(Math.max(full(need.cash), 0) - cashAfterSplit, CENT, 'ceil')
      : 0;
  return { deposit: deposit as Usdc, split: split as Shares };
}
