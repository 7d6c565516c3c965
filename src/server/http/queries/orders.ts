/**
 * Orders for the API, newest first: state, sizes, the time of each step and each stage's duration,
 * and for a copy how long after the leader's fill (and its first sighting) it was written.
 *
 * Belongs in src/store/orders.ts (a reader beside ordersIn); it lives here until it moves.
 */
import type { Kysely } from 'kysely';
import type { Database, OrderStatus } from '../../../store/index.ts';
import { earliest, type PageOf, pageOf } from './page.ts';

export interface OrderFilter {
  limit: number;
  before?: number | undefined;
  statuses?: readonly OrderStatus[] | undefined;
  account?: string | undefined;
  followId?: number | undefined;
  /** Created at or after this (epoch ms). */
  since?: number | undefined;
}

export interface OrderLine {
  id: number;
  account: string | null;
  accountId: number;
  followId: number | null;
  origin: string;
  conditionId: string;
  tokenId: string;
  side: 'BUY' | 'SELL';
  orderType: string;
  limitPrice: number | null;
  size: number;
  filledSize: number;
  status: OrderStatus;
  isPaper: boolean;
  catchUp: boolean;
  leaderPrice: number | null;
  venueOrderId: string | null;
  orderHash: string | null;
  error: string | null;
  createdAt: number;
  submittedAt: number | null;
  ackedAt: number | null;
  firstFillAt: number | null;
  doneAt: number | null;
  expiresAt: number | null;
  /** Microseconds per stage of the hot path; null when the stage did not run. */
  stagesUs: Record<
    'prewrite' | 'risk' | 'pricing' | 'preflight' | 'execution' | 'persistence',
    number | null
  >;
  /** For a copy: the leader trade, and how long after its fill and first sighting the order was written. */
  leaderTrade: { id: number; tradeAt: number; sinceFillMs: number; sinceFirstSeenMs: number | null } | null;
}

export async function ordersPage(db: Kysely<Database>, f: OrderFilter): Promise<PageOf<OrderLine>> {
  let q = db
    .selectFrom('orders as o')
    .leftJoin('accounts as a', 'a.id', 'o.account_id')
    .leftJoin('leader_trades as t', 't.id', 'o.leader_trade_id')
    .selectAll('o')
    .select([
      'a.name as account_name',
      't.trade_at',
      't.first_seen_api_at',
      't.first_seen_rtds_at',
      't.first_seen_chain_at',
    ])
    .orderBy('o.id', 'desc')
    .limit(f.limit + 1);
  if (f.before !== undefined) q = q.where('o.id', '<', f.before);
  if (f.statuses !== undefined) q = q.where('o.status', 'in', [...f.statuses]);
  if (f.account !== undefined) q = q.where('a.name', '=', f.account);
  if (f.followId !== undefined) q = q.where('o.follow_config_id', '=', f.followId);
  if (f.since !== undefined) q = q.where('o.created_at', '>=', f.since);
  const rows = await q.execute();
  return pageOf(
    rows.map((r) => {
      const firstSeen = earliest(r.first_seen_api_at, r.first_seen_rtds_at, r.first_seen_chain_at);
      return {
        id: r.id,
        account: r.account_name,
        accountId: r.account_id,
        followId: r.follow_config_id,
        origin: r.origin,
        conditionId: r.condition_id,
        tokenId: r.token_id,
        side: r.side,
        orderType: r.order_type,
        limitPrice: r.limit_price,
        size: r.size,
        filledSize: r.filled_size,
        status: r.status,
        isPaper: r.is_paper === 1,
        catchUp: r.catch_up === 1,
        leaderPrice: r.leader_price,
        venueOrderId: r.venue_order_id,
        orderHash: r.order_hash,
        error: r.error,
        createdAt: r.created_at,
        submittedAt: r.submitted_at,
        ackedAt: r.acked_at,
        firstFillAt: r.first_fill_at,
        doneAt: r.done_at,
        expiresAt: r.expires_at,
        stagesUs: {
          prewrite: r.prewrite_us,
          risk: r.risk_us,
          pricing: r.pricing_us,
          preflight: r.preflight_us,
          execution: r.execution_us,
          persistence: r.persistence_us,
        },
        leaderTrade:
          r.leader_trade_id === null || r.trade_at === null
            ? null
            : {
                id: r.leader_trade_id,
                tradeAt: r.trade_at,
                sinceFillMs: r.created_at - r.trade_at,
                sinceFirstSeenMs: firstSeen === null ? null : r.created_at - firstSeen,
              },
      };
    }),
    f.limit,
  );
}
