/**
 * Runtime settings between the config and the settings table: seeding the keys the database lacks,
 * laying stored values over the config, and changing one value with an audit record. The CLI, the
 * dashboard and Telegram all change settings through here.
 */
import {
  applyDatabaseSettings,
  type LoadedConfig,
  parseRuntimeSetting,
  runtimeSeedEntries,
} from '../config/index.ts';
import { getAt } from '../config/tree.ts';
import { auditRepo } from './audit.ts';
import type { JsonValue } from './json.ts';
import { settingsRepo } from './settings.ts';
import type { Store } from './store.ts';

/** Seeds missing runtime settings from the file or defaults, then returns the effective config. */
export async function loadRuntimeSettings(
  store: Store,
  loaded: LoadedConfig,
  now: number,
): Promise<LoadedConfig> {
  const seeds = runtimeSeedEntries(loaded).map((s) => ({ ...s, value: s.value as JsonValue }));
  const seeded = await settingsRepo(store.db).seedMissing(seeds, now);
  if (seeded.length > 0) {
    await auditRepo(store.db).append(
      { actor: 'system', action: 'settings.seed', details: { keys: seeded } },
      now,
    );
  }
  return readRuntimeSettings(store, loaded);
}

/** The effective config with the database's values, changing nothing. */
export async function readRuntimeSettings(store: Store, loaded: LoadedConfig): Promise<LoadedConfig> {
  return applyDatabaseSettings(loaded, await settingsRepo(store.db).getAll());
}

export interface SettingChange {
  key: string;
  previous: unknown;
  value: unknown;
}

/** Validates and stores a new value for a runtime setting, audited in the same transaction. */
export async function changeRuntimeSetting(
  store: Store,
  loaded: LoadedConfig,
  key: string,
  input: unknown,
  actor: string,
  now: number,
): Promise<SettingChange> {
  const value = parseRuntimeSetting(key, input) as JsonValue;
  return store.db.transaction().execute(async (trx) => {
    const stored = await settingsRepo(trx).get(key);
    const previous = (stored ? stored.value : getAt(loaded.config, key.split('.'))) as JsonValue;
    await settingsRepo(trx).set(key, value, actor, now);
    await auditRepo(trx).append(
      { actor, action: 'settings.set', subject: key, details: { from: previous, to: value } },
      now,
    );
    return { key, previous, value };
  });
}
