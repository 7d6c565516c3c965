/** Readable decimal inputs for portfolio tests. */
import { parsePrice, parseShares, parseUsdc } from '../../src/core/decimal.ts';
import type { Price, Shares, Usdc } from '../../src/core/money.ts';
import type { Fill, Position } from '../../src/portfolio/index.ts';

export const u = (text: string): Usdc => parseUsdc(text);
export const s = (text: string): Shares => parseShares(text);
export const p = (text: string): Price => parsePrice(text);

export const TOKEN = 'yes-token';

export function buyFill(shares: string, price: string, fee = '0', tokenId = TOKEN): Fill {
  return { tokenId, side: 'BUY', shares: s(shares), price: p(price), fee: u(fee) };
}

export function sellFill(shares: string, price: string, fee = '0', tokenId = TOKEN): Fill {
  return { tokenId, side: 'SELL', shares: s(shares), price: p(price), fee: u(fee) };
}

export function position(shares: string, cost: string, realizedPnl = '0', tokenId = TOKEN): Position {
  return { tokenId, shares: s(shares), cost: u(cost), realizedPnl: u(realizedPnl) };
}
