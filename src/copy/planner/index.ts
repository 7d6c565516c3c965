/** The public face of the copy planner: pure decisions from a leader trade and a follow. */
export {
  type CatchUpBuy,
  type CatchUpSettings,
  catchUpSettingsFrom,
  checkCatchUpBuy,
  classifyTrade,
  type Timing,
} from './catch-up.ts';
export {
  BPS_ONE,
  DEFAULT_SLIPPAGE_BPS,
  FOLLOW_DIRECTIONS,
  type FollowConfig,
  type FollowDirection,
  type FollowSettings,
  followSettingsSchema,
  parseFollowSettings,
  parseSizing,
  SIZING_MODES,
  type Sizing,
  type SizingMode,
  type SizingTier,
  sizingFromColumns,
  sizingSchema,
  sizingToColumns,
} from './follow-config.ts';
export {
  buyLimitPrice,
  lowerByBps,
  lowerBySlippage,
  raiseByBps,
  raiseBySlippage,
  sellLimitPrice,
} from './limit-price.ts';
export {
  type CopyPlan,
  type PlanInput,
  type PlannedLeaderTrade,
  type PlannedMarket,
  type PlannedOrder,
  planCopy,
  type Quote,
  type Side,
} from './plan.ts';
export { type SellSize, type SellSizingInput, sizeSell } from './sells.ts';
export {
  type BuySize,
  type BuySizingConfig,
  type BuySizingContext,
  sizeBuy,
  tierMultiplier,
} from './sizing.ts';
export { isSkip, type PlanNumbers, SKIP_REASONS, type Skip, type SkipReason, skip } from './skip.ts';
