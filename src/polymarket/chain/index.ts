/** Polygon side of Polymarket: exchange addresses, trade-event ABIs, their decoders, and the live log subscriber. */
export * from './abi.ts';
export * from './addresses.ts';
export type { BlockStamp } from './block-times.ts';
export * from './decode.ts';
export type { LogPosition } from './log-schema.ts';
export * from './log-subscriber.ts';
export { ChainRpcError } from './rpc-socket.ts';
export * from './subscription-filters.ts';
