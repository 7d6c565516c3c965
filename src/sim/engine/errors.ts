/**
 * Why the engine refuses an order, in the CLOB's own words where they are known.
 *
 * Sources: the docs' error-code page (crawled copy) for the tick, size, duplicate, post-only,
 * FOK, FAK, market-not-ready and expiration strings; production logs quoted by third parties for
 * the balance detail (raw 6-decimal integers), the $1 marketable-BUY minimum, the amount-precision
 * strings and "the orderbook X does not exist" (resolved market). Messages marked OWN are this
 * simulator's wording where no real one was found.
 */
import { formatMicro, PolyHunterError } from '../../core/index.ts';

export type RejectCode =
  | 'INVALID_ORDER_PAYLOAD'
  | 'MARKET_NOT_FOUND'
  | 'MARKET_NOT_READY'
  | 'INVALID_ORDER_DUPLICATED'
  | 'INVALID_PRICE'
  | 'INVALID_ORDER_MIN_TICK_SIZE'
  | 'INVALID_AMOUNTS'
  | 'INVALID_ORDER_MIN_SIZE'
  | 'INVALID_MARKETABLE_BUY_AMOUNT'
  | 'INVALID_ORDER_EXPIRATION'
  | 'INVALID_POST_ONLY'
  | 'INVALID_ORDER_NOT_ENOUGH_BALANCE'
  | 'FOK_ORDER_NOT_FILLED_ERROR'
  | 'FAK_ORDER_NOT_FILLED_ERROR';

export interface Rejection {
  code: RejectCode;
  message: string;
}

export const FOK_NOT_FILLED_MESSAGE =
  "order couldn't be fully filled. FOK orders are fully filled or killed.";
export const FAK_NO_MATCH_MESSAGE =
  'no orders found to match with FAK order. FAK orders are partially filled or killed if no match is found.';

const reject = (code: RejectCode, message: string): Rejection => ({ code, message });

export const rejections = {
  payload: () => reject('INVALID_ORDER_PAYLOAD', 'Invalid order payload'),
  /** Unknown token, or a closed or resolved market (UNCONFIRMED which id the real text names). */
  noOrderbook: (tokenId: string) => reject('MARKET_NOT_FOUND', `the orderbook ${tokenId} does not exist`),
  notReady: () => reject('MARKET_NOT_READY', 'the market is not yet ready to process new orders'),
  duplicated: (id: string) => reject('INVALID_ORDER_DUPLICATED', `order ${id} is invalid. Duplicated.`),
  price: () => reject('INVALID_PRICE', 'invalid price, price must be greater than 0 and less than 1'),
  tick: (id: string, priceText: string, tick: number) =>
    reject(
      'INVALID_ORDER_MIN_TICK_SIZE',
      `order ${id} is invalid. Price (${priceText}) breaks minimum tick size rule: ${formatMicro(tick)}`,
    ),
  marketBuyAmounts: (takerDecimals: number) =>
    reject(
      'INVALID_AMOUNTS',
      'invalid amounts, the market buy orders maker amount supports a max accuracy of 2 decimals, ' +
        `taker amount a max of ${takerDecimals} decimals`,
    ),
  sellAmounts: (takerDecimals: number) =>
    reject(
      'INVALID_AMOUNTS',
      'invalid amounts, the sell orders maker amount supports a max accuracy of 2 decimals, ' +
        `taker amount a max of ${takerDecimals} decimals`,
    ),
  /** OWN: a limit order's share size with more than 2 decimals. */
  limitSize: () =>
    reject('INVALID_AMOUNTS', 'invalid amounts, the limit orders size supports a max accuracy of 2 decimals'),
  minSize: (id: string, size: number, min: number) =>
    reject(
      'INVALID_ORDER_MIN_SIZE',
      `order ${id} is invalid. Size (${formatMicro(size)}) lower than the minimum: ${formatMicro(min)}`,
    ),
  marketableBuyMinimum: (amount: number) =>
    reject(
      'INVALID_MARKETABLE_BUY_AMOUNT',
      `invalid amount for a marketable BUY order ($${formatMicro(amount)}), min size: $1`,
    ),
  expiration: () => reject('INVALID_ORDER_EXPIRATION', 'invalid expiration'),
  postOnlyCrosses: () => reject('INVALID_POST_ONLY', 'invalid post-only order: order crosses book'),
  /** OWN: the clients refuse this before sending; the server's text is unknown. */
  postOnlyType: () =>
    reject('INVALID_POST_ONLY', 'invalid post-only order: only GTC and GTD orders can be post-only'),
  balance: (available: number, required: number) =>
    reject('INVALID_ORDER_NOT_ENOUGH_BALANCE', notEnoughBalanceMessage(available, required)),
  fokNotFilled: () => reject('FOK_ORDER_NOT_FILLED_ERROR', FOK_NOT_FILLED_MESSAGE),
  fakNoMatch: () => reject('FAK_ORDER_NOT_FILLED_ERROR', FAK_NO_MATCH_MESSAGE),
};

/** The CLOB's balance refusal; both figures are raw 6-decimal integers. */
export function notEnoughBalanceMessage(available: number, required: number): string {
  return `not enough balance / allowance: the balance is not enough -> balance: ${available}, order amount: ${required}`;
}

/** A misuse of the engine's setup API (unknown market, bad spec, not enough to split...). */
export class SimEngineError extends PolyHunterError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('SIM_ENGINE', message, false, { context });
  }
}
