/** Positions as `GET /positions` (v1, camelCase) and `GET /v2/positions` (snake_case) show them. */

import type { ValuedPosition } from './positions.ts';
import type { Profile } from './profile.ts';
import { toSeconds, wireNumber } from './wire.ts';

/** A percentage of two micro amounts as a float; 0 when the base is 0. */
const percent = (part: number, base: number): number => (base === 0 ? 0 : (part * 100) / base);
const isoDate = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString().slice(0, 10));

export function v1PositionRow(p: ValuedPosition): Record<string, unknown> {
  return {
    proxyWallet: p.proxyWallet,
    asset: p.tokenId,
    conditionId: p.conditionId,
    size: wireNumber(p.size),
    avgPrice: wireNumber(p.avgPrice),
    initialValue: wireNumber(p.cost),
    currentValue: wireNumber(p.currentValue),
    cashPnl: wireNumber(p.cashPnl),
    percentPnl: percent(p.cashPnl, p.cost),
    totalBought: wireNumber(p.totalBought),
    realizedPnl: wireNumber(p.realizedPnl),
    percentRealizedPnl: percent(p.realizedPnl, p.totalBoughtCost),
    curPrice: wireNumber(p.curPrice),
    redeemable: p.redeemable,
    mergeable: p.mergeable,
    title: p.market.title,
    slug: p.market.slug,
    icon: p.market.icon,
    eventSlug: p.market.eventSlug,
    outcome: p.market.outcome,
    outcomeIndex: p.market.outcomeIndex,
    oppositeOutcome: p.market.oppositeOutcome,
    oppositeAsset: p.market.oppositeTokenId,
    endDate: isoDate(p.market.endDateMs),
    negativeRisk: p.market.negRisk,
  };
}

/** v2 splits cost into entry cost and fees; unrealized PnL is net of both. */
export function v2PositionRow(p: ValuedPosition, profile: Profile): Record<string, unknown> {
  const totalCost = p.cost + p.feeCost;
  const unrealized = p.currentValue - totalCost;
  return {
    proxy_wallet: p.proxyWallet,
    token_id: p.tokenId,
    condition_id: p.conditionId,
    current_size: wireNumber(p.size),
    avg_price: wireNumber(p.avgPrice),
    entry_cost_usdc: wireNumber(p.cost),
    entry_fees_usdc: wireNumber(p.feeCost),
    total_cost_usdc: wireNumber(totalCost),
    current_price: wireNumber(p.curPrice),
    current_value: wireNumber(p.currentValue),
    total_size: wireNumber(p.totalBought),
    realized_pnl: wireNumber(p.realizedPnl),
    unrealized_pnl: wireNumber(unrealized),
    total_pnl: wireNumber(p.realizedPnl + unrealized),
    percent_pnl: percent(unrealized, totalCost),
    percent_realized_pnl: percent(p.realizedPnl, p.totalBoughtCost),
    status: p.status,
    redeemable: p.redeemable,
    mergeable: p.mergeable,
    negative_risk: p.market.negRisk,
    archived: false,
    title: p.market.title,
    slug: p.market.slug,
    icon: p.market.icon,
    event_id: p.market.eventId === '' ? null : Number(p.market.eventId),
    event_slug: p.market.eventSlug,
    outcome: p.market.outcome,
    outcome_index: p.market.outcomeIndex,
    opposite_outcome: p.market.oppositeOutcome,
    opposite_token_id: p.market.oppositeTokenId,
    end_date: isoDate(p.market.endDateMs),
    last_event_at: toSeconds(p.lastEventMs),
    first_entry_at: toSeconds(p.firstEntryMs),
    name: profile.name,
    profile_image: profile.profileImage,
    verified: false,
  };
}
