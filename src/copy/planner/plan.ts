/**
 * The copy planner: one leader trade and one follow in, one decision out (an order to place or
 * a reason not to). Pure: everything it needs is in the input, `now` included, so a replay drives
 * it unchanged and the same input always gives the same plan.
 */
import {
  complement,
  notional,
  type Price,
  roundToLot,
  SHARE_LOT,
  type Shares,
  sharesFor,
  type Usdc,
} from '../../core/money.ts';
import type { TickSize } from '../../core/tick.ts';
import { type CatchUpSettings, checkCatchUpBuy, classifyTrade } from './catch-up.ts';
import type { FollowConfig } from './follow-config.ts';
import { dec, usd } from './format.ts';
import { buyLimitPrice, lowerBySlippage, raiseBySlippage, sellLimitPrice } from './limit-price.ts';
import { sizeSell } from './sells.ts';
import { sizeBuy } from './sizing.ts';
import { type PlanNumbers, type Skip, skip } from './skip.ts';

export type Side = 'BUY' | 'SELL';

export interface PlannedLeaderTrade {
  /** The canonical trade key (copy/ingest). */
  key: string;
  leaderAddress: string;
  conditionId: string;
  /** The token the leader traded. */
  tokenId: string;
  side: Side;
  price: Price;
  size: Shares;
  usdcSize: Usdc;
  /** When the fill happened, epoch ms. */
  tradeAt: number;
  isBackfill: boolean;
  /** The leader's shares of `tokenId` before this trade (for a SELL, before the sale); null if unknown. */
  preTradeShares: Shares | null;
}

export interface PlannedMarket {
  conditionId: string;
  /** A binary market's two outcome tokens. */
  tokens: readonly { tokenId: string; outcome: string }[];
  tickSize: TickSize;
  minOrderSize: Shares;
  closed: boolean;
  acceptingOrders: boolean;
}

/** The book's top for our target token; a side is null when empty. */
export interface Quote {
  bestBid: Price | null;
  bestAsk: Price | null;
}

export interface PlanInput {
  trade: PlannedLeaderTrade;
  config: FollowConfig;
  market: PlannedMarket;
  /** What we hold of the target token (for a counter copy, the other outcome). */
  ownShares: Shares;
  /** Our cash available for orders. */
  ownBalanceUsdc: Usdc;
  leaderPortfolioUsdc: Usdc | null;
  /** The current quote for the target token, if any. */
  quote: Quote | null;
  catchUpSettings: CatchUpSettings;
  /** Epoch ms. */
  now: number;
}

export interface PlannedOrder {
  kind: 'order';
  tokenId: string;
  side: Side;
  /** A multiple of the lot, at least the market's minimum order size. */
  size: Shares;
  /** The worst price the order may fill at (see limit-price.ts). */
  limitPrice: Price;
  /** BUY: the most it can cost (rounded up); SELL: the least it can bring (rounded down). */
  notionalUsdc: Usdc;
  catchUp: boolean;
  reason: string;
  numbers: PlanNumbers;
}

export type CopyPlan = PlannedOrder | Skip;

export function planCopy(input: PlanInput): CopyPlan {
  const { trade, config, market } = input;
  if (!config.enabled) return skip('DISABLED', `follow ${config.id} is disabled`, { followId: config.id });
  if (config.paused) return skip('PAUSED', `follow ${config.id} is paused`, { followId: config.id });
  if (trade.leaderAddress.toLowerCase() !== config.leaderAddress.toLowerCase()) {
    return skip(
      'LEADER_MISMATCH',
      `trade ${trade.key} is by ${trade.leaderAddress}, not ${config.leaderAddress}`,
      {
        followId: config.id,
      },
    );
  }

  const timing = classifyTrade(trade, input.catchUpSettings, input.now);
  if (timing.kind === 'skip') return timing;

  if (market.closed || !market.acceptingOrders) {
    const state = market.closed ? 'closed' : 'not accepting orders';
    return skip('MARKET_CLOSED', `market ${market.conditionId} is ${state}`, {
      closed: String(market.closed),
      acceptingOrders: String(market.acceptingOrders),
    });
  }

  const target = targetToken(trade, market, config.direction);
  if (target.kind === 'skip') return target;

  const ctx: SideContext = { ...input, ...target, late: timing.catchUp, ageMs: timing.ageMs };
  return trade.side === 'BUY' ? planBuy(ctx) : planSell(ctx);
}

interface Target {
  kind: 'target';
  tokenId: string;
  /** The leader's price in our token: p for a copy, 1 - p for a counter copy. */
  referencePrice: Price;
}

/**
 * Copy: the leader's token. Counter: the market's other token, at the complementary price, so a
 * leader BUY of A is our BUY of B and a leader SELL of A our proportional SELL of B.
 */
function targetToken(
  trade: PlannedLeaderTrade,
  market: PlannedMarket,
  direction: FollowConfig['direction'],
): Target | Skip {
  const { tokens } = market;
  const index = tokens.findIndex((t) => t.tokenId === trade.tokenId);
  if (trade.conditionId !== market.conditionId || index < 0 || tokens.length !== 2) {
    return skip(
      'TOKEN_NOT_IN_MARKET',
      `token ${trade.tokenId} is not one of the ${tokens.length} tokens of binary market ${market.conditionId}`,
      { tokens: tokens.length },
    );
  }
  if (direction === 'copy') return { kind: 'target', tokenId: trade.tokenId, referencePrice: trade.price };
  const other = tokens[1 - index]!;
  return { kind: 'target', tokenId: other.tokenId, referencePrice: complement(trade.price) };
}

