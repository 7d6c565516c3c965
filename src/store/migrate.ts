/**
 * Running migrations with Kysely's Migrator, one transaction per migration on both engines: a
 * migration that fails leaves no trace, and those before it in the same run stay applied.
 */
import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationResultSet, Migrator } from 'kysely/migration';
import { describeError, MigrationError } from '../core/errors.ts';
import { migrations as allMigrations, type StoreMigration } from './migrations/index.ts';
import type { Store } from './store.ts';

export interface MigrationStatus {
  name: string;
  applied: boolean;
  /** Epoch milliseconds when it was applied; null while pending. */
  appliedAt: number | null;
}

/** Applies every pending migration of this build. */
export function migrateToLatest(store: Store): Promise<{ applied: string[] }> {
  return migrate(store, allMigrations);
}

/** Applies the pending ones among `migrations`, in name order; throws a MigrationError naming the one that failed. */
export async function migrate(
  store: Store,
  migrations: readonly StoreMigration[],
): Promise<{ applied: string[] }> {
  const migrator = await createMigrator(store, migrations);
  const applied: string[] = [];
  // One step per call so each migration commits on its own (Kysely would otherwise wrap the whole
  // run in one transaction and report rolled-back migrations as successes).
  for (;;) {
    const result: MigrationResultSet = await migrator.migrateUp();
    const failed = result.results?.find((r) => r.status === 'Error');
    if (result.error !== undefined || failed !== undefined) {
      const what =
        failed === undefined ? 'migrations could not run' : `migration ${failed.migrationName} failed`;
      throw new MigrationError(`${what}: ${describeError(result.error)}`, {
        cause: result.error,
        context: { migration: failed?.migrationName, applied },
      });
    }
    const done = result.results?.filter((r) => r.status === 'Success') ?? [];
    if (done.length === 0) return { applied };
    applied.push(...done.map((r) => r.migrationName));
  }
}

/** Every known migration with when it was applied, for `db migrate` to print. */
export async function migrationStatus(
  store: Store,
  migrations: readonly StoreMigration[] = allMigrations,
): Promise<MigrationStatus[]> {
  const migrator = await createMigrator(store, migrations);
  try {
    const infos = await migrator.getMigrations();
    return infos.map((info) => ({
      name: info.name,
      applied: info.executedAt !== undefined,
      appliedAt: info.executedAt?.getTime() ?? null,
    }));
  } catch (err) {
    throw new MigrationError(`cannot read migration status: ${describeError(err)}`, { cause: err });
  }
}

/** Names of the migrations not yet applied, in apply order. */
export async function pendingMigrations(
  store: Store,
  migrations: readonly StoreMigration[] = allMigrations,
): Promise<string[]> {
  const status = await migrationStatus(store, migrations);
  return status.filter((s) => !s.applied).map((s) => s.name);
}

async function createMigrator(store: Store, migrations: readonly StoreMigration[]): Promise<Migrator> {
  const db = store.db as unknown as Kysely<unknown>;
  const provided: Record<string, Migration> = {};
  for (const m of migrations) {
    if (provided[m.name] !== undefined) throw new MigrationError(`duplicate migration name ${m.name}`);
    provided[m.name] = { up: (migrationDb) => m.up(migrationDb, store.engine) };
  }
  return new Migrator({
    db,
    provider: { getMigrations: async () => provided },
    // Kysely looks for its bookkeeping tables in every schema it can see; pinning them to the
    // current schema keeps two stores in one PostgreSQL database (or a test schema) apart.
    ...(store.engine === 'postgres' ? { migrationTableSchema: await currentSchema(db) } : {}),
  });
}

async function currentSchema(db: Kysely<unknown>): Promise<string> {
  let schema: string | null | undefined;
  try {
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    schema = rows[0]?.schema;
  } catch (err) {
    throw new MigrationError(`cannot read the current schema: ${describeError(err)}`, { cause: err });
  }
  if (schema == null) throw new MigrationError('PostgreSQL has no current schema: check search_path');
  return schema;
}
