/** Every migration, in apply order. Append new ones; never edit or reorder applied ones. */
import { initial } from './0001_initial.ts';
import { leaderTradeParts } from './0002_leader_trade_parts.ts';
import { copyTrading } from './0003_copy_trading.ts';
import { liveTrading } from './0004_live_trading.ts';
import type { StoreMigration } from './types.ts';

export const migrations: readonly StoreMigration[] = [initial, leaderTradeParts, copyTrading, liveTrading];
export type { StoreMigration } from './types.ts';
