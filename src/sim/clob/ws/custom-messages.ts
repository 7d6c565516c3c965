/**
 * The market channel's `custom_feature_enabled` messages: `best_bid_ask`, `new_market` and
 * `market_resolved`, keyed as the NT fixtures and the docs example. Market metadata (question,
 * slug, event) comes from the catalog; a market the engine knows but the catalog does not gets
 * empty texts rather than no message.
 */
import type { Catalog, SimEvent, SimMarket } from '../../catalog/model.ts';
import type { BestBidAskEvent, MarketInfo, MarketResolvedEvent } from '../../engine/index.ts';
import { decimalText, msText, optionalPriceText } from './wire-values.ts';

export function bestBidAskMessage(event: BestBidAskEvent): Record<string, string> {
  return {
    event_type: 'best_bid_ask',
    market: event.market,
    asset_id: event.tokenId,
    best_bid: optionalPriceText(event.bestBid),
    best_ask: optionalPriceText(event.bestAsk),
    spread: optionalPriceText(event.spread),
    timestamp: msText(event.timestamp),
  };
}

interface Metadata {
  market: SimMarket | undefined;
  event: SimEvent | undefined;
}

function metadata(catalog: Catalog, conditionId: string): Metadata {
  const market = catalog.markets.find((m) => m.conditionId === conditionId);
  const event = market && catalog.events.find((e) => e.id === market.eventId);
  return { market, event };
}

function eventMessage(event: SimEvent | undefined): Record<string, string> {
  return {
    id: event?.id ?? '',
    ticker: event?.ticker ?? '',
    slug: event?.slug ?? '',
    title: event?.title ?? '',
    description: event?.description ?? '',
  };
}

/** The catalog has no tags; the real frames' `tags` array is sent empty. */
const NO_TAGS: string[] = [];

export function newMarketMessage(
  catalog: Catalog,
  info: MarketInfo,
  timestamp: number,
): Record<string, unknown> {
  const { market, event } = metadata(catalog, info.conditionId);
  return {
    event_type: 'new_market',
    id: market?.id ?? '',
    question: market?.question ?? '',
    market: info.conditionId,
    slug: market?.slug ?? '',
    description: market?.description ?? '',
    assets_ids: [...info.tokenIds],
    outcomes: [...info.outcomes],
    event_message: eventMessage(event),
    timestamp: msText(timestamp),
    tags: NO_TAGS,
    condition_id: info.conditionId,
    active: info.acceptingOrders && !info.closed,
    clob_token_ids: [...info.tokenIds],
    sports_market_type: '',
    line: '',
    game_start_time: '',
    order_price_min_tick_size: decimalText(info.tickSize),
    group_item_title: market?.groupItemTitle ?? '',
  };
}

/**
 * The fixture's keys plus `question`, `slug`, `description`, `outcomes` and `event_message`, which
 * the reference lists and the official Rust client requires.
 */
export function marketResolvedMessage(
  catalog: Catalog,
  event: MarketResolvedEvent,
  outcomes: readonly string[],
): Record<string, unknown> {
  const { market, event: parent } = metadata(catalog, event.market);
  return {
    event_type: 'market_resolved',
    id: market?.id ?? '',
    question: market?.question ?? '',
    market: event.market,
    slug: market?.slug ?? '',
    description: market?.description ?? '',
    assets_ids: [...event.tokenIds],
    outcomes: [...outcomes],
    winning_asset_id: event.winningTokenId,
    winning_outcome: event.winningOutcome,
    event_message: eventMessage(parent),
    timestamp: msText(event.timestamp),
    tags: NO_TAGS,
  };
}
