/**
 * The rules an order must pass before it touches balances or the book, in the order the engine
 * applies them. Stateless: the engine adds the checks that need the book or the ledger
 * (duplicates, the $1 marketable-BUY minimum, post-only crossing, balance).
 */
import type { Micro, Price, Shares } from '../../core/index.ts';
import { amountDecimals, hasDecimals, isExactRatio, ratioPrice, ratioText } from './amounts.ts';
import { type Rejection, rejections } from './errors.ts';
import type { MarketState } from './market.ts';
import type { OrderRequest, OutcomeIndex } from './types.ts';

/** Limit orders size shares in 0.01 steps (CCv2 ROUNDING_CONFIG `size`). */
const SIZE_DECIMALS = 2;
/** Market orders' given amount (pUSD of a BUY, shares of a SELL) has at most 2 decimals. */
const MARKET_MAKER_DECIMALS = 2;

export interface ValidOrder {
  market: MarketState;
  outcome: OutcomeIndex;
  /** Own-token limit price: BUY makerAmount/takerAmount rounded down, SELL takerAmount/makerAmount rounded up. */
  price: Price;
  sizeUnit: 'shares' | 'usdc';
  /** In sizeUnit: shares, or the pUSD budget of a market BUY. */
  size: Micro;
  /** Shares at the limit price (the size the minimum applies to). */
  shares: Shares;
}

export type Validation = { ok: true; order: ValidOrder } | { ok: false; rejection: Rejection };

const SIDES = new Set(['BUY', 'SELL']);
const TYPES = new Set(['GTC', 'GTD', 'FOK', 'FAK']);

const positive = (n: number): boolean => Number.isSafeInteger(n) && n > 0;

export function validateOrder(
  req: OrderRequest,
  market: MarketState | undefined,
  nowMs: number,
  gtdMinLeadMs: number,
): Validation {
  const no = (rejection: Rejection): Validation => ({ ok: false, rejection });
  const text = (v: unknown): boolean => typeof v === 'string' && v !== '';
  if (
    !text(req.id) ||
    !text(req.owner) ||
    !text(req.maker) ||
    !text(req.tokenId) ||
    !SIDES.has(req.side) ||
    !TYPES.has(req.orderType) ||
    !positive(req.makerAmount) ||
    !positive(req.takerAmount) ||
    !Number.isSafeInteger(req.expiration) ||
    req.expiration < 0
  ) {
    return no(rejections.payload());
  }
  if (market === undefined || market.closed) return no(rejections.noOrderbook(req.tokenId));
  if (!market.acceptingOrders) return no(rejections.notReady());
  const outcome: OutcomeIndex = market.tokenIds[0] === req.tokenId ? 0 : 1;
  const buy = req.side === 'BUY';
  // The price is what a BUY pays (maker/taker) or a SELL asks (taker/maker) per share.
  const [cash, shares] = buy ? [req.makerAmount, req.takerAmount] : [req.takerAmount, req.makerAmount];
  if (cash >= shares) return no(rejections.price());
  const price = ratioPrice(cash, shares, buy ? 'floor' : 'ceil') as Price;
  if (price <= 0) return no(rejections.price());

  const limitOrder = req.orderType === 'GTC' || req.orderType === 'GTD';
  if (req.postOnly === true && !limitOrder) return no(rejections.postOnlyType());
  if (limitOrder) {
    // A resting order must sit exactly on the grid: no rounding happens on the book.
    if (!isExactRatio(cash, shares) || price % market.tickSize !== 0) {
      return no(rejections.tick(req.id, ratioText(cash, shares), market.tickSize));
    }
    if (!hasDecimals(shares, SIZE_DECIMALS)) return no(rejections.limitSize());
  } else {
    const takerDecimals = amountDecimals(market.tickSize);
    if (
      !hasDecimals(req.makerAmount, MARKET_MAKER_DECIMALS) ||
      !hasDecimals(req.takerAmount, takerDecimals)
    ) {
      return no(buy ? rejections.marketBuyAmounts(takerDecimals) : rejections.sellAmounts(takerDecimals));
    }
  }
  if (shares < market.minOrderSize) return no(rejections.minSize(req.id, shares, market.minOrderSize));
  if (req.orderType === 'GTD' && req.expiration * 1000 < nowMs + gtdMinLeadMs) {
    return no(rejections.expiration());
  }
  const marketBuy = buy && !limitOrder;
  return {
    ok: true,
    order: {
      market,
      outcome,
      price,
      sizeUnit: marketBuy ? 'usdc' : 'shares',
      size: marketBuy ? req.makerAmount : (shares as Micro),
      shares: shares as Shares,
    },
  };
}
