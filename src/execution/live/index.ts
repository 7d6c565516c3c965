/** The live broker: orders on the CLOB through the official client, with its safety rails. */

export * from './api-creds.ts';
export * from './heartbeat.ts';
export * from './live-broker.ts';
export * from './market-params.ts';
export * from './order-signer.ts';
export * from './shutdown.ts';
export * from './signer-limits.ts';
export * from './signer-lock.ts';
export * from './submit-outcome.ts';
export * from './token-bucket.ts';
export * from './tracker.ts';
export * from './transport.ts';
