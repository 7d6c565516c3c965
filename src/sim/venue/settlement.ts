/**
 * Translations of one engine trade (one `matchOrders` call) into what the other layers publish:
 * the exchange's OrderFilled rows on chain, and one Data API / RTDS record per participant.
 *
 * Granularity differs on purpose, as on Polymarket: the chain has one row for the taker order
 * however many makers it hit, while the feeds give the taker one row per maker order matched.
 */
import type { Address, Hex } from 'viem';
import type { ChainMatch, OrderFill } from '../chain/index.ts';
import type { Trade } from '../engine/index.ts';
import type { TradeFill } from '../feeds/index.ts';

export function toChainMatch(trade: Trade, negRisk: boolean): ChainMatch {
  const t = trade.taker;
  const taker: OrderFill = {
    orderHash: t.orderId as Hex,
    maker: t.maker as Address,
    side: t.side,
    tokenId: BigInt(t.tokenId),
    makerAmountFilled: BigInt(t.makerAmountFilled),
    takerAmountFilled: BigInt(t.takerAmountFilled),
    fee: BigInt(t.fee),
  };
  const makers = trade.makers.map(
    (m): OrderFill => ({
      orderHash: m.orderId as Hex,
      maker: m.maker as Address,
      side: m.side,
      tokenId: BigInt(m.tokenId),
      makerAmountFilled: BigInt(m.makerAmountFilled),
      takerAmountFilled: BigInt(m.takerAmountFilled),
      fee: BigInt(m.fee),
    }),
  );
  return { exchange: negRisk ? 'negRisk' : 'standard', taker, makers };
}

/**
 * Every participant's rows of one trade, makers first then the taker's (one per maker fill);
 * `nextSeq` numbers them so the feeds can order fills sharing a timestamp.
 */
export function toParticipantFills(trade: Trade, transactionHash: Hex, nextSeq: () => number): TradeFill[] {
  const base = { conditionId: trade.market as Hex, transactionHash, timeMs: trade.matchTime } as const;
  const fills: TradeFill[] = trade.makers.map((m) => ({
    ...base,
    type: 'TRADE',
    seq: nextSeq(),
    proxyWallet: m.maker as Hex,
    side: m.side,
    tokenId: m.tokenId,
    size: m.shares,
    price: m.price,
    usdcSize: m.usdc,
    isTaker: false,
  }));
  for (const m of trade.makers) {
    fills.push({
      ...base,
      type: 'TRADE',
      seq: nextSeq(),
      proxyWallet: trade.taker.maker as Hex,
      side: trade.taker.side,
      tokenId: trade.taker.tokenId,
      size: m.shares,
      price: m.takerPrice,
      usdcSize: m.takerUsdc,
      fee: m.takerFee,
      isTaker: true,
    });
  }
  return fills;
}
