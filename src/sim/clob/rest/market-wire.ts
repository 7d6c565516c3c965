/**
 * A market as the CLOB renders it: `GET /markets/<condition_id>` (key for key as
 * samples/clob_market_by_condition_sanitized.json) and the compact `MarketDetails` of
 * `GET /clob-markets/<condition_id>` that clob-client-v2 reads for tick size, neg risk and fee
 * parameters (`types/clob.d.ts`; the client reads `t[].t`, `mts`, `nr`, `fd.r`, `fd.e`).
 *
 * Decisions where the sources are silent: base fees are the taker fee rate in basis points
 * (0.04 -> 400) and 0 for makers (V2 fees are taker-only); `game_start_time` is null (no sports
 * markets); token prices are the book mid, else the last trade, else the catalog's fair value.
 */
import { formatMicro } from '../../../core/decimal.ts';
import { complement, MICRO } from '../../../core/money.ts';
import { displayPrice } from '../../catalog/gamma.ts';
import type { MarketSnapshot, SimMarket } from '../../catalog/model.ts';
import type { MarketInfo, MatchingEngine } from '../../engine/index.ts';

const IMAGE = 'https://polymarket-upload.s3.us-east-2.amazonaws.com/simulated.png';
/** Micro-units of a rate per basis point. */
const MICRO_PER_BPS = MICRO / 10_000;

/** ISO-8601 without milliseconds, as the CLOB prints dates. */
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const num = (micro: number) => Number(formatMicro(micro));

export function takerBaseFeeBps(market: SimMarket): number {
  return Math.round(market.feeSchedule.rate / MICRO_PER_BPS);
}

function snapshotOf(engine: MatchingEngine, market: SimMarket): MarketSnapshot {
  const yes = market.tokens[0].tokenId;
  const top = engine.topOfBook(yes);
  return {
    bestBid: top?.bestBid ?? null,
    bestAsk: top?.bestAsk ?? null,
    lastTradePrice: engine.lastTrade(yes)?.price ?? null,
    volume: 0,
  };
}

/** The engine's view wins over the catalog's for everything that changes while running. */
function liveState(market: SimMarket, info: MarketInfo | undefined) {
  const closed = market.closed || (info?.closed ?? false);
  return {
    closed,
    acceptingOrders: market.active && !closed && (info?.acceptingOrders ?? true),
    tickSize: info?.tickSize ?? market.tickSize,
    minOrderSize: info?.minOrderSize ?? market.minSize,
    secondsDelay: Math.floor((info?.matchDelayMs ?? 0) / 1000),
    winner: info?.winningTokenId ?? null,
  };
}

export function renderClobMarket(engine: MatchingEngine, market: SimMarket): Record<string, unknown> {
  const live = liveState(market, engine.market(market.conditionId));
  const yes = displayPrice(market, snapshotOf(engine, market));
  const prices = [yes, complement(yes)];
  return {
    enable_order_book: true,
    active: market.active,
    closed: live.closed,
    archived: false,
    accepting_orders: live.acceptingOrders,
    accepting_order_timestamp: isoSeconds(market.startDate),
    minimum_order_size: num(live.minOrderSize),
    minimum_tick_size: num(live.tickSize),
    condition_id: market.conditionId,
    question_id: market.questionId,
    question: market.question,
    description: market.description,
    market_slug: market.slug,
    end_date_iso: isoSeconds(market.endDate),
    game_start_time: null,
    seconds_delay: live.secondsDelay,
    fpmm: '',
    maker_base_fee: 0,
    taker_base_fee: takerBaseFeeBps(market),
    notifications_enabled: true,
    neg_risk: market.negRisk,
    neg_risk_market_id: market.negRiskMarketId ?? '',
    neg_risk_request_id: market.negRiskRequestId ?? '',
    icon: IMAGE,
    image: IMAGE,
    rewards: { rates: null, min_size: 0, max_spread: 0 },
    is_50_50_outcome: false,
    tokens: market.tokens.map((t, i) => ({
      token_id: t.tokenId,
      outcome: t.outcome,
      price: num(prices[i] ?? 0),
      winner: live.winner === t.tokenId,
    })),
    tags: market.negRisk ? ['Simulated', 'Neg Risk'] : ['Simulated'],
  };
}

/** `MarketDetails`: `nr` only when true, as the client defaults it to false. */
export function renderMarketDetails(engine: MatchingEngine, market: SimMarket): Record<string, unknown> {
  const live = liveState(market, engine.market(market.conditionId));
  return {
    c: market.conditionId,
    t: market.tokens.map((t) => ({ t: t.tokenId, o: t.outcome })),
    mts: num(live.tickSize),
    ...(market.negRisk ? { nr: true } : {}),
    fd: {
      r: num(market.feeSchedule.rate),
      e: market.feeSchedule.exponent,
      to: market.feeSchedule.takerOnly,
    },
    mbf: 0,
    tbf: takerBaseFeeBps(market),
    r: null,
    ao: live.acceptingOrders,
    mos: num(live.minOrderSize),
    sd: live.secondsDelay,
    aot: isoSeconds(market.startDate),
  };
}
