/** Gamma (gamma-api.polymarket.com): zod schemas of its market and event objects. */
export * from './json-encoded.ts';
export * from './market.ts';
