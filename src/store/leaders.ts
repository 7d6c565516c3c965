/**
 * The leaders table: wallets we watch, how to start following them, and the Data API cursor.
 */
import type { Kysely, Selectable } from 'kysely';
import { DatabaseError } from '../core/errors.ts';
import { fromJson } from './json.ts';
import type { Database, LeadersTable, StartupMode } from './schema.ts';

/** Where the Data API poller resumes. */
export interface LeaderCursor {
  /** Epoch milliseconds of the newest trade seen (the API's seconds times 1000); null before the first poll. */
  ts: number | null;
  /** Canonical keys of trades already seen at `ts`, since several trades share one timestamp. */
  keys: string[];
  /** Opaque cursor for a paginated (v2) endpoint, when the source provides one. */
  v2: string | null;
}

export interface Leader {
  id: number;
  /** Lower-case. */
  address: string;
  label: string | null;
  enabled: boolean;
  startupMode: StartupMode;
  warmStartSeconds: number;
  cursor: LeaderCursor;
  createdAt: number;
  updatedAt: number;
}

/** Fields left out keep their current value (or the column default on insert). */
export interface LeaderInput {
  address: string;
  label?: string | null;
  enabled?: boolean;
  startupMode?: StartupMode;
  warmStartSeconds?: number;
}

export interface LeadersRepo {
  /** Inserts the leader or updates the given fields; the cursor and created_at are kept. */
  upsert(input: LeaderInput, now: number): Promise<Leader>;
  list(options?: { enabledOnly?: boolean }): Promise<Leader[]>;
  get(address: string): Promise<Leader | undefined>;
  /** Returns whether a leader was removed. Its trades stay. */
  remove(address: string): Promise<boolean>;
  /** Returns whether the leader exists (and so was updated). */
  updateCursor(address: string, cursor: LeaderCursor, now: number): Promise<boolean>;
}

export function leadersRepo(db: Kysely<Database>): LeadersRepo {
  return {
    async upsert(input, now) {
      const fields = {
        ...(input.label !== undefined ? { label: input.label } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled ? (1 as const) : (0 as const) } : {}),
        ...(input.startupMode !== undefined ? { startup_mode: input.startupMode } : {}),
        ...(input.warmStartSeconds !== undefined ? { warm_start_seconds: input.warmStartSeconds } : {}),
      };
      const row = await db
        .insertInto('leaders')
        .values({ address: normalize(input.address), ...fields, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('address').doUpdateSet({ ...fields, updated_at: now }))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toLeader(row);
    },

    async list(options = {}) {
      let query = db.selectFrom('leaders').selectAll().orderBy('id');
      if (options.enabledOnly === true) query = query.where('enabled', '=', 1);
      const rows = await query.execute();
      return rows.map(toLeader);
    },

    async get(address) {
      const row = await db
        .selectFrom('leaders')
        .selectAll()
        .where('address', '=', normalize(address))
        .executeTakeFirst();
      return row === undefined ? undefined : toLeader(row);
    },

    async remove(address) {
      const result = await db
        .deleteFrom('leaders')
        .where('address', '=', normalize(address))
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async updateCursor(address, cursor, now) {
      const result = await db
        .updateTable('leaders')
        .set({
          api_cursor_ts: cursor.ts,
          api_cursor_keys: JSON.stringify(cursor.keys),
          api_cursor_v2: cursor.v2,
          updated_at: now,
        })
        .where('address', '=', normalize(address))
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}

function normalize(address: string): string {
  return address.trim().toLowerCase();
}

function toLeader(row: Selectable<LeadersTable>): Leader {
  return {
    id: row.id,
    address: row.address,
    label: row.label,
    enabled: row.enabled === 1,
    startupMode: row.startup_mode,
    warmStartSeconds: row.warm_start_seconds,
    cursor: { ts: row.api_cursor_ts, keys: parseKeys(row), v2: row.api_cursor_v2 },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function parseKeys(row: Selectable<LeadersTable>): string[] {
  const keys = fromJson(row.api_cursor_keys, `leaders.api_cursor_keys of ${row.address}`);
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) {
    throw new DatabaseError(`leaders.api_cursor_keys of ${row.address} is not an array of strings`, false);
  }
  return keys as string[];
}
