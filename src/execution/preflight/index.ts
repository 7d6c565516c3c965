/** Preflight: balance, allowance, wallet, API key and region checks before orders, and for `polyhunter doctor`. */

export * from './clob-account.ts';
export * from './outcome.ts';
export * from './preflight.ts';
export * from './reachability.ts';
export * from './region.ts';
export * from './ttl-cache.ts';
export * from './wallet.ts';
