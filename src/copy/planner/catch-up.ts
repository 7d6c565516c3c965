/**
 * The catch-up policy: what to do with a leader trade we learn of late. Rule 4 of the design ("no
 * surprise history"): a backfilled trade never orders; a late BUY only when it is young enough
 * and the price has not run away; a late SELL always goes ahead, because reducing a position we
 * copied is what the leader did and holding on is the riskier choice.
 */
import type { Price } from '../../core/money.ts';
import { mulDiv } from '../../core/rounding.ts';
import { BPS_ONE } from './follow-config.ts';
import { dec, pct } from './format.ts';
import { raiseByBps } from './limit-price.ts';
import { type Skip, skip } from './skip.ts';

/** From the config's `trading` section (`max_live_lag_sec`, ...). */
export interface CatchUpSettings {
  /** A trade older than this when planned is a catch-up trade. */
  maxLiveLagSec: number;
  /** A catch-up BUY must be younger than this (0: never). */
  catchUpBuyMaxAgeSec: number;
  /** A catch-up BUY needs the current price within `catchUpBuyMaxWorseBps` of the leader's. */
  catchUpBuyRequireBetterPrice: boolean;
  catchUpBuyMaxWorseBps: number;
}

/** The settings from the config's snake_case `trading` section. */
export function catchUpSettingsFrom(trading: {
  max_live_lag_sec: number;
  catch_up_buy_max_age_sec: number;
  catch_up_buy_require_better_price: boolean;
  catch_up_buy_max_worse_bps: number;
}): CatchUpSettings {
  return {
    maxLiveLagSec: trading.max_live_lag_sec,
    catchUpBuyMaxAgeSec: trading.catch_up_buy_max_age_sec,
    catchUpBuyRequireBetterPrice: trading.catch_up_buy_require_better_price,
    catchUpBuyMaxWorseBps: trading.catch_up_buy_max_worse_bps,
  };
}

export interface Timing {
  kind: 'timing';
  catchUp: boolean;
  /** now - tradeAt in ms; negative when the leader's clock runs ahead of ours. */
  ageMs: number;
}

/** Whether the trade is live or catch-up; a backfilled trade is skipped outright. */
export function classifyTrade(
  trade: { isBackfill: boolean; tradeAt: number },
  settings: CatchUpSettings,
  now: number,
): Timing | Skip {
  const ageMs = now - trade.tradeAt;
  if (trade.isBackfill) {
    return skip('BACKFILL', `the trade was found by a backfill ${seconds(ageMs)} after it happened`, {
      ageMs,
    });
  }
  return { kind: 'timing', catchUp: ageMs > settings.maxLiveLagSec * 1000, ageMs };
}

export interface CatchUpBuy {
  kind: 'catch-up-buy';
  /** The worst price the policy allows (before tick rounding); null when no price rule applies. */
  maxPrice: number | null;
}

/**
 * The extra rules for a catch-up BUY. `referencePrice` is the leader's price in our token (1 - p
 * for a counter copy); `bestAsk` the current best ask of our token, what we would pay now.
 */
export function checkCatchUpBuy(
  input: { ageMs: number; referencePrice: Price; bestAsk: Price | null },
  settings: CatchUpSettings,
): CatchUpBuy | Skip {
  const { ageMs, referencePrice, bestAsk } = input;
  const maxAgeMs = settings.catchUpBuyMaxAgeSec * 1000;
  const numbers = {
    ageMs,
    maxAgeMs,
    referencePrice,
    bestAsk,
    maxWorseBps: settings.catchUpBuyMaxWorseBps,
  };
  if (!(ageMs < maxAgeMs)) {
    const limit = `the catch-up buy limit of ${seconds(maxAgeMs)}`;
    return skip('CATCH_UP_TOO_OLD', `the trade is ${seconds(ageMs)} old, past ${limit}`, numbers);
  }
  if (!settings.catchUpBuyRequireBetterPrice) return { kind: 'catch-up-buy', maxPrice: null };
  const maxPrice = raiseByBps(referencePrice, settings.catchUpBuyMaxWorseBps);
  if (bestAsk === null) {
    return skip('NO_QUOTE', 'a catch-up buy must check the current price, and there is no ask', {
      ...numbers,
      maxPrice,
    });
  }
  // maxPrice is floored and bestAsk an integer, so this is the exact comparison.
  if (bestAsk > maxPrice) {
    const worse = worseBy(bestAsk - referencePrice, referencePrice);
    return skip(
      'CATCH_UP_PRICE_WORSE',
      `the ask ${dec(bestAsk)} is ${worse} above the leader's ${dec(referencePrice)}, more than the ${pct(
        settings.catchUpBuyMaxWorseBps,
      )} a catch-up buy allows`,
      { ...numbers, maxPrice },
    );
  }
  return { kind: 'catch-up-buy', maxPrice };
}

/** How much worse, as a percent of the reference (for the message). */
function worseBy(diff: number, ref: number): string {
  return ref <= 0 ? 'infinitely' : pct(mulDiv(diff, BPS_ONE, ref, 'ceil'));
}

function seconds(ms: number): string {
  return `${dec(ms * 1000)}s`;
}
