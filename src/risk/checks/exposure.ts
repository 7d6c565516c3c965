/**
 * Guardrails on what we already hold and how the day and the venue are going. Caps and the daily
 * loss limit apply to BUYs only: a sell reduces exposure, and refusing it would trap a position.
 */
import { add, type Usdc } from '../../core/money.ts';
import { breakerReopensAt, breakerStatus } from '../breaker.ts';
import type { RiskCode } from '../codes.ts';
import { refusal } from '../decision.ts';
import { dollars, seconds } from '../format.ts';
import type { RiskExposure } from '../intent.ts';
import type { Check } from './check.ts';

export const tradeCap: Check = {
  code: 'TRADE_CAP',
  run: ({ intent, limits }) => {
    const max = limits.maxPerTradeUsdc;
    if (max === undefined || intent.side !== 'BUY') return 'off';
    if (intent.notional <= max) return 'pass';
    return refusal(
      'TRADE_CAP',
      `The order's ${dollars(intent.notional)} is above the ${dollars(max)} per-trade cap.`,
      { notionalUsdc: intent.notional, maxPerTradeUsdc: max },
    );
  },
};

type CapName = 'maxPerMarketUsdc' | 'maxPerLeaderUsdc' | 'maxTotalUsdc';

/** Current exposure + this order's notional must stay within the cap. */
function exposureCap(
  code: RiskCode,
  limit: CapName,
  held: keyof RiskExposure,
  scope: string,
  capName: string,
): Check {
  return {
    code,
    run: ({ intent, snapshot, limits }) => {
      const max = limits[limit];
      if (max === undefined || intent.side !== 'BUY') return 'off';
      // Orders that copy no leader have no leader exposure to cap.
      if (held === 'leaderUsdc' && intent.leaderAddress === null) return 'off';
      const current = snapshot.exposure[held];
      const after: Usdc = add(current, intent.notional);
      if (after <= max) return 'pass';
      return refusal(
        code,
        `Exposure ${scope} of ${dollars(current)} plus this order's ${dollars(intent.notional)} makes ` +
          `${dollars(after)}, above the ${dollars(max)} ${capName} cap.`,
        { exposureUsdc: current, notionalUsdc: intent.notional, afterUsdc: after, [limit]: max },
      );
    },
  };
}

export const marketCap = exposureCap(
  'MARKET_CAP',
  'maxPerMarketUsdc',
  'marketUsdc',
  'in this market',
  'per-market',
);
export const leaderCap = exposureCap(
  'LEADER_CAP',
  'maxPerLeaderUsdc',
  'leaderUsdc',
  'to this leader',
  'per-leader',
);
export const totalCap = exposureCap('TOTAL_CAP', 'maxTotalUsdc', 'totalUsdc', 'in total', 'total');

export const dailyLoss: Check = {
  code: 'DAILY_LOSS_LIMIT',
  run: ({ intent, snapshot, limits }) => {
    const limit = limits.dailyLossLimitUsdc;
    if (limit === undefined || intent.side !== 'BUY') return 'off';
    const pnl = snapshot.todayPnlUsdc;
    // Reaching the limit stops buying: the limit is the most the day may lose.
    if (pnl > -limit) return 'pass';
    return refusal(
      'DAILY_LOSS_LIMIT',
      `Today's PnL of ${dollars(pnl)} has reached the ${dollars(limit)} daily loss limit; only sells are allowed.`,
      { todayPnlUsdc: pnl, dailyLossLimitUsdc: limit },
    );
  },
};

export const breakerClosed: Check = {
  code: 'BREAKER_OPEN',
  run: ({ snapshot, limits }) => {
    if (limits.breakerFailures === undefined) return 'off';
    const state = snapshot.breaker;
    if (breakerStatus(state, snapshot.now, limits) !== 'open') return 'pass';
    const reopensAt = breakerReopensAt(state, limits);
    const until =
      reopensAt === null
        ? 'it stays open until reset'
        : `it half-opens in ${seconds(reopensAt - snapshot.now)}`;
    return refusal(
      'BREAKER_OPEN',
      `The circuit breaker is open after ${state.consecutiveFailures} consecutive failures; ${until}.`,
      {
        consecutiveFailures: state.consecutiveFailures,
        openedAt: state.openedAt,
        reopensAt,
        breakerFailures: limits.breakerFailures,
        breakerCooldownMs: limits.breakerCooldownMs ?? null,
      },
    );
  },
};
