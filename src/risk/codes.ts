/**
 * The closed set of reasons the risk gate can refuse an order. The array order is the order the
 * gate runs its checks in, so refusals always come out in this order.
 */
export const RISK_CODES = [
  'SIDE_NOT_ALLOWED',
  'LEADER_TRADE_TOO_SMALL',
  'LEADER_TRADE_TOO_LARGE',
  'PRICE_OUT_OF_BAND',
  'BOOK_TOO_THIN',
  'SPREAD_TOO_WIDE',
  'TOO_CLOSE_TO_RESOLUTION',
  'MARKET_NOT_ALLOWED',
  'MARKET_DENIED',
  'TRADE_CAP',
  'MARKET_CAP',
  'LEADER_CAP',
  'TOTAL_CAP',
  'DAILY_LOSS_LIMIT',
  'BREAKER_OPEN',
  'QUOTE_STALE',
  'NO_BOOK',
  'PRICE_DEVIATION',
  'SLIPPAGE',
] as const;

export type RiskCode = (typeof RISK_CODES)[number];

const CODE_SET: ReadonlySet<string> = new Set(RISK_CODES);

export function isRiskCode(value: string): value is RiskCode {
  return CODE_SET.has(value);
}
