/**
 * The simulator's matching engine: pure logic behind the CLOB's REST and WS faces and the chain's
 * OrderFilled logs. Register markets, fund accounts, submit and cancel orders; read books, orders
 * and balances; translate the events.
 */
export { fillQuantum, ownPrice } from './amounts.ts';
export type { EngineAudit } from './audit.ts';
export { bookHash } from './book-summary.ts';
export { type EngineOptions, MatchingEngine, type OrderFilter } from './engine.ts';
export {
  FAK_NO_MATCH_MESSAGE,
  FOK_NOT_FILLED_MESSAGE,
  notEnoughBalanceMessage,
  type RejectCode,
  SimEngineError,
} from './errors.ts';
export type * from './events.ts';
export { FEE_UNIT, takerFee } from './fees.ts';
export { type IdGenerator, seededIds } from './ids.ts';
export {
  type CancelResult,
  type Holdings,
  NOT_CANCELABLE,
  ORDER_NOT_FOUND,
  type SubmitResult,
} from './results.ts';
export type * from './types.ts';
