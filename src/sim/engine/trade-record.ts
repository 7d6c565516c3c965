/**
 * The published record of a match: one row per maker order and the taker's totals, with the
 * amounts of the exchange's `OrderFilled` logs (BUY: pUSD given, shares received; SELL: shares
 * given, pUSD received before the fee).
 */
import { MICRO, type Micro, type Price, type Shares, type Usdc } from '../../core/index.ts';
import type { UnstampedEvent } from './events.ts';
import { type OrderState, orderToken } from './order-state.ts';
import type { SettledFill } from './settle.ts';
import type { MakerFill, OutcomeIndex, Side, TakerFill, Trade } from './types.ts';

function filledAmounts(order: OrderState, shares: number, usdc: number): [Micro, Micro] {
  return (order.side === 'BUY' ? [usdc, shares] : [shares, usdc]) as [Micro, Micro];
}

export function makerFill(maker: OrderState, shares: Shares, s: SettledFill): MakerFill {
  const [makerAmountFilled, takerAmountFilled] = filledAmounts(maker, shares, s.makerUsdc);
  return {
    orderId: maker.id,
    owner: maker.owner,
    maker: maker.maker,
    side: maker.side,
    ...orderToken(maker),
    matchType: s.matchType,
    price: s.makerPrice,
    shares,
    usdc: s.makerUsdc,
    fee: 0 as Usdc,
    makerAmountFilled,
    takerAmountFilled,
    takerPrice: s.takerPrice,
    takerUsdc: s.takerUsdc,
    takerFee: s.fee,
  };
}

export function tradeRecord(id: string, matchTime: number, taker: OrderState, makers: MakerFill[]): Trade {
  const market = taker.market;
  let shares = 0;
  let usdc = 0;
  let fee = 0;
  for (const f of makers) {
    shares += f.shares;
    usdc += f.takerUsdc;
    fee += f.takerFee;
  }
  const [makerAmountFilled, takerAmountFilled] = filledAmounts(taker, shares, usdc);
  const takerFill: TakerFill = {
    orderId: taker.id,
    owner: taker.owner,
    maker: taker.maker,
    side: taker.side,
    ...orderToken(taker),
    orderType: taker.orderType,
    limitPrice: taker.price,
    shares: shares as Shares,
    usdc: usdc as Usdc,
    fee: fee as Usdc,
    feeRate: market.feeRate,
    makerAmountFilled,
    takerAmountFilled,
  };
  return { id, market: market.conditionId, matchTime, taker: takerFill, makers };
}

const opposite = (side: Side): Side => (side === 'BUY' ? 'SELL' : 'BUY');

/**
 * One `last_trade_price` per maker fill for the taker's token (its price and side), each followed
 * by the mirrored print on the other token (1 - p, the other side), as the book itself is mirrored.
 */
export function lastTradeEvents(trade: Trade, taker: OrderState): UnstampedEvent[] {
  const market = taker.market;
  const other = market.tokenIds[(1 - taker.outcome) as OutcomeIndex];
  const events: UnstampedEvent[] = [];
  for (const f of trade.makers) {
    events.push(
      {
        type: 'last_trade_price',
        market: market.conditionId,
        tokenId: trade.taker.tokenId,
        price: f.takerPrice,
        size: f.shares,
        side: taker.side,
        feeRate: market.feeRate,
        tradeId: trade.id,
      },
      {
        type: 'last_trade_price',
        market: market.conditionId,
        tokenId: other,
        price: (MICRO - f.takerPrice) as Price,
        size: f.shares,
        side: opposite(taker.side),
        feeRate: market.feeRate,
        tradeId: trade.id,
      },
    );
  }
  return events;
}

/** Records the last fill's price on both tokens (the taker's and its mirror) for `/book`. */
export function recordLastTrade(trade: Trade, taker: OrderState): void {
  const last = trade.makers[trade.makers.length - 1];
  if (last === undefined) return;
  taker.market.lastTrade[taker.outcome] = { price: last.takerPrice, side: taker.side };
  taker.market.lastTrade[(1 - taker.outcome) as OutcomeIndex] = {
    price: (MICRO - last.takerPrice) as Price,
    side: opposite(taker.side),
  };
}
