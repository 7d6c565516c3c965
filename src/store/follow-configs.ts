/**
 * The follow_configs table: one row per (account, leader) copy relationship. The sizing is JSON
 * whose shape belongs to the planner (src/copy/planner/follow-config.ts validates it); this module
 * stores and returns it as given.
 */
import type { Kysely, Selectable } from 'kysely';
import { fromJson, type JsonValue, toJson } from './json.ts';
import type { Database, FollowConfigsTable, FollowDirection } from './schema.ts';

export interface FollowConfigRow {
  id: number;
  accountId: number;
  leaderAddress: string;
  enabled: boolean;
  paused: boolean;
  direction: FollowDirection;
  sizingMode: string;
  sizingParams: JsonValue;
  minTradeUsdc: number | null;
  maxTradeUsdc: number | null;
  fullClose: boolean;
  slippageBps: number;
  createdAt: number;
  updatedAt: number;
}

export type FollowConfigInput = Omit<FollowConfigRow, 'id' | 'createdAt' | 'updatedAt'>;

export interface FollowConfigsRepo {
  /** Throws (unique constraint) when the account already follows the leader. */
  insert(input: FollowConfigInput, now: number): Promise<FollowConfigRow>;
  update(id: number, patch: Partial<FollowConfigInput>, now: number): Promise<FollowConfigRow | undefined>;
  remove(id: number): Promise<boolean>;
  get(id: number): Promise<FollowConfigRow | undefined>;
  list(options?: { leader?: string; activeOnly?: boolean }): Promise<FollowConfigRow[]>;
}

function toRow(r: Selectable<FollowConfigsTable>): FollowConfigRow {
  return {
    id: r.id,
    accountId: r.account_id,
    leaderAddress: r.leader_address,
    enabled: r.enabled === 1,
    paused: r.paused === 1,
    direction: r.direction,
    sizingMode: r.sizing_mode,
    sizingParams: fromJson(r.sizing_params, `follow_configs.sizing_params of ${r.id}`),
    minTradeUsdc: r.min_trade_usdc,
    maxTradeUsdc: r.max_trade_usdc,
    fullClose: r.full_close === 1,
    slippageBps: r.slippage_bps,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const flag = (b: boolean) => (b ? (1 as const) : (0 as const));

function columnsOf(p: Partial<FollowConfigInput>) {
  return {
    ...(p.accountId !== undefined ? { account_id: p.accountId } : {}),
    ...(p.leaderAddress !== undefined ? { leader_address: p.leaderAddress.toLowerCase() } : {}),
    ...(p.enabled !== undefined ? { enabled: flag(p.enabled) } : {}),
    ...(p.paused !== undefined ? { paused: flag(p.paused) } : {}),
    ...(p.direction !== undefined ? { direction: p.direction } : {}),
    ...(p.sizingMode !== undefined ? { sizing_mode: p.sizingMode } : {}),
    ...(p.sizingParams !== undefined ? { sizing_params: toJson(p.sizingParams) } : {}),
    ...(p.minTradeUsdc !== undefined ? { min_trade_usdc: p.minTradeUsdc } : {}),
    ...(p.maxTradeUsdc !== undefined ? { max_trade_usdc: p.maxTradeUsdc } : {}),
    ...(p.fullClose !== undefined ? { full_close: flag(p.fullClose) } : {}),
    ...(p.slippageBps !== undefined ? { slippage_bps: p.slippageBps } : {}),
  };
}

export function followConfigsRepo(db: Kysely<Database>): FollowConfigsRepo {
  const get = async (id: number) => {
    const r = await db.selectFrom('follow_configs').selectAll().where('id', '=', id).executeTakeFirst();
    return r === undefined ? undefined : toRow(r);
  };
  return {
    async insert(input, now) {
      const { id } = await db
        .insertInto('follow_configs')
        .values({
          account_id: input.accountId,
          leader_address: input.leaderAddress.toLowerCase(),
          sizing_mode: input.sizingMode,
          ...columnsOf(input),
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return (await get(id))!;
    },
    async update(id, patch, now) {
      const r = await db
        .updateTable('follow_configs')
        .set({ ...columnsOf(patch), updated_at: now })
        .where('id', '=', id)
        .executeTakeFirst();
      return r.numUpdatedRows === 0n ? undefined : get(id);
    },
    async remove(id) {
      const r = await db.deleteFrom('follow_configs').where('id', '=', id).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
    get,
    async list(options = {}) {
      let q = db.selectFrom('follow_configs').selectAll().orderBy('id');
      if (options.leader !== undefined) q = q.where('leader_address', '=', options.leader.toLowerCase());
      if (options.activeOnly) q = q.where('enabled', '=', 1).where('paused', '=', 0);
      return (await q.execute()).map(toRow);
    },
  };
}
