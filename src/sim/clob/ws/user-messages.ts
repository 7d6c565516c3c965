/**
 * The user channel's messages.
 *
 * `order` carries the docs' fields plus the V2 ones (`created_at`, `expiration`, `order_type`,
 * `status`, `maker_address`), keyed in the order of the NT FOK-kill capture. An order killed
 * before it ever rested (FOK, or FAK with nothing to match) is reported as that capture shows it:
 * `size_matched`, `outcome` and `created_at` empty, `associate_trades: []`, and the kill reason
 * after `CANCELED_` in `status`.
 *
 * `trade` is the trade as its taker sees it (`asset_id`, `side`, `size`, `price` of the taker
 * order, as the docs define them), sent to each participant with `owner`/`trade_owner` set to the
 * recipient's key and `trader_side` TAKER or MAKER. A maker sees only its own entries in
 * `maker_orders` (other makers' API keys stay private); the taker sees all of them.
 */
import type { OrderCancelledEvent, OrderPlacedEvent, OrderUpdatedEvent, Trade } from '../../engine/index.ts';
import type { VenueTrade } from '../../venue/index.ts';
import { decimalText, feeRateBpsText, msText, secondsText } from './wire-values.ts';

export type UserOrderEvent = OrderPlacedEvent | OrderUpdatedEvent | OrderCancelledEvent;

const ORDER_TYPE = {
  order_placed: 'PLACEMENT',
  order_updated: 'UPDATE',
  order_cancelled: 'CANCELLATION',
} as const;

/** Killed on arrival: never rested, never matched. */
function killedOnArrival(event: UserOrderEvent): boolean {
  return (
    event.type === 'order_cancelled' && (event.reason === 'FOK_NOT_FILLED' || event.reason === 'FAK_NO_MATCH')
  );
}

function orderStatus(event: UserOrderEvent): string {
  const status = event.order.status;
  return event.type === 'order_cancelled' && event.message !== '' ? `${status}_${event.message}` : status;
}

function associateTrades(event: UserOrderEvent): string[] | null {
  const ids = event.order.tradeIds;
  if (ids.length > 0) return [...ids];
  // The docs' PLACEMENT shows null; the captured cancellations show [].
  return event.type === 'order_placed' ? null : [];
}

export function orderMessage(event: UserOrderEvent): Record<string, unknown> {
  const o = event.order;
  const killed = killedOnArrival(event);
  return {
    id: o.id,
    owner: o.owner,
    market: o.market,
    asset_id: o.tokenId,
    side: o.side,
    order_owner: o.owner,
    original_size: decimalText(o.originalSize),
    size_matched: killed ? '' : decimalText(o.sizeMatched),
    price: decimalText(o.price),
    associate_trades: associateTrades(event),
    outcome: killed ? '' : o.outcome,
    type: ORDER_TYPE[event.type],
    created_at: killed ? '' : msText(o.createdAt),
    expiration: String(o.expiration),
    order_type: o.orderType,
    status: orderStatus(event),
    maker_address: o.maker,
    timestamp: msText(event.timestamp),
    event_type: 'order',
  };
}

/** The API keys a trade concerns: its taker's and its makers', each once. */
export function tradeParticipants(trade: Trade): string[] {
  return [...new Set([trade.taker.owner, ...trade.makers.map((m) => m.owner)])];
}

/**
 * The taker's price over all its fills: their share-weighted average in the taker token's terms,
 * to the nearest micro (exact in the usual case of one price).
 */
export function takerPrice(trade: Trade): number {
  const first = trade.makers[0];
  if (first === undefined) return 0;
  if (trade.makers.every((f) => f.takerPrice === first.takerPrice)) return first.takerPrice;
  let weighted = 0n;
  let shares = 0n;
  for (const f of trade.makers) {
    weighted += BigInt(f.takerPrice) * BigInt(f.shares);
    shares += BigInt(f.shares);
  }
  return Number((weighted * 2n + shares) / (shares * 2n));
}

export function tradeMessage(record: VenueTrade, recipient: string, now: number): Record<string, unknown> {
  const { trade } = record;
  const taker = trade.taker;
  const isTaker = taker.owner === recipient;
  const makers = isTaker ? trade.makers : trade.makers.filter((m) => m.owner === recipient);
  const makerAddress = isTaker ? taker.maker : (makers[0]?.maker ?? '');
  return {
    event_type: 'trade',
    type: 'TRADE',
    id: trade.id,
    taker_order_id: taker.orderId,
    market: trade.market,
    asset_id: taker.tokenId,
    side: taker.side,
    size: decimalText(taker.shares),
    price: decimalText(takerPrice(trade)),
    fee_rate_bps: feeRateBpsText(taker.feeRate),
    status: record.status,
    // The docs spell it `matchtime`, the REST trade and NT `match_time`; both are sent.
    matchtime: secondsText(trade.matchTime),
    match_time: secondsText(trade.matchTime),
    last_update: secondsText(record.updatedAt),
    outcome: taker.outcome,
    owner: recipient,
    trade_owner: recipient,
    maker_address: makerAddress,
    transaction_hash: record.txHash,
    bucket_index: 0,
    trader_side: isTaker ? 'TAKER' : 'MAKER',
    maker_orders: makers.map((m) => ({
      asset_id: m.tokenId,
      matched_amount: decimalText(m.shares),
      order_id: m.orderId,
      outcome: m.outcome,
      owner: m.owner,
      price: decimalText(m.price),
      fee_rate_bps: '0',
      maker_address: m.maker,
      side: m.side,
    })),
    timestamp: msText(now),
  };
}
