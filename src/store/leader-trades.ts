/**
 * Reading leader trades for the faces (CLI, dashboard): newest first, or everything after an id
 * for a live tail, with when each source first saw the trade.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, LeaderTradesTable } from './schema.ts';

export interface LeaderTradeView {
  id: number;
  leader: string;
  conditionId: string;
  tokenId: string;
  outcome: string | null;
  side: 'BUY' | 'SELL';
  price: number;
  size: number;
  usdc: number;
  txHash: string | null;
  tradeAt: number;
  firstSource: 'api' | 'rtds' | 'chain';
  /** When each source first saw it (epoch ms), null if it has not. */
  seen: { api: number | null; rtds: number | null; chain: number | null };
  isBackfill: boolean;
  retracted: boolean;
}

export interface LeaderTradesRepo {
  /** The newest `limit` trades, oldest first; or, with `afterId`, the first `limit` after it. */
  tail(limit: number, afterId?: number): Promise<LeaderTradeView[]>;
}

export function leaderTradesRepo(db: Kysely<Database>): LeaderTradesRepo {
  return {
    async tail(limit, afterId) {
      if (afterId !== undefined) {
        const rows = await db
          .selectFrom('leader_trades')
          .selectAll()
          .where('id', '>', afterId)
          .orderBy('id')
          .limit(limit)
          .execute();
        return rows.map(leaderTradeView);
      }
      const rows = await db
        .selectFrom('leader_trades')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.reverse().map(leaderTradeView);
    },
  };
}

/** A stored leader trade as every face shows it. */
export function leaderTradeView(r: Selectable<LeaderTradesTable>): LeaderTradeView {
  return {
    id: r.id,
    leader: r.leader_address,
    conditionId: r.condition_id,
    tokenId: r.token_id,
    outcome: r.outcome,
    side: r.side,
    price: r.price,
    size: r.size,
    usdc: r.usdc_size,
    txHash: r.tx_hash,
    tradeAt: r.trade_at,
    firstSource: r.first_source,
    seen: { api: r.first_seen_api_at, rtds: r.first_seen_rtds_at, chain: r.first_seen_chain_at },
    isBackfill: r.is_backfill === 1,
    retracted: r.retracted_at !== null,
  };
}
