/**
 * A fill as the feeds keep it: normalized (lower-case wallet, fee 0 when none) and enriched once,
 * at publish time, with what the Data API and RTDS show beside it: the market's title, slug, icon,
 * event slug and outcome (Gamma's enrichment; `outcomeIndex` 999 and empty strings when the token
 * is unknown), and the wallet's profile.
 */
import type { Price, Shares, Usdc } from '../../core/money.ts';
import type { Catalog, Hex, SimEvent, SimMarket } from '../catalog/model.ts';
import type { ActivityType, ParticipantFill } from './fill.ts';
import type { Profile } from './profile.ts';

/** Polymarket's "outcome unknown" index. */
export const UNKNOWN_OUTCOME_INDEX = 999;
const ICON = 'https://polymarket-upload.s3.us-east-2.amazonaws.com/simulated.png';

export interface MarketInfo {
  title: string;
  slug: string;
  icon: string;
  eventSlug: string;
  /** Gamma's event id, '' when unknown. */
  eventId: string;
  outcome: string;
  outcomeIndex: number;
  oppositeOutcome: string;
  oppositeTokenId: string;
  /** The market's end, epoch ms; null when unknown. */
  endDateMs: number | null;
  negRisk: boolean;
}

export interface FeedRecord {
  seq: number;
  type: ActivityType;
  /** Lower case. */
  proxyWallet: Hex;
  /** '' on rows that are not trades. */
  side: 'BUY' | 'SELL' | '';
  tokenId: string;
  conditionId: Hex;
  size: Shares;
  /** 0 where no price applies. */
  price: Price;
  usdcSize: Usdc;
  fee: Usdc;
  /** False on rows that are not trades. */
  isTaker: boolean;
  transactionHash: Hex;
  timeMs: number;
  /** When the Data API starts showing it, epoch ms (see IndexingLag). */
  visibleAt: number;
  market: MarketInfo;
  profile: Profile;
}

/** Finds markets by token and condition id, re-indexing if the catalog grows. */
export class CatalogLookup {
  readonly #catalog: Catalog;
  #indexedCount = -1;
  #byToken = new Map<string, { market: SimMarket; index: number }>();
  #byCondition = new Map<string, SimMarket>();
  #events = new Map<string, SimEvent>();

  constructor(catalog: Catalog) {
    this.#catalog = catalog;
  }

  #index(): void {
    if (this.#indexedCount === this.#catalog.markets.length + this.#catalog.events.length) return;
    this.#byToken.clear();
    this.#byCondition.clear();
    this.#events.clear();
    for (const market of this.#catalog.markets) {
      this.#byCondition.set(market.conditionId.toLowerCase(), market);
      for (const [index, t] of market.tokens.entries()) this.#byToken.set(t.tokenId, { market, index });
    }
    for (const event of this.#catalog.events) this.#events.set(event.id, event);
    this.#indexedCount = this.#catalog.markets.length + this.#catalog.events.length;
  }

  byCondition(conditionId: string): SimMarket | undefined {
    this.#index();
    return this.#byCondition.get(conditionId.toLowerCase());
  }

  event(id: string): SimEvent | undefined {
    this.#index();
    return this.#events.get(id);
  }

  /** Condition ids of an event's markets; empty for an unknown event. */
  conditionsOfEvent(eventId: string): Hex[] {
    this.#index();
    const event = this.#events.get(eventId);
    if (!event) return [];
    return this.#catalog.markets
      .filter((m) => event.marketIds.includes(m.id))
      .map((m) => m.conditionId.toLowerCase() as Hex);
  }

  marketInfo(tokenId: string, conditionId: string): MarketInfo {
    this.#index();
    const hit = this.#byToken.get(tokenId);
    const market = hit?.market ?? this.#byCondition.get(conditionId.toLowerCase());
    const event = market ? this.#events.get(market.eventId) : undefined;
    const index = hit?.index;
    const opposite = index === undefined ? undefined : market?.tokens[1 - index];
    return {
      title: market?.question ?? '',
      slug: market?.slug ?? '',
      icon: market ? ICON : '',
      eventSlug: event?.slug ?? '',
      eventId: event?.id ?? '',
      outcome: index === undefined ? '' : market!.tokens[index]!.outcome,
      outcomeIndex: index ?? UNKNOWN_OUTCOME_INDEX,
      oppositeOutcome: opposite?.outcome ?? '',
      oppositeTokenId: opposite?.tokenId ?? '',
      endDateMs: market?.endDate ?? null,
      negRisk: market?.negRisk ?? false,
    };
  }
}

/** The stored form of a fill, given its enrichment and visibility time. */
export function toRecord(
  fill: ParticipantFill,
  market: MarketInfo,
  profile: Profile,
  visibleAt: number,
): FeedRecord {
  const common = {
    seq: fill.seq,
    proxyWallet: fill.proxyWallet.toLowerCase() as Hex,
    tokenId: fill.tokenId,
    conditionId: fill.conditionId.toLowerCase() as Hex,
    size: fill.size,
    usdcSize: fill.usdcSize,
    transactionHash: fill.transactionHash.toLowerCase() as Hex,
    timeMs: fill.timeMs,
    visibleAt,
    market,
    profile,
  };
  switch (fill.type) {
    case 'TRADE':
      return {
        ...common,
        type: 'TRADE',
        side: fill.side,
        price: fill.price,
        fee: fill.fee ?? (0 as Usdc),
        isTaker: fill.isTaker,
      };
    case 'REDEEM':
      return { ...common, type: 'REDEEM', side: '', price: 0 as Price, fee: 0 as Usdc, isTaker: false };
  }
}
