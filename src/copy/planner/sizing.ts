/**
 * How much USDC a copy BUY spends: the sizing mode's base amount times the tier multiplier, then
 * the follow's minimum (skip) and maximum (cut), then our cash (cut, or skip when it runs out).
 */
import type { Usdc } from '../../core/money.ts';
import { BPS_ONE, type FollowSettings, type SizingTier } from './follow-config.ts';
import { pct, times, usd } from './format.ts';
import { type Skip, skip } from './skip.ts';

export interface BuySizingContext {
  /** The leader's trade in USDC. */
  leaderTradeUsdc: Usdc;
  /** Our cash available for orders. */
  ownBalanceUsdc: Usdc;
  /** The leader's portfolio value, when known (needed by `balance_ratio`). */
  leaderPortfolioUsdc: Usdc | null;
}

export interface BuySize {
  kind: 'size';
  usdc: Usdc;
  multiplierBps: number;
  /** How the amount came about, e.g. "10% of the leader's $52.00 = $5.20, capped at max $5.00". */
  note: string;
}

export type BuySizingConfig = Pick<FollowSettings, 'sizing' | 'minTradeUsdc' | 'maxTradeUsdc'>;

/** The multiplier of the highest tier the leader's trade reaches; 1x below every tier or without tiers. */
export function tierMultiplier(tiers: readonly SizingTier[] | undefined, leaderUsdc: number): number {
  let best: SizingTier | undefined;
  for (const t of tiers ?? []) {
    if (t.minLeaderUsdc <= leaderUsdc && (best === undefined || t.minLeaderUsdc > best.minLeaderUsdc))
      best = t;
  }
  return best?.multiplierBps ?? BPS_ONE;
}

export function sizeBuy(config: BuySizingConfig, ctx: BuySizingContext): BuySize | Skip {
  const { sizing, minTradeUsdc: min, maxTradeUsdc: max } = config;
  const leader = Math.max(0, ctx.leaderTradeUsdc);
  const balance = Math.max(0, ctx.ownBalanceUsdc);
  const multiplierBps = tierMultiplier(sizing.tiers, leader);
  const numbers = {
    leaderTradeUsdc: ctx.leaderTradeUsdc,
    ownBalanceUsdc: ctx.ownBalanceUsdc,
    leaderPortfolioUsdc: ctx.leaderPortfolioUsdc,
    multiplierBps,
    minTradeUsdc: min,
    maxTradeUsdc: max,
  };

  // The base amount as an exact fraction num / den, so that base x multiplier is floored once.
  let num: bigint;
  let den = 1n;
  let note: string;
  switch (sizing.mode) {
    case 'fixed_usd':
      num = BigInt(sizing.amountUsdc);
      note = `fixed ${usd(sizing.amountUsdc)}`;
      break;
    case 'leader_pct':
      num = BigInt(leader) * BigInt(sizing.pctBps);
      den = BigInt(BPS_ONE);
      note = `${pct(sizing.pctBps)} of the leader's ${usd(leader)}`;
      break;
    case 'balance_pct':
      num = BigInt(balance) * BigInt(sizing.pctBps);
      den = BigInt(BPS_ONE);
      note = `${pct(sizing.pctBps)} of our ${usd(balance)}`;
      break;
    case 'balance_ratio': {
      const value = ctx.leaderPortfolioUsdc;
      if (value === null || value <= 0) {
        const known = value === null ? 'is unknown' : `is ${usd(value)}`;
        return skip(
          'NO_LEADER_VALUE',
          `balance_ratio sizing needs the leader's portfolio value, which ${known}`,
          numbers,
        );
      }
      // bigint: a tiny reported portfolio value must not overflow before the caps below apply.
      num = BigInt(balance) * BigInt(leader);
      den = BigInt(value);
      note = `our ${usd(balance)} / the leader's ${usd(value)} x their ${usd(leader)}`;
      break;
    }
  }
  if (multiplierBps !== BPS_ONE) note += ` x tier ${times(multiplierBps)}`;
  // Non-negative operands, so bigint division floors: we never size above the exact amount.
  const desired = (num * BigInt(multiplierBps)) / (den * BigInt(BPS_ONE));
  const desiredUsdc = desired <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(desired) : null;
  const all = { ...numbers, desiredUsdc };
  const sized = desiredUsdc === null ? note : `${note} = ${usd(desiredUsdc)}`;

  if (desired === 0n) {
    // With no cash, say so (a 0x tier is the real reason when it applies).
    if (balance === 0 && multiplierBps !== 0) {
      return skip('INSUFFICIENT_BALANCE', `${sized}: we have no cash`, all);
    }
    return skip('ZERO_SIZE', `${sized}: nothing to buy`, all);
  }
  let amount = desired;
  note = sized;
  if (max !== null && amount > BigInt(max)) {
    amount = BigInt(max);
    note = `${sized}, capped at the maximum ${usd(max)}`;
  }
  // After the cap, so a maximum below the minimum (refused by the schema) can never order either.
  if (min !== null && amount < BigInt(min)) {
    return skip('BELOW_MIN_TRADE', `${note}, below the minimum trade of ${usd(min)}`, all);
  }
  if (amount > BigInt(balance)) {
    // Spending what cash is left is still a copy, unless it falls below the follow's minimum.
    if (balance === 0 || (min !== null && balance < min)) {
      const floor = min === null ? '' : ` (minimum trade ${usd(min)})`;
      return skip('INSUFFICIENT_BALANCE', `${note}, but we have only ${usd(balance)}${floor}`, all);
    }
    amount = BigInt(balance);
    note = `${note}, cut to our balance ${usd(balance)}`;
  }
  return { kind: 'size', usdc: Number(amount) as Usdc, multiplierBps, note };
}