/** `late`: a catch-up trade (the policy itself is `catchUpSettings`). */
type SideContext = PlanInput & Target & { late: boolean; ageMs: number };

function planBuy(ctx: SideContext): CopyPlan {
  const { trade, config, market, referencePrice } = ctx;
  let worst: number;
  let policy: string;
  if (ctx.late) {
    const bestAsk = ctx.quote?.bestAsk ?? null;
    const check = checkCatchUpBuy({ ageMs: ctx.ageMs, referencePrice, bestAsk }, ctx.catchUpSettings);
    if (check.kind === 'skip') return check;
    worst = check.maxPrice ?? raiseBySlippage(referencePrice, config.slippageBps, market.tickSize);
    policy = check.maxPrice === null ? 'catch-up, slippage allowance' : 'catch-up, worst price allowed';
  } else {
    worst = raiseBySlippage(referencePrice, config.slippageBps, market.tickSize);
    policy = 'slippage allowance';
  }
  const numbers: PlanNumbers = {
    leaderPrice: trade.price,
    referencePrice,
    worstPrice: worst,
    ageMs: ctx.ageMs,
  };

  const limitPrice = buyLimitPrice(worst, market.tickSize);
  if (limitPrice === null) {
    return skip(
      'PRICE_OUT_OF_RANGE',
      `a buy at ${dec(worst)} is below the market's minimum price ${dec(market.tickSize)}`,
      numbers,
    );
  }

  const sized = sizeBuy(config, {
    leaderTradeUsdc: trade.usdcSize,
    ownBalanceUsdc: ctx.ownBalanceUsdc,
    leaderPortfolioUsdc: ctx.leaderPortfolioUsdc,
  });
  if (sized.kind === 'skip') return { ...sized, numbers: { ...numbers, ...sized.numbers } };

  // Shares floor twice (to the micro-share, then to the lot), so the cost never exceeds the budget.
  const size = roundToLot(sharesFor(sized.usdc, limitPrice, 'floor'), SHARE_LOT, 'floor');
  const cost = notional(size, limitPrice, 'ceil');
  const all = {
    ...numbers,
    budgetUsdc: sized.usdc,
    multiplierBps: sized.multiplierBps,
    limitPrice,
    size,
    notionalUsdc: cost,
  };
  if (size <= 0 || size < market.minOrderSize) {
    return skip(
      'BELOW_MIN_SIZE',
      `${usd(sized.usdc)} at ${dec(limitPrice)} buys ${dec(size)} shares, below the market's minimum of ${dec(market.minOrderSize)}`,
      all,
    );
  }
  return {
    kind: 'order',
    tokenId: ctx.tokenId,
    side: 'BUY',
    size,
    limitPrice,
    notionalUsdc: cost,
    catchUp: ctx.late,
    reason:
      `${config.direction} of the leader's BUY at ${dec(trade.price)}: ${sized.note}; ` +
      `${dec(size)} shares at limit ${dec(limitPrice)} (${policy})`,
    numbers: all,
  };
}

function planSell(ctx: SideContext): CopyPlan {
  const { trade, config, market, referencePrice } = ctx;
  const sold = sizeSell({
    ourShares: ctx.ownShares,
    leaderSellShares: trade.size,
    leaderPreSellShares: trade.preTradeShares,
    lot: SHARE_LOT,
    fullClose: config.fullCloseOnLeaderExit,
  });
  if (sold.kind === 'skip') return sold;

  // A late reduce goes ahead, so its limit starts from the current bid when that is lower.
  const bid = ctx.quote?.bestBid ?? null;
  const basis = ctx.late && bid !== null ? (Math.min(referencePrice, bid) as Price) : referencePrice;
  const limitPrice = sellLimitPrice(
    lowerBySlippage(basis, config.slippageBps, market.tickSize),
    market.tickSize,
  );
  const size = sold.shares;
  const proceeds = notional(size, limitPrice, 'floor');
  const numbers: PlanNumbers = {
    leaderPrice: trade.price,
    referencePrice,
    bestBid: bid,
    ageMs: ctx.ageMs,
    ownShares: ctx.ownShares,
    leaderSellShares: trade.size,
    leaderPreSellShares: trade.preTradeShares,
    limitPrice,
    size,
    notionalUsdc: proceeds,
  };
  if (size < market.minOrderSize) {
    return skip(
      'BELOW_MIN_SIZE',
      `${sold.note}, below the market's minimum of ${dec(market.minOrderSize)}`,
      numbers,
    );
  }
  return {
    kind: 'order',
    tokenId: ctx.tokenId,
    side: 'SELL',
    size,
    limitPrice,
    notionalUsdc: proceeds,
    catchUp: ctx.late,
    reason: `${config.direction} of the leader's SELL at ${dec(trade.price)}: ${sold.note} at limit ${dec(limitPrice)}`,
    numbers,
  };
}
