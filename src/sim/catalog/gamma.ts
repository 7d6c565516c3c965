/**
 * Renders catalog markets and events as Gamma's JSON, key for key as the real service returns them
 * (see samples/gamma_market.json): `outcomes`, `outcomePrices` and `clobTokenIds` are JSON-encoded
 * strings, volumes come as a string and as a number, dates are ISO strings.
 */
import { formatMicro } from '../../core/decimal.ts';
import { complement, MICRO, type Price, price } from '../../core/money.ts';
import type { MarketSnapshot, SimEvent, SimMarket } from './model.ts';

const PUSD = '0xc011a7e12a19f7b1f670d46f03b03f3342e82dfb';
const UMA_CTF_ADAPTER_NEG_RISK = '0x2F5e3684cb1F318ec51b00Edba38d79Ac2c0aA9d';
const IMAGE = 'https://polymarket-upload.s3.us-east-2.amazonaws.com/simulated.png';

const iso = (ms: number) => new Date(ms).toISOString();
const isoDate = (ms: number) => iso(ms).slice(0, 10);
const num = (micro: number) => Number(formatMicro(micro));

export const EMPTY_SNAPSHOT: MarketSnapshot = {
  bestBid: null,
  bestAsk: null,
  lastTradePrice: null,
  volume: 0,
};

/** The YES price Gamma would show: mid of the book, else last trade, else the starting fair value. */
export function displayPrice(market: SimMarket, snapshot: MarketSnapshot): Price {
  if (snapshot.payoutFirst !== undefined && snapshot.payoutFirst !== null) return snapshot.payoutFirst;
  if (snapshot.bestBid !== null && snapshot.bestAsk !== null) {
    return price(Math.round((snapshot.bestBid + snapshot.bestAsk) / 2));
  }
  return snapshot.lastTradePrice ?? market.initialFairValue;
}

export function renderGammaEvent(
  event: SimEvent,
  markets: readonly SimMarket[],
  now: number,
): Record<string, unknown> {
  return {
    id: event.id,
    ticker: event.ticker,
    slug: event.slug,
    title: event.title,
    description: event.description,
    resolutionSource: '',
    startDate: iso(event.startDate),
    creationDate: iso(event.createdAt),
    endDate: iso(event.endDate),
    image: IMAGE,
    icon: IMAGE,
    active: markets.some((m) => m.active),
    closed: markets.length > 0 && markets.every((m) => m.closed),
    archived: false,
    new: false,
    featured: false,
    restricted: true,
    liquidity: 0,
    volume: 0,
    openInterest: 0,
    sortBy: 'price',
    createdAt: iso(event.createdAt),
    updatedAt: iso(now),
    competitive: 0,
    volume24hr: 0,
    volume1wk: 0,
    volume1mo: 0,
    volume1yr: 0,
    enableOrderBook: true,
    liquidityClob: 0,
    negRisk: event.negRisk,
    negRiskMarketID: event.negRiskMarketId ?? '',
    commentCount: 0,
    cyom: false,
    showAllOutcomes: true,
    showMarketImages: true,
    enableNegRisk: event.negRisk,
    automaticallyActive: true,
    startTime: iso(event.endDate),
    gmpChartMode: 'default',
    negRiskAugmented: false,
    ...(event.negRisk ? { countryName: 'Simland', electionType: 'Simulated' } : {}),
    estimateValue: false,
    cumulativeMarkets: false,
    pendingDeployment: false,
    deploying: false,
    deployingTimestamp: iso(event.createdAt),
    requiresTranslation: false,
    eventMetadata: {
      context_description: 'A simulated event.',
      context_requires_regen: false,
      context_updated_at: iso(event.createdAt),
    },
  };
}

