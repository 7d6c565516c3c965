/** `polyhunter db migrate`: bring the database schema up to date, or show where it stands. */
import { migrateToLatest, migrationStatus, openStore } from '../../store/index.ts';
import {
  type GlobalOptions,
  loadFromOptions,
  type Output,
  printWarnings,
  resolvedDatabaseUrl,
} from '../context.ts';

export async function runDbMigrate(
  global: GlobalOptions,
  options: { status?: boolean },
  output: Output,
): Promise<void> {
  const loaded = loadFromOptions(global);
  printWarnings(loaded, output);
  const store = await openStore(resolvedDatabaseUrl(loaded));
  try {
    output.out(`database: ${store.displayUrl} (${store.engine})`);
    if (options.status) {
      for (const m of await migrationStatus(store)) {
        output.out(`  ${m.applied ? 'applied' : 'pending'}  ${m.name}`);
      }
      return;
    }
    const { applied } = await migrateToLatest(store);
    if (applied.length === 0) output.out('schema is up to date; nothing to apply');
    for (const name of applied) output.out(`  applied  ${name}`);
  } finally {
    await store.close();
  }
}
