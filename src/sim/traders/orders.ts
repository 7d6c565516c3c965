/**
 * A trade request ("buy $25 of this token at market", "sell half the position at 0.42") turned
 * into the order a wallet sends, sized from the wallet's position and the book at this moment.
 */
import {
  MICRO,
  type Micro,
  mulDiv,
  type Price,
  roundToMultiple,
  roundToTick,
  type Shares,
  type Usdc,
} from '../../core/index.ts';
import type { BookLevel, MatchingEngine, OrderRequest, OrderType, Side } from '../engine/index.ts';
import { CENT, floorLot, limitAmounts, marketAmounts, marketPrice, sweepSize } from './amounts.ts';
import { TraderError } from './errors.ts';
import type { SimWallet } from './wallets.ts';

/**
 * What to trade. Exactly one size: `usdc` (pUSD to spend, or proceeds to raise), `shares`,
 * `fraction` of the position (SELL only; 1 sells it all) or `levels` (take the best N levels of
 * the book: several maker fills in one transaction). A SELL never exceeds the position: asking for
 * more sells what is held, in whole hundredths of a share.
 */
export interface TradeRequest {
  tokenId: string;
  side: Side;
  usdc?: Usdc;
  shares?: Shares;
  /** 0 < fraction <= 1, in millionths (500_000 = half). */
  fraction?: Micro;
  levels?: number;
  /** Default FAK. GTC and GTD need `limit`. */
  orderType?: OrderType;
  /** Limit price of the token; market orders default to the book's covering level. */
  limit?: Price;
  /** GTD only: unix seconds. */
  expiration?: number;
}

const SIZE_KEYS = ['usdc', 'shares', 'fraction', 'levels'] as const;

/** The order `wallet` sends for `request`, or a TraderError saying why there is none. */
export function buildOrder(engine: MatchingEngine, wallet: SimWallet, request: TradeRequest): OrderRequest {
  const sizes = SIZE_KEYS.filter((k) => request[k] !== undefined);
  if (sizes.length !== 1) {
    throw new TraderError(`give exactly one of ${SIZE_KEYS.join(', ')} (got ${sizes.join(', ') || 'none'})`);
  }
  const market = engine.marketOfToken(request.tokenId);
  if (market === undefined) throw new TraderError(`unknown token ${request.tokenId}`);
  const { tickSize: tick } = market;
  const side = request.side;
  const orderType = request.orderType ?? 'FAK';
  const levels = engine.levelsFor(request.tokenId) ?? { bids: [], asks: [] };
  const held = engine.position(wallet.address, request.tokenId).available;
  // Limits round conservatively: a buy never pays more, a sell never takes less, than asked.
  const limit =
    request.limit === undefined
      ? undefined
      : roundToTick(request.limit, tick, side === 'BUY' ? 'floor' : 'ceil');
  if (limit !== undefined && (limit < tick || limit > MICRO - tick)) {
    throw new TraderError(`limit ${request.limit} is outside [tick, 1 - tick] for tick ${tick}`);
  }

  // The size in the unit the order type counts in, and the sweep's own limit if any.
  let amount: number;
  let sweepLimit: Price | undefined;
  if (request.fraction !== undefined) {
    if (side !== 'SELL') throw new TraderError('fraction sizes a SELL of the position only');
    if (request.fraction <= 0 || request.fraction > MICRO)
      throw new TraderError('fraction must be in (0, 1]');
    amount = mulDiv(held, request.fraction, MICRO, 'floor');
  } else if (request.levels !== undefined) {
    if (!Number.isSafeInteger(request.levels) || request.levels < 1)
      throw new TraderError('levels must be >= 1');
    const sweep = sweepSize(levels, side, request.levels);
    if (sweep === null) throw new TraderError(`no ${side === 'BUY' ? 'asks' : 'bids'} to sweep`);
    amount = sweep.amount;
    sweepLimit = sweep.price;
  } else {
    amount = (request.usdc ?? request.shares)!;
  }
  const unit =
    request.usdc !== undefined || (request.levels !== undefined && side === 'BUY') ? 'usdc' : 'shares';
  // Never sell more than is held: asking for more sells the position.
  if (side === 'SELL' && unit === 'shares') amount = Math.min(amount, held);
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new TraderError(`nothing to ${side.toLowerCase()}: size ${amount}`, { held });
  }

  const base = {
    id: wallet.nextOrderId(),
    owner: wallet.owner,
    maker: wallet.address,
    tokenId: request.tokenId,
    side,
    orderType,
    expiration: orderType === 'GTD' ? (request.expiration ?? 0) : 0,
  };
  if (orderType === 'GTC' || orderType === 'GTD') {
    const price = limit ?? sweepLimit;
    if (price === undefined) throw new TraderError(`a ${orderType} order needs a limit price`);
    const size = floorLot(unit === 'usdc' ? mulDiv(amount, MICRO, price, 'floor') : amount);
    if (size === 0) throw new TraderError(`size rounds to 0 shares at ${price}`);
    return { ...base, ...limitAmounts(side, price, size) };
  }

  // Market order: a BUY counts pUSD, a SELL shares; a size given in the other unit is converted
  // by walking the book (a BUY of N shares spends what they cost there).
  let price = limit ?? sweepLimit;
  let given: number;
  if (side === 'BUY') {
    given = unit === 'usdc' ? amount : budgetForShares(levels.asks, amount as Shares, price);
    price ??= marketPrice(levels, side, given as Micro)?.price;
  } else {
    given = unit === 'shares' ? amount : sharesForProceeds(levels.bids, amount as Usdc, price);
    given = Math.min(floorLot(given), floorLot(held));
    price ??= marketPrice(levels, side, given as Micro)?.price;
  }
  if (price === undefined) throw new TraderError(`no ${side === 'BUY' ? 'asks' : 'bids'} to trade with`);
  if (given <= 0) throw new TraderError(`nothing to ${side.toLowerCase()}`, { held });
  return { ...base, ...marketAmounts(side, given as Micro, price, tick) };
}

type Levels = readonly BookLevel[];

/**
 * pUSD that buys `size` shares walking the asks (best last) no higher than `limit`, rounded up to
 * cents; what the book lacks is priced at the limit, or the worst ask.
 */
function budgetForShares(asks: Levels, size: Shares, limit: Price | undefined): number {
  let left: number = size;
  let cost = 0;
  for (let i = asks.length - 1; i >= 0 && left > 0; i--) {
    const level = asks[i]!;
    if (limit !== undefined && level.price > limit) break;
    const take = Math.min(left, level.size);
    cost += mulDiv(take, level.price, MICRO, 'ceil');
    left -= take;
  }
  const rest = limit ?? asks[0]?.price;
  if (left > 0 && rest !== undefined) cost += mulDiv(left, rest, MICRO, 'ceil');
  return roundToMultiple(cost, CENT, 'ceil');
}

/** Shares whose sale raises `usdc` walking the bids (best last) no lower than `limit`. */
function sharesForProceeds(bids: Levels, usdc: Usdc, limit: Price | undefined): number {
  let left: number = usdc;
  let size = 0;
  for (let i = bids.length - 1; i >= 0 && left > 0; i--) {
    const level = bids[i]!;
    if (limit !== undefined && level.price < limit) break;
    const value = mulDiv(level.size, level.price, MICRO, 'floor');
    if (value >= left) return size + mulDiv(left, MICRO, level.price, 'ceil');
    size += level.size;
    left -= value;
  }
  const rest = limit ?? bids[0]?.price;
  return rest === undefined ? size : size + mulDiv(left, MICRO, rest, 'ceil');
}
