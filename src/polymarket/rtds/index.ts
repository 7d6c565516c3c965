/** RTDS (ws-live-data.polymarket.com): zod schemas of its envelope and `activity` trades, and the client. */
export * from './client.ts';
export * from './frames.ts';
export * from './messages.ts';
