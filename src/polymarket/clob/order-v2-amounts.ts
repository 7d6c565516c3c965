/**
 * makerAmount / takerAmount <-> micro-units. Both pUSD and outcome shares have 6 decimals on
 * chain, so an order's raw amounts already are micro-units; only the leg each one is depends on the
 * side (BUY gives pUSD and takes shares, SELL the reverse; api-reference.md §4.3).
 */
import { ValidationError } from '../../core/errors.ts';
import { MICRO, type Micro, micro, type Price, price, type Shares, type Usdc } from '../../core/money.ts';
import { mulDiv, type RoundingMode } from '../../core/rounding.ts';
import type { Side, SignedOrderV2 } from './order-v2.ts';

const CANONICAL_UINT = /^(0|[1-9][0-9]*)$/;

/** A raw 6-decimal amount ("11782400") as micro-units; ValidationError if not a safe integer. */
export function amountToMicro(amount: string): Micro {
  if (!CANONICAL_UINT.test(amount) || BigInt(amount) > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ValidationError(`not a raw amount within the safe integer range: ${amount.slice(0, 80)}`);
  }
  return micro(Number(amount));
}

/** Micro-units as a raw amount string; amounts on the wire are never negative. */
export function microToAmount(value: Micro): string {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(`a raw amount must be a non-negative safe integer, got ${value}`);
  }
  return String(value);
}

/** What an order trades, whichever side it is. */
export interface OrderLegs {
  side: Side;
  shares: Shares;
  usdc: Usdc;
}

/** The share and pUSD legs of an order from its raw amounts. */
export function orderLegs(order: Pick<SignedOrderV2, 'side' | 'makerAmount' | 'takerAmount'>): OrderLegs {
  const maker = amountToMicro(order.makerAmount);
  const taker = amountToMicro(order.takerAmount);
  return order.side === 'BUY'
    ? { side: 'BUY', usdc: maker as Usdc, shares: taker as Shares }
    : { side: 'SELL', shares: maker as Shares, usdc: taker as Usdc };
}

/** The raw amounts of an order with these legs. */
export function orderAmounts(legs: OrderLegs): { makerAmount: string; takerAmount: string } {
  const usdcAmount = microToAmount(legs.usdc);
  const sharesAmount = microToAmount(legs.shares);
  return legs.side === 'BUY'
    ? { makerAmount: usdcAmount, takerAmount: sharesAmount }
    : { makerAmount: sharesAmount, takerAmount: usdcAmount };
}

/**
 * The limit price the amounts imply: usdc / shares, rounded as asked. Amounts of a limit order
 * built at a tick price give that price exactly; a ValidationError for zero shares or a price
 * above 1.
 */
export function impliedPrice(legs: OrderLegs, rounding: RoundingMode): Price {
  if (legs.shares <= 0) throw new ValidationError('an order with no shares has no price');
  const p = mulDiv(legs.usdc, MICRO, legs.shares, rounding);
  if (p > MICRO) throw new ValidationError(`amounts imply a price above 1: ${legs.usdc}/${legs.shares}`);
  return price(p);
}
