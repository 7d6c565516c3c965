/**
 * The simulator's per-participant trade feeds: the Data API (REST, v1 and v2, behind an indexing
 * lag) and RTDS (websocket `activity` topic, immediate). The matching engine publishes
 * `ParticipantFill`s to a `FeedsHub`; both feeds read from it.
 */
export { type DataApiOptions, registerDataApiRoutes } from './data-api.ts';
export { V1_LIMITS } from './data-api-v1.ts';
export { V2_DEFAULT_LIMIT, V2_MAX_CONDITIONS, V2_MAX_LIMIT } from './data-api-v2.ts';
export {
  ACTIVITY_TYPES,
  type ActivityType,
  type ParticipantFill,
  type RedeemFill,
  type Side,
  type TradeFill,
  validateFills,
} from './fill.ts';
export { type FeedListener, FeedsHub, type FeedsHubOptions } from './hub.ts';
export { DEFAULT_INDEXING_LAG_MS, IndexingLag, type LagSpike } from './lag.ts';
export { type Profile, type ProfileKind, profileFor } from './profile.ts';
export { type FeedRecord, type MarketInfo, UNKNOWN_OUTCOME_INDEX } from './record.ts';
export { ACTIVITY_MESSAGE_TYPES, type ActivityMessageType } from './rtds-protocol.ts';
export {
  createRtdsFeed,
  DEFAULT_KEEPALIVE_MS,
  DEFAULT_PROTOCOL_PING_MS,
  type RtdsFeed,
  type RtdsFeedOptions,
  type RtdsServer,
  type SilenceOptions,
  startRtdsServer,
} from './rtds-server.ts';
