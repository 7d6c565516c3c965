/** Polygon side of Polymarket: exchange addresses, trade-event ABIs and their decoders. */
export * from './abi.ts';
export * from './addresses.ts';
export * from './decode.ts';
export type { LogPosition } from './log-schema.ts';
