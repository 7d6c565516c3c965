/** The simulator's chain: a local EVM with Polymarket's exchange events, served over JSON-RPC. */
export type { BlockSummary, ReorgResult, SettledTx } from './block-producer.ts';
export { ChainStoppedError } from './block-producer.ts';
export type { ChainMatch, OrderFill } from './match.ts';
export { MAX_MAKER_FILLS } from './match.ts';
export type { Chain, ChainOptions, SettledMatch, SubmittedMatch } from './node.ts';
export { startChain } from './node.ts';
