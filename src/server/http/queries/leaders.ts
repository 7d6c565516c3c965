/**
 * Leaders with what the dashboard shows beside each: its follows, how many trades were seen and
 * when the last was, what the follows decided (copies, skips, refusals) and the tokens it holds.
 *
 * Belongs in src/copy (a leaders service beside follows.ts); it lives here until it moves.
 */
import type { Kysely } from 'kysely';
import { type FollowView, listFollows } from '../../../copy/follows.ts';
import { type Database, type Leader, leadersRepo, type Store } from '../../../store/index.ts';

export interface LeaderSummary {
  address: string;
  label: string | null;
  /** Watched by `start` (trades are detected). */
  enabled: boolean;
  startupMode: Leader['startupMode'];
  warmStartSeconds: number;
  /** The Data API cursor: the newest trade time the poller has seen (epoch ms). */
  cursorAt: number | null;
  createdAt: number;
  follows: { active: number; paused: number; disabled: number; ids: number[] };
  trades: { count: number; lastAt: number | null };
  decisions: { copy: number; skip: number; refused: number };
  /** Tokens the leader holds shares of, as ingest tracks them. */
  openPositions: number;
}

export interface LeaderPosition {
  tokenId: string;
  conditionId: string | null;
  question: string | null;
  outcome: string | null;
  /** Micro-shares. */
  shares: number;
  updatedAt: number;
}

export async function leaderSummaries(store: Store, only?: string): Promise<LeaderSummary[]> {
  const db = store.db;
  const leaders = (await leadersRepo(db).list()).filter((l) => only === undefined || l.address === only);
  if (leaders.length === 0) return [];
  const addresses = leaders.map((l) => l.address);
  const follows = await listFollows(store, only === undefined ? {} : { leader: only });
  const trades = await db
    .selectFrom('leader_trades')
    .select((eb) => [
      'leader_address',
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.max('trade_at').as('last_at'),
    ])
    .where('leader_address', 'in', addresses)
    .groupBy('leader_address')
    .execute();
  const decisions = await db
    .selectFrom('copy_decisions as d')
    .innerJoin('leader_trades as t', 't.id', 'd.leader_trade_id')
    .select((eb) => ['t.leader_address', 'd.decision', eb.fn.countAll<number | string>().as('n')])
    .where('t.leader_address', 'in', addresses)
    .groupBy(['t.leader_address', 'd.decision'])
    .execute();
  const positions = await db
    .selectFrom('leader_positions')
    .select((eb) => ['leader_address', eb.fn.countAll<number | string>().as('n')])
    .where('leader_address', 'in', addresses)
    .where('shares', '>', 0)
    .groupBy('leader_address')
    .execute();

  return leaders.map((l) => {
    const mine = follows.filter((f) => f.leaderAddress === l.address);
    const t = trades.find((r) => r.leader_address === l.address);
    const count = (d: string) =>
      Number(decisions.find((r) => r.leader_address === l.address && r.decision === d)?.n ?? 0);
    return {
      address: l.address,
      label: l.label,
      enabled: l.enabled,
      startupMode: l.startupMode,
      warmStartSeconds: l.warmStartSeconds,
      cursorAt: l.cursor.ts,
      createdAt: l.createdAt,
      follows: followCounts(mine),
      trades: { count: Number(t?.n ?? 0), lastAt: t?.last_at == null ? null : Number(t.last_at) },
      decisions: { copy: count('copy'), skip: count('skip'), refused: count('refused') },
      openPositions: Number(positions.find((r) => r.leader_address === l.address)?.n ?? 0),
    };
  });
}

function followCounts(follows: readonly FollowView[]): LeaderSummary['follows'] {
  return {
    active: follows.filter((f) => f.state === 'active').length,
    paused: follows.filter((f) => f.state === 'paused').length,
    disabled: follows.filter((f) => f.state === 'disabled').length,
    ids: follows.map((f) => f.id),
  };
}

/** The tokens a leader holds (shares above zero), largest first. */
export async function leaderPositions(db: Kysely<Database>, leader: string): Promise<LeaderPosition[]> {
  const rows = await db
    .selectFrom('leader_positions as p')
    .leftJoin('tokens as tk', 'tk.token_id', 'p.token_id')
    .leftJoin('markets as m', 'm.condition_id', 'tk.condition_id')
    .select(['p.token_id', 'p.shares', 'p.updated_at', 'tk.condition_id', 'tk.outcome', 'm.question'])
    .where('p.leader_address', '=', leader)
    .where('p.shares', '>', 0)
    .orderBy('p.shares', 'desc')
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({
    tokenId: r.token_id,
    conditionId: r.condition_id,
    question: r.question,
    outcome: r.outcome,
    shares: r.shares,
    updatedAt: r.updated_at,
  }));
}
