/** Money literals for planner tests: decimal text in, micro-units out, so tables read as dollars. */
import { parsePrice, parseShares, parseUsdc } from '../../../src/core/decimal.ts';
import type { Price, Shares, Usdc } from '../../../src/core/money.ts';

export const $ = (text: string): Usdc => parseUsdc(text);
export const sh = (text: string): Shares => parseShares(text);
export const px = (text: string): Price => parsePrice(text);
