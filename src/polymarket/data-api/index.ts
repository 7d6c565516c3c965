/** The Data API (data-api.polymarket.com): zod schemas of its v1 rows and v2 envelopes, and the activity client. */
export {
  type ActivityRow,
  type BadRowLogger,
  fromV1,
  fromV2,
  parseRows,
  reportBadMessage,
  sampleOf,
} from './activity-row.ts';
export * from './client.ts';
export * from './rate-limit.ts';
export * from './retry.ts';
export { DATA_API_ACTIVITY_TYPES, type DataApiActivityType } from './trade-row.ts';
export * from './v1.ts';
export * from './v2.ts';
export { dataApiValueSchema, fetchPortfolioValue } from './value.ts';
