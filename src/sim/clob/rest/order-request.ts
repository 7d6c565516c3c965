/**
 * From a verified `POST /order` body to the engine's OrderRequest, and from the engine's result
 * to the `OrderResponse` the client reads (clob-client-v2 `types/clob.d.ts`; samples
 * clob_post_order_response*.json).
 *
 * Amounts in the reply are decimal strings of what the order gave and got in its immediate match
 * (BUY: pUSD then shares), and "" when nothing matched, as the delayed sample shows.
 */
import type { Hex } from 'viem';
import { formatMicro } from '../../../core/decimal.ts';
import type { PostOrderV2Body } from '../../../polymarket/clob/order-v2.ts';
import { amountToMicro } from '../../../polymarket/clob/order-v2-amounts.ts';
import type { OrderRequest, SubmitResult } from '../../engine/index.ts';
import type { VenueTrade } from '../../venue/index.ts';

export interface OrderResponse {
  success: boolean;
  errorMsg: string;
  orderID: string;
  transactionsHashes: string[];
  status: string;
  takingAmount: string;
  makingAmount: string;
  tradeIDs: string[];
}

/** The engine request of a verified order; undefined when an amount or the expiration is beyond range. */
export function toOrderRequest(body: PostOrderV2Body, id: Hex, apiKey: string): OrderRequest | undefined {
  const { order } = body;
  const expiration = Number(order.expiration);
  if (!Number.isSafeInteger(expiration)) return undefined;
  try {
    return {
      id,
      owner: apiKey,
      maker: order.maker,
      tokenId: order.tokenId,
      side: order.side,
      makerAmount: amountToMicro(order.makerAmount),
      takerAmount: amountToMicro(order.takerAmount),
      orderType: body.orderType,
      expiration,
      postOnly: body.postOnly,
    };
  } catch {
    return undefined;
  }
}

const amountText = (value: number) => (value > 0 ? formatMicro(value) : '');

/** The reply of an accepted order. */
export function acceptedResponse(result: SubmitResult, trades: readonly VenueTrade[]): OrderResponse {
  return {
    success: true,
    errorMsg: '',
    orderID: result.orderId,
    transactionsHashes: [...new Set(trades.map((t) => t.txHash))],
    status: result.status ?? '',
    takingAmount: amountText(result.takingAmount),
    makingAmount: amountText(result.makingAmount),
    tradeIDs: [...result.tradeIds],
  };
}

/** A refused order's entry in a `POST /orders` reply (a single `POST /order` answers 400 instead). */
export function refusedResponse(errorMsg: string): OrderResponse {
  return {
    success: false,
    errorMsg,
    orderID: '',
    transactionsHashes: [],
    status: '',
    takingAmount: '',
    makingAmount: '',
    tradeIDs: [],
  };
}
