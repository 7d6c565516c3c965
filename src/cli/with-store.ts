/**
 * For commands that read or change the database: load the config, open and migrate the configured
 * database, run, and close it whatever happens.
 */
import type { LoadedConfig } from '../config/index.ts';
import { migrateToLatest, openStore, type Store } from '../store/index.ts';
import {
  type GlobalOptions,
  loadFromOptions,
  type Output,
  printWarnings,
  resolvedDatabaseUrl,
} from './context.ts';

export async function withStore<T>(
  global: GlobalOptions,
  output: Output,
  run: (store: Store, loaded: LoadedConfig) => Promise<T>,
): Promise<T> {
  const loaded = loadFromOptions(global);
  printWarnings(loaded, output);
  const store = await openStore(resolvedDatabaseUrl(loaded));
  try {
    await migrateToLatest(store);
    return await run(store, loaded);
  } finally {
    await store.close();
  }
}
