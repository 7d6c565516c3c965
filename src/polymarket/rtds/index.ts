/** RTDS (ws-live-data.polymarket.com): zod schemas of its envelope and `activity` trades. */
export * from './messages.ts';
