/**
 * Copy decisions for the API, newest first: what each follow decided about each leader trade, the
 * reason code and the numbers behind it, with the trade it was about.
 *
 * Belongs in src/store (a copy-decisions reader beside insertDecision); it lives here until it moves.
 */
import type { Kysely } from 'kysely';
import type { CopyDecision, Database, LeaderTradeView } from '../../../store/index.ts';
import { type PageOf, pageOf, parseStoredJson } from './page.ts';

export interface DecisionFilter {
  limit: number;
  before?: number | undefined;
  decisions?: readonly CopyDecision[] | undefined;
  reasons?: readonly string[] | undefined;
  followId?: number | undefined;
  account?: string | undefined;
  leader?: string | undefined;
  /** Decided at or after this (epoch ms). */
  since?: number | undefined;
}

export interface DecisionLine {
  id: number;
  decision: CopyDecision;
  /** The planner's skip reason or the risk gate's first refusal code; null for a copy. */
  reasonCode: string | null;
  detail: string;
  /** The numbers behind the decision; money in micro-units. */
  numbers: unknown;
  catchUp: boolean;
  followId: number;
  accountId: number;
  account: string | null;
  orderId: number | null;
  decidedAt: number;
  trade: Pick<
    LeaderTradeView,
    'id' | 'leader' | 'conditionId' | 'tokenId' | 'outcome' | 'side' | 'price' | 'size' | 'usdc' | 'tradeAt'
  >;
}

export async function decisionsPage(db: Kysely<Database>, f: DecisionFilter): Promise<PageOf<DecisionLine>> {
  let q = db
    .selectFrom('copy_decisions as d')
    .innerJoin('leader_trades as t', 't.id', 'd.leader_trade_id')
    .leftJoin('accounts as a', 'a.id', 'd.account_id')
    .selectAll('d')
    .select([
      'a.name as account_name',
      't.leader_address',
      't.condition_id',
      't.token_id',
      't.outcome',
      't.side',
      't.price',
      't.size',
      't.usdc_size',
      't.trade_at',
    ])
    .orderBy('d.id', 'desc')
    .limit(f.limit + 1);
  if (f.before !== undefined) q = q.where('d.id', '<', f.before);
  if (f.decisions !== undefined) q = q.where('d.decision', 'in', [...f.decisions]);
  if (f.reasons !== undefined) q = q.where('d.reason_code', 'in', [...f.reasons]);
  if (f.followId !== undefined) q = q.where('d.follow_config_id', '=', f.followId);
  if (f.account !== undefined) q = q.where('a.name', '=', f.account);
  if (f.leader !== undefined) q = q.where('t.leader_address', '=', f.leader);
  if (f.since !== undefined) q = q.where('d.created_at', '>=', f.since);
  const rows = await q.execute();
  return pageOf(
    rows.map((r) => ({
      id: r.id,
      decision: r.decision,
      reasonCode: r.reason_code,
      detail: r.detail,
      numbers: parseStoredJson(r.numbers),
      catchUp: r.catch_up === 1,
      followId: r.follow_config_id,
      accountId: r.account_id,
      account: r.account_name,
      orderId: r.order_id,
      decidedAt: r.created_at,
      trade: {
        id: r.leader_trade_id,
        leader: r.leader_address,
        conditionId: r.condition_id,
        tokenId: r.token_id,
        outcome: r.outcome,
        side: r.side,
        price: r.price,
        size: r.size,
        usdc: r.usdc_size,
        tradeAt: r.trade_at,
      },
    })),
    f.limit,
  );
}
