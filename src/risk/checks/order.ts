/** Guardrails on the order and its market alone: side, leader trade size, price band, timing, lists. */
import { type Refusal, refusal } from '../decision.ts';
import { dollars, priceText, seconds } from '../format.ts';
import type { RiskMarket } from '../intent.ts';
import type { Check, CheckOutcome } from './check.ts';

export const sideAllowed: Check = {
  code: 'SIDE_NOT_ALLOWED',
  run: ({ intent, limits }) => {
    const sides = limits.sides;
    if (sides === undefined) return 'off';
    if (sides.includes(intent.side)) return 'pass';
    const allowed = sides.length === 0 ? 'none' : sides.join(', ');
    return refusal('SIDE_NOT_ALLOWED', `${intent.side} orders are not allowed (allowed sides: ${allowed}).`, {
      side: intent.side,
      sides: sides.join(','),
    });
  },
};

export const leaderTradeMin: Check = {
  code: 'LEADER_TRADE_TOO_SMALL',
  run: ({ intent, limits }) => {
    const min = limits.minLeaderTradeUsdc;
    const trade = intent.leaderTradeUsdc;
    if (min === undefined || trade === null) return 'off';
    if (trade >= min) return 'pass';
    return refusal(
      'LEADER_TRADE_TOO_SMALL',
      `The leader's trade of ${dollars(trade)} is below the ${dollars(min)} minimum.`,
      { leaderTradeUsdc: trade, minLeaderTradeUsdc: min },
    );
  },
};

export const leaderTradeMax: Check = {
  code: 'LEADER_TRADE_TOO_LARGE',
  run: ({ intent, limits }) => {
    const max = limits.maxLeaderTradeUsdc;
    const trade = intent.leaderTradeUsdc;
    if (max === undefined || trade === null) return 'off';
    if (trade <= max) return 'pass';
    return refusal(
      'LEADER_TRADE_TOO_LARGE',
      `The leader's trade of ${dollars(trade)} is above the ${dollars(max)} maximum.`,
      { leaderTradeUsdc: trade, maxLeaderTradeUsdc: max },
    );
  },
};

// The band and the time to resolution limit what we buy into; a sell is always let out, so a
// position the leader exits (or a market about to end) never traps us.
export const priceBand: Check = {
  code: 'PRICE_OUT_OF_BAND',
  run: ({ intent, limits }) => {
    const { minPrice, maxPrice } = limits;
    if ((minPrice === undefined && maxPrice === undefined) || intent.side === 'SELL') return 'off';
    const p = intent.limitPrice;
    const low = minPrice !== undefined && p < minPrice;
    const high = maxPrice !== undefined && p > maxPrice;
    if (!low && !high) return 'pass';
    const bound = low
      ? `below the ${priceText(minPrice!)} minimum`
      : `above the ${priceText(maxPrice!)} maximum`;
    return refusal('PRICE_OUT_OF_BAND', `The limit price ${priceText(p)} is ${bound}.`, {
      limitPrice: p,
      minPrice: minPrice ?? null,
      maxPrice: maxPrice ?? null,
    });
  },
};

export const timeToResolution: Check = {
  code: 'TOO_CLOSE_TO_RESOLUTION',
  run: ({ intent, snapshot, limits }) => {
    const minSec = limits.minTimeToResolutionSec;
    const endAt = snapshot.market.endAt;
    if (minSec === undefined || endAt === null || intent.side === 'SELL') return 'off';
    const remainingMs = endAt - snapshot.now;
    if (remainingMs >= minSec * 1000) return 'pass';
    const when = remainingMs >= 0 ? `ends in ${seconds(remainingMs)}` : `ended ${seconds(-remainingMs)} ago`;
    return refusal(
      'TOO_CLOSE_TO_RESOLUTION',
      `The market ${when}, less than the ${minSec} s minimum time to resolution.`,
      { endAt, now: snapshot.now, remainingMs, minTimeToResolutionSec: minSec },
    );
  },
};

export const marketAllowed: Check = {
  code: 'MARKET_NOT_ALLOWED',
  run: ({ snapshot, limits }) => {
    const allow = limits.marketAllow;
    if (allow === undefined) return 'off';
    if (listed(allow, snapshot.market)) return 'pass';
    return marketRefusal('MARKET_NOT_ALLOWED', snapshot.market, 'is not on the allow list');
  },
};

export const marketNotDenied: Check = {
  code: 'MARKET_DENIED',
  run: ({ snapshot, limits }) => {
    const deny = limits.marketDeny;
    if (deny === undefined) return 'off';
    if (!listed(deny, snapshot.market)) return 'pass';
    return marketRefusal('MARKET_DENIED', snapshot.market, 'is on the deny list');
  },
};

/** Lists hold condition ids or slugs; hex ids may arrive in either case, so compare lowercased. */
function listed(list: readonly string[], market: RiskMarket): boolean {
  const id = market.conditionId.toLowerCase();
  const slug = market.slug?.toLowerCase();
  return list.some((entry) => {
    const e = entry.toLowerCase();
    return e === id || (slug !== undefined && e === slug);
  });
}

function marketRefusal(code: Refusal['code'], market: RiskMarket, what: string): CheckOutcome {
  const slug = market.slug ?? null;
  const name = slug === null ? market.conditionId : `${market.conditionId} (${slug})`;
  return refusal(code, `Market ${name} ${what}.`, { conditionId: market.conditionId, slug });
}
