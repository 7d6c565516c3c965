/**
 * Price ticks. A valid tick size is a positive micro integer that divides 1_000_000 and is at most
 * half of it: then 0 and 1 are on the grid, the complement of an on-tick price is on tick, and
 * rounding a price never leaves 0..1. Polymarket uses 0.1, 0.01, 0.001 and 0.0001; odd sizes such
 * as 0.005 or 0.0005 pass the same rule.
 */
import { parseMicro } from './decimal.ts';
import { MoneyError } from './errors.ts';
import { MICRO, type Micro, type Price } from './money.ts';
import { type RoundingMode, roundToMultiple } from './rounding.ts';

/** A validated tick size in micro-dollars (10_000 = 0.01). */
export type TickSize = Micro<'tick'>;

export function tickSize(n: number): TickSize {
  if (!Number.isSafeInteger(n) || n <= 0 || n > MICRO / 2 || MICRO % n !== 0) {
    throw new MoneyError(
      `tick size must be a micro integer dividing ${MICRO} and at most half of it, got ${n}`,
    );
  }
  return n as TickSize;
}

/** "0.01" -> 10_000. Extra non-zero decimals are an error, not rounded away. */
export function parseTickSize(text: string): TickSize {
  return tickSize(parseMicro(text));
}

export function isOnTick(p: Price, tick: TickSize): boolean {
  return p % tick === 0;
}

/** `p` moved to the tick grid; stays within 0..1 because 0 and 1 are on every grid. */
export function roundToTick(p: Price, tick: TickSize, rounding: RoundingMode): Price {
  return roundToMultiple(p, tick, rounding) as Price;
}

/** The range a limit price must lie in on Polymarket: [tick, 1 - tick]. */
export function priceBounds(tick: TickSize): readonly [min: Price, max: Price] {
  return [tick as number as Price, (MICRO - tick) as Price];
}
