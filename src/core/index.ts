/** The public face of core: domain primitives every other component may import. */
export * from './backoff.ts';
export * from './clock.ts';
export * from './decimal.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './ids.ts';
export * from './money.ts';
export * from './redact.ts';
export { mulDiv, ROUNDING_MODES, type RoundingMode, roundToMultiple } from './rounding.ts';
export * from './tick.ts';
