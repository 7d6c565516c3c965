/** The Data API (data-api.polymarket.com): zod schemas of its v1 rows and v2 envelopes. */
export { DATA_API_ACTIVITY_TYPES, type DataApiActivityType } from './trade-row.ts';
export * from './v1.ts';
export * from './v2.ts';
