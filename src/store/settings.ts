/**
 * The settings table: trading settings tuned while running, each a JSON value with its source.
 */
import type { Kysely, Selectable } from 'kysely';
import { fromJson, type JsonValue, toJson } from './json.ts';
import type { Database, SettingsTable } from './schema.ts';

export interface Setting {
  key: string;
  value: JsonValue;
  /** Where the value came from: 'default', 'toml', 'dashboard', 'cli', 'telegram'... */
  source: string;
  updatedAt: number;
}

export interface SettingSeed {
  key: string;
  value: JsonValue;
  source: string;
}

export interface SettingsRepo {
  getAll(): Promise<Setting[]>;
  get(key: string): Promise<Setting | undefined>;
  /** Inserts or replaces the value, stamping `now` (epoch ms) and the source. */
  set(key: string, value: JsonValue, source: string, now: number): Promise<void>;
  /** Inserts only the keys not present yet, atomically; returns the keys it inserted, in input order. */
  seedMissing(entries: readonly SettingSeed[], now: number): Promise<string[]>;
}

export function settingsRepo(db: Kysely<Database>): SettingsRepo {
  return {
    async getAll() {
      const rows = await db.selectFrom('settings').selectAll().orderBy('key').execute();
      return rows.map(toSetting);
    },

    async get(key) {
      const row = await db.selectFrom('settings').selectAll().where('key', '=', key).executeTakeFirst();
      return row === undefined ? undefined : toSetting(row);
    },

    async set(key, value, source, now) {
      const row = { key, value: toJson(value), source, updated_at: now };
      await db
        .insertInto('settings')
        .values(row)
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, source, updated_at: now }))
        .execute();
    },

    async seedMissing(entries, now) {
      if (entries.length === 0) return [];
      // One statement, so the seed is all-or-nothing without an explicit transaction.
      const inserted = await db
        .insertInto('settings')
        .values(
          entries.map((e) => ({ key: e.key, value: toJson(e.value), source: e.source, updated_at: now })),
        )
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key')
        .execute();
      const keys = new Set(inserted.map((r) => r.key));
      return [...new Set(entries.map((e) => e.key))].filter((k) => keys.has(k));
    },
  };
}

function toSetting(row: Selectable<SettingsTable>): Setting {
  return {
    key: row.key,
    value: fromJson(row.value, `settings.${row.key}`),
    source: row.source,
    updatedAt: row.updated_at,
  };
}
