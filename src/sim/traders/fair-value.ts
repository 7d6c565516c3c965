/**
 * The fair values market makers quote around: a bounded random walk per binary market, and for a
 * neg-risk event a walk that moves probability from one outcome to another, so the YES fair
 * values keep the sum they were normalised to (about 1). Pure over plain data and a seeded
 * generator: the same draws give the same path.
 */
import { MICRO, type Price, roundToMultiple, type TickSize } from '../../core/index.ts';
import type { Random } from '../random.ts';

/** Inclusive range a YES fair value stays in, both ends on the market's tick. */
export interface FairBounds {
  min: Price;
  max: Price;
}

/** A market's walk parameters: its tick and the range its fair value may take. */
export interface WalkMarket {
  tick: TickSize;
  bounds: FairBounds;
}

/**
 * The range that leaves room for the innermost quote on both sides: a bid `halfSpread` below the
 * fair value is at least one tick, an ask `halfSpread` above at most 1 - tick. So YES quotes stay
 * in [tick, 1 - tick] and the book is two-sided wherever the walk goes.
 */
export function fairBounds(tick: TickSize, halfSpread: Price): FairBounds {
  const half = roundToMultiple(Math.max(halfSpread, tick), tick, 'ceil');
  const min = tick + half;
  const max = MICRO - tick - half;
  if (min > max) throw new RangeError(`a half spread of ${halfSpread} leaves no room on a ${tick} tick`);
  return { min: min as Price, max: max as Price };
}

/** `fair` on the tick grid and inside the bounds. */
export function clampFair(fair: number, market: WalkMarket): Price {
  const onTick = roundToMultiple(fair, market.tick, 'halfUp');
  return Math.min(market.bounds.max, Math.max(market.bounds.min, onTick)) as Price;
}

/** Whole ticks in a price step, at least one. */
export function stepTicks(maxStep: Price, unit: number): number {
  return Math.max(1, Math.floor(maxStep / unit));
}

/**
 * One step of a binary market's walk: up to `maxStep` (in whole ticks, at least one) either way,
 * reflected at the bounds so it does not stick to an edge.
 */
export function stepFair(fair: Price, market: WalkMarket, maxStep: Price, random: Random): Price {
  const k = stepTicks(maxStep, market.tick);
  let next = fair + random.int(-k, k) * market.tick;
  const { min, max } = market.bounds;
  if (next > max) next = max - (next - max);
  if (next < min) next = min + (min - next);
  return clampFair(next, market);
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/**
 * An event's fair values moved onto their ticks and bounds, then nudged toward summing to
 * `target` (1 by default): largest first, each within its room and by whole ticks, so what is left
 * over is less than the largest tick unless the bounds leave no room. Idempotent.
 */
export function normalizeEvent(
  fairs: readonly number[],
  markets: readonly WalkMarket[],
  target: number = MICRO,
): Price[] {
  const out = fairs.map((f, i) => clampFair(f, markets[i]!) as number);
  let diff = target - out.reduce((a, b) => a + b, 0);
  const order = out.map((_, i) => i).sort((a, b) => out[b]! - out[a]! || a - b);
  for (const i of order) {
    if (diff === 0) break;
    const { tick, bounds } = markets[i]!;
    const room = diff > 0 ? Math.min(diff, bounds.max - out[i]!) : Math.max(diff, bounds.min - out[i]!);
    const adjust = roundToMultiple(room, tick, 'trunc');
    out[i]! += adjust;
    diff -= adjust;
  }
  return out as Price[];
}

/**
 * One step of an event's walk: a random outcome gives up to `maxStep` of probability to another,
 * in a unit on both markets' ticks and within both bounds. The sum is unchanged exactly.
 */
export function stepEvent(
  fairs: readonly Price[],
  markets: readonly WalkMarket[],
  maxStep: Price,
  random: Random,
): Price[] {
  const out = [...fairs];
  if (out.length < 2) return out;
  const from = random.int(0, out.length - 1);
  let to = random.int(0, out.length - 2);
  if (to >= from) to++;
  const a = markets[from]!;
  const b = markets[to]!;
  const unit = (a.tick / gcd(a.tick, b.tick)) * b.tick;
  const wanted = random.int(1, stepTicks(maxStep, unit)) * unit;
  const room = Math.min(out[from]! - a.bounds.min, b.bounds.max - out[to]!);
  const move = Math.min(wanted, roundToMultiple(Math.max(0, room), unit, 'floor'));
  out[from] = (out[from]! - move) as Price;
  out[to] = (out[to]! + move) as Price;
  return out;
}
