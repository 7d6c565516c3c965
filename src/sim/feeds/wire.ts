/**
 * Records as the wire shows them, key for key in the order of the captured samples: Data API v1
 * rows (camelCase), v2 rows (snake_case) and the RTDS `activity` payload. Amounts become JSON
 * numbers only here; timestamps are epoch seconds in every row.
 */
import { getAddress } from 'viem';
import { formatMicro } from '../../core/decimal.ts';
import type { FeedRecord } from './record.ts';

/** A micro amount as the JSON number the wire carries: 354000000 -> 354. */
export const wireNumber = (micro: number): number => Number(formatMicro(micro));
export const toSeconds = (ms: number): number => Math.floor(ms / 1000);

/** `GET /activity` row. */
export function v1ActivityRow(r: FeedRecord): Record<string, unknown> {
  return {
    proxyWallet: r.proxyWallet,
    timestamp: toSeconds(r.timeMs),
    conditionId: r.conditionId,
    type: r.type,
    size: wireNumber(r.size),
    usdcSize: wireNumber(r.usdcSize),
    transactionHash: r.transactionHash,
    price: wireNumber(r.price),
    asset: r.tokenId,
    side: r.side,
    outcomeIndex: r.market.outcomeIndex,
    title: r.market.title,
    slug: r.market.slug,
    icon: r.market.icon,
    eventSlug: r.market.eventSlug,
    outcome: r.market.outcome,
    name: r.profile.name,
    pseudonym: r.profile.pseudonym,
    bio: r.profile.bio,
    profileImage: r.profile.profileImage,
    profileImageOptimized: r.profile.profileImageOptimized,
  };
}

/** `GET /trades` row. */
export function v1TradeRow(r: FeedRecord): Record<string, unknown> {
  return {
    proxyWallet: r.proxyWallet,
    side: r.side,
    asset: r.tokenId,
    conditionId: r.conditionId,
    size: wireNumber(r.size),
    price: wireNumber(r.price),
    timestamp: toSeconds(r.timeMs),
    title: r.market.title,
    slug: r.market.slug,
    icon: r.market.icon,
    eventSlug: r.market.eventSlug,
    outcome: r.market.outcome,
    outcomeIndex: r.market.outcomeIndex,
    name: r.profile.name,
    pseudonym: r.profile.pseudonym,
    bio: r.profile.bio,
    profileImage: r.profile.profileImage,
    profileImageOptimized: r.profile.profileImageOptimized,
    transactionHash: r.transactionHash,
  };
}

/** `GET /v2/activity` row. */
export function v2ActivityRow(r: FeedRecord): Record<string, unknown> {
  return {
    proxy_wallet: r.proxyWallet,
    timestamp: toSeconds(r.timeMs),
    condition_id: r.conditionId,
    type: r.type,
    size: wireNumber(r.size),
    usdc_size: wireNumber(r.usdcSize),
    transaction_hash: r.transactionHash,
    price: wireNumber(r.price),
    token_id: r.tokenId,
    side: r.side,
    outcome_index: r.market.outcomeIndex,
    title: r.market.title,
    slug: r.market.slug,
    icon: r.market.icon,
    event_slug: r.market.eventSlug,
    outcome: r.market.outcome,
    name: r.profile.name,
    pseudonym: r.profile.pseudonym,
    bio: r.profile.bio,
    profile_image: r.profile.profileImage,
    profile_image_optimized: r.profile.profileImageOptimized,
  };
}

/** `GET /v2/trades` row. */
export function v2TradeRow(r: FeedRecord): Record<string, unknown> {
  return {
    proxy_wallet: r.proxyWallet,
    side: r.side,
    token_id: r.tokenId,
    condition_id: r.conditionId,
    size: wireNumber(r.size),
    price: wireNumber(r.price),
    timestamp: toSeconds(r.timeMs),
    title: r.market.title,
    slug: r.market.slug,
    icon: r.market.icon,
    event_slug: r.market.eventSlug,
    outcome: r.market.outcome,
    outcome_index: r.market.outcomeIndex,
    name: r.profile.name,
    pseudonym: r.profile.pseudonym,
    bio: r.profile.bio,
    profile_image: r.profile.profileImage,
    profile_image_optimized: r.profile.profileImageOptimized,
    transaction_hash: r.transactionHash,
  };
}

/**
 * RTDS `activity` payload: like a `/trades` row with the wallet checksummed, no optimized image,
 * and `fee` only on rows that paid one (the taker's, in the capture).
 */
export function rtdsTradePayload(r: FeedRecord): Record<string, unknown> {
  return {
    asset: r.tokenId,
    bio: r.profile.bio,
    conditionId: r.conditionId,
    eventSlug: r.market.eventSlug,
    ...(r.fee > 0 ? { fee: wireNumber(r.fee) } : {}),
    icon: r.market.icon,
    name: r.profile.name,
    outcome: r.market.outcome,
    outcomeIndex: r.market.outcomeIndex,
    price: wireNumber(r.price),
    profileImage: r.profile.profileImage,
    proxyWallet: getAddress(r.proxyWallet),
    pseudonym: r.profile.pseudonym,
    side: r.side,
    size: wireNumber(r.size),
    slug: r.market.slug,
    timestamp: toSeconds(r.timeMs),
    title: r.market.title,
    transactionHash: r.transactionHash,
  };
}
