/**
 * Moving balances for one fill. Each side settles on its own token at its own price: a BUY pays
 * shares x price and receives the shares, a SELL gives the shares and receives shares x price.
 * The two prices are equal on the same token (a COMPLEMENTARY transfer) or sum to 1 across tokens,
 * so two BUYs pay exactly 1 pUSD per new YES+NO set (MINT) and two SELLs receive exactly 1 pUSD
 * per burned set (MERGE). The taker fee is paid on top by a BUY and out of the proceeds by a SELL.
 */
import { MICRO, mulDiv, type Price, type Shares, type Usdc } from '../../core/index.ts';
import { ownPrice } from './amounts.ts';
import { takerFee } from './fees.ts';
import type { Ledger } from './ledger.ts';
import type { OrderState } from './order-state.ts';
import type { MatchType } from './types.ts';

export interface SettledFill {
  matchType: MatchType;
  takerPrice: Price;
  makerPrice: Price;
  takerUsdc: Usdc;
  makerUsdc: Usdc;
  fee: Usdc;
}

export function matchTypeOf(taker: OrderState, maker: OrderState): MatchType {
  if (taker.side !== maker.side) return 'COMPLEMENTARY';
  return taker.side === 'BUY' ? 'MINT' : 'MERGE';
}

export function settleFill(
  ledger: Ledger,
  taker: OrderState,
  maker: OrderState,
  yesPrice: Price,
  shares: Shares,
): SettledFill {
  const market = taker.market;
  const takerPrice = ownPrice(yesPrice, taker.outcome);
  const makerPrice = ownPrice(yesPrice, maker.outcome);
  // Exact: fills are multiples of the price's quantum.
  const takerUsdc = mulDiv(shares, takerPrice, MICRO, 'floor') as Usdc;
  const makerUsdc = mulDiv(shares, makerPrice, MICRO, 'floor') as Usdc;
  const fee = takerFee(shares, takerPrice, market.feeRate);
  const matchType = matchTypeOf(taker, maker);
  if (matchType === 'MINT') ledger.addSupply(market.tokenIds, shares);
  settleSide(ledger, taker, shares, takerUsdc, fee);
  settleSide(ledger, maker, shares, makerUsdc, 0 as Usdc);
  if (matchType === 'MERGE') {
    for (const token of market.tokenIds) ledger.removeSupply(token, shares);
  }
  ledger.collectFee(fee);
  return { matchType, takerPrice, makerPrice, takerUsdc, makerUsdc, fee };
}

function settleSide(ledger: Ledger, order: OrderState, shares: Shares, usdc: Usdc, fee: Usdc): void {
  const token = order.market.tokenIds[order.outcome];
  if (order.side === 'BUY') {
    ledger.spendReservedCash(order.maker, usdc + fee);
    order.reserved -= usdc + fee;
    ledger.creditShares(order.maker, token, shares);
  } else {
    ledger.spendReservedShares(order.maker, token, shares);
    order.reserved -= shares;
    ledger.creditCash(order.maker, usdc - fee);
  }
  order.matchedShares = (order.matchedShares + shares) as Shares;
  order.matchedUsdc = (order.matchedUsdc + usdc) as Usdc;
  order.feesPaid = (order.feesPaid + fee) as Usdc;
  order.remaining -= order.sizeUnit === 'shares' ? shares : usdc;
}