export function renderGammaMarket(
  market: SimMarket,
  event: SimEvent,
  eventMarkets: readonly SimMarket[],
  snapshot: MarketSnapshot,
  now: number,
): Record<string, unknown> {
  const yes = displayPrice(market, snapshot);
  const volume = num(snapshot.volume);
  const spread =
    snapshot.bestBid !== null && snapshot.bestAsk !== null ? snapshot.bestAsk - snapshot.bestBid : 0;
  const feeRate = market.feeSchedule.rate;
  return {
    id: market.id,
    question: market.question,
    conditionId: market.conditionId,
    slug: market.slug,
    resolutionSource: '',
    endDate: iso(market.endDate),
    liquidity: '0',
    startDate: iso(market.startDate),
    image: IMAGE,
    icon: IMAGE,
    description: market.description,
    outcomes: JSON.stringify(market.tokens.map((t) => t.outcome)),
    outcomePrices: JSON.stringify([formatMicro(yes), formatMicro(complement(yes))]),
    volume: String(volume),
    active: market.active,
    closed: market.closed,
    marketMakerAddress: '',
    createdAt: iso(market.createdAt),
    updatedAt: iso(now),
    new: false,
    featured: false,
    submitted_by: '0x0000000000000000000000000000000000000000',
    archived: false,
    resolvedBy: UMA_CTF_ADAPTER_NEG_RISK,
    restricted: true,
    groupItemTitle: market.groupItemTitle,
    groupItemThreshold: String(Math.max(0, eventMarkets.indexOf(market))),
    questionID: market.questionId,
    enableOrderBook: true,
    orderPriceMinTickSize: num(market.tickSize),
    orderMinSize: num(market.minSize),
    volumeNum: volume,
    liquidityNum: 0,
    endDateIso: isoDate(market.endDate),
    startDateIso: isoDate(market.startDate),
    hasReviewedDates: true,
    volume24hr: volume,
    volume1wk: volume,
    volume1mo: volume,
    volume1yr: volume,
    clobTokenIds: JSON.stringify(market.tokens.map((t) => t.tokenId)),
    umaBond: '500',
    umaReward: '5',
    volume24hrClob: volume,
    volume1wkClob: volume,
    volume1moClob: volume,
    volume1yrClob: volume,
    volumeClob: volume,
    liquidityClob: 0,
    makerBaseFee: 0,
    takerBaseFee: 0,
    customLiveness: 0,
    acceptingOrders: market.active && !market.closed,
    negRisk: market.negRisk,
    negRiskMarketID: market.negRiskMarketId ?? '',
    negRiskRequestID: market.negRiskRequestId ?? '',
    events: [renderGammaEvent(event, eventMarkets, now)],
    ready: false,
    funded: false,
    acceptingOrdersTimestamp: iso(market.startDate),
    cyom: false,
    competitive: 0,
    pagerDutyNotificationEnabled: false,
    approved: true,
    clobRewards: [
      {
        id: String(Number(market.id) * 2),
        conditionId: market.conditionId,
        assetAddress: PUSD,
        rewardsAmount: 0,
        rewardsDailyRate: 0,
        startDate: isoDate(market.startDate),
        endDate: '2500-12-31',
      },
    ],
    rewardsMinSize: 0,
    rewardsMaxSpread: 0,
    spread: num(spread),
    oneWeekPriceChange: 0,
    oneMonthPriceChange: 0,
    lastTradePrice: num(snapshot.lastTradePrice ?? 0),
    bestBid: num(snapshot.bestBid ?? 0),
    bestAsk: num(snapshot.bestAsk ?? MICRO),
    automaticallyActive: true,
    clearBookOnStart: true,
    seriesColor: '',
    showGmpSeries: false,
    showGmpOutcome: false,
    manualActivation: false,
    negRiskOther: false,
    umaResolutionStatuses: '[]',
    pendingDeployment: false,
    deploying: false,
    deployingTimestamp: iso(market.createdAt),
    rfqEnabled: false,
    holdingRewardsEnabled: false,
    feesEnabled: feeRate > 0,
    requiresTranslation: false,
    feeType: feeRate > 0 ? 'simulated_fees' : 'none',
    feeSchedule: {
      exponent: market.feeSchedule.exponent,
      rate: num(feeRate),
      takerOnly: market.feeSchedule.takerOnly,
      rebateRate: num(market.feeSchedule.rebateRate),
    },
  };
}
