/** The public face of the simulator's CLOB authentication and order-signature checks. */
export * from './api-key-registry.ts';
export * from './freshness.ts';
export * from './funder-wallets.ts';
export * from './parse-order-body.ts';
export * from './replies.ts';
export * from './verify-l1.ts';
export * from './verify-l2.ts';
export * from './verify-order.ts';
