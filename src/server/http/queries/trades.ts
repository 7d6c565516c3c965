/**
 * Leader trades for the API, newest first, with the market's question and how long after the fill
 * each source first saw it: what `polyhunter trades tail` prints, paged.
 *
 * Belongs in src/store/leader-trades.ts (a `page` beside `tail`); it lives here until it moves.
 */
import type { Kysely } from 'kysely';
import { type Database, type LeaderTradeView, leaderTradeView } from '../../../store/index.ts';
import { earliest, type PageOf, pageOf } from './page.ts';

export interface TradeFilter {
  limit: number;
  before?: number | undefined;
  leader?: string | undefined;
  /** Trades whose fill time is at or after this (epoch ms). */
  since?: number | undefined;
}

export interface TradeLine extends LeaderTradeView {
  question: string | null;
  /** When the first source saw it (epoch ms). */
  firstSeenAt: number | null;
  /** Each source's lag behind the fill time in ms; null when that source has not seen it. */
  lagMs: { api: number | null; rtds: number | null; chain: number | null };
}

export async function leaderTradesPage(db: Kysely<Database>, f: TradeFilter): Promise<PageOf<TradeLine>> {
  let q = db
    .selectFrom('leader_trades as t')
    .leftJoin('markets as m', 'm.condition_id', 't.condition_id')
    .selectAll('t')
    .select('m.question')
    .orderBy('t.id', 'desc')
    .limit(f.limit + 1);
  if (f.before !== undefined) q = q.where('t.id', '<', f.before);
  if (f.leader !== undefined) q = q.where('t.leader_address', '=', f.leader);
  if (f.since !== undefined) q = q.where('t.trade_at', '>=', f.since);
  const rows = await q.execute();
  return pageOf(
    rows.map((r) => {
      const view = leaderTradeView(r);
      const lag = (at: number | null) => (at === null ? null : at - r.trade_at);
      return {
        ...view,
        question: r.question,
        firstSeenAt: earliest(view.seen.api, view.seen.rtds, view.seen.chain),
        lagMs: { api: lag(view.seen.api), rtds: lag(view.seen.rtds), chain: lag(view.seen.chain) },
      };
    }),
    f.limit,
  );
}
