/**
 * Translations of one engine trade (one `matchOrders` call) into what the other layers publish:
 * the exchange's OrderFilled rows on chain, and one Data API / RTDS record per participant.
 *
 * Granularity differs on purpose, as on Polymarket: the chain has one row for the taker order
 * however many makers it hit, while the feeds give the taker one row per maker order matched.
 */
import type { Address, Hex } from 'viem';
import type { ChainMatch, OrderFill } from '../chain/index.ts';
import type { PositionsRedeemedEvent, Trade } from '../engine/index.ts';
import type { RedeemFill, TradeFill } from '../feeds/index.ts';

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

/**
 * A redemption as the Data API shows it: one REDEEM row per outcome burned, the winner's paying
 * 1 pUSD a share and the loser's 0. `tokenIds` are YES then NO, as the event's `burned`.
 */
export function toRedeemFills(
  event: PositionsRedeemedEvent,
  tokenIds: readonly [string, string],
  winningTokenId: string,
  transactionHash: Hex,
  nextSeq: () => number,
): RedeemFill[] {
  const rows: RedeemFill[] = [];
  for (const [i, burned] of event.burned.entries()) {
    if (burned === 0) continue;
    const tokenId = tokenIds[i]!;
    rows.push({
      type: 'REDEEM',
      seq: nextSeq(),
      proxyWallet: event.address as Hex,
      conditionId: event.market as Hex,
      transactionHash,
      timeMs: event.timestamp,
      tokenId,
      size: burned,
      usdcSize: (tokenId === winningTokenId ? burned : 0) as RedeemFill['usdcSize'],
    });
  }
  return rows;
}
