/**
 * An order as `/data/orders` and `/data/order/<id>` give it (`OpenOrder` of clob-client-v2;
 * rs-clob-client `OpenOrderResponse`): sizes and price as decimal strings, `created_at` in epoch
 * seconds as a number, `expiration` in epoch seconds as a string ("0" for none).
 *
 * Sizes are in the order's own unit: shares, except a market BUY (FOK/FAK), which the CLOB sizes
 * in pUSD; such an order is open only while it waits out a matching delay.
 */
import { formatMicro } from '../../../core/decimal.ts';
import type { OrderSnapshot } from '../../engine/index.ts';

export interface OpenOrderWire {
  id: string;
  status: string;
  owner: string;
  maker_address: string;
  market: string;
  asset_id: string;
  side: string;
  original_size: string;
  size_matched: string;
  price: string;
  associate_trades: string[];
  outcome: string;
  created_at: number;
  expiration: string;
  order_type: string;
}

export function renderOpenOrder(order: OrderSnapshot): OpenOrderWire {
  return {
    id: order.id,
    status: order.status,
    owner: order.owner,
    maker_address: order.maker,
    market: order.market,
    asset_id: order.tokenId,
    side: order.side,
    original_size: formatMicro(order.originalSize),
    size_matched: formatMicro(order.sizeMatched),
    price: formatMicro(order.price),
    associate_trades: [...order.tradeIds],
    outcome: order.outcome,
    created_at: Math.floor(order.createdAt / 1000),
    expiration: String(order.expiration),
    order_type: order.orderType,
  };
}
