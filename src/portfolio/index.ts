/** The public face of portfolio: positions, PnL and resolution as pure functions of plain data. */
export { LedgerError } from './errors.ts';
export {
  applyFill,
  assertValidPosition,
  averageCost,
  emptyPosition,
  type Fill,
  type FillResult,
  type Position,
  type Side,
} from './position.ts';
export {
  type RedemptionResult,
  type ResolutionResult,
  redeem,
  resolveAtPayout,
  resolvePosition,
} from './resolution.ts';
export { type PortfolioSummary, summarize } from './summary.ts';
export { marketValue, unrealizedPnl } from './valuation.ts';
