/**
 * Runs one suite on every engine: SQLite always (a real file under the OS temp directory), and
 * PostgreSQL when POLYHUNTER_TEST_PG_URL is set. Each test database is private: a temp directory
 * on SQLite, a fresh schema on PostgreSQL (selected with search_path), removed afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { describe } from 'vitest';
import { type Engine, migrateToLatest, openStore, type Store } from '../../src/store/index.ts';

export const pgUrl = process.env.POLYHUNTER_TEST_PG_URL || undefined;

export interface TestEngine {
  name: Engine;
  available: boolean;
}

export const engines: readonly TestEngine[] = [
  { name: 'sqlite', available: true },
  { name: 'postgres', available: pgUrl !== undefined },
];

/** Declares `body` once per engine; PostgreSQL shows as skipped when no server is configured. */
export function forEachEngine(title: string, body: (engine: Engine) => void): void {
  for (const engine of engines) {
    describe.skipIf(!engine.available)(`${title} [${engine.name}]`, () => body(engine.name));
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database on `engine`. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'polyhunter-store-'));
    // A nested path also proves openStore creates the parent directory.
    return {
      url: `sqlite:${join(dir, 'data', 'test.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (pgUrl === undefined) throw new Error('POLYHUNTER_TEST_PG_URL is not set');
  const schema = `ph_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`create schema "${schema}"`));
  const options = encodeURIComponent(`-c search_path=${schema}`);
  return {
    url: `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}options=${options}`,
    drop: async () => {
      await withAdmin((client) => client.query(`drop schema if exists "${schema}" cascade`));
    },
  };
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestStore {
  store: Store;
  /** Closes the store and removes its database. */
  dispose(): Promise<void>;
}

/** A fresh database on `engine`, opened, and migrated unless `migrated` is false. */
export async function openTestStore(engine: Engine, migrated = true): Promise<TestStore> {
  const database = await createTestDatabase(engine);
  const store = await openStore(database.url);
  try {
    if (migrated) await migrateToLatest(store);
  } catch (err) {
    await store.close();
    await database.drop();
    throw err;
  }
  return {
    store,
    dispose: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/** Table names in the store's own schema, sorted. */
export async function listTables(store: Store): Promise<string[]> {
  const { rows } =
    store.engine === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master
          where type = 'table' and name not like 'sqlite_%' order by name`.execute(store.db)
      : await sql<{ name: string }>`select tablename as name from pg_tables
          where schemaname = current_schema() order by tablename`.execute(store.db);
  return rows.map((r) => r.name);
}

/** Explicitly created index names in the store's own schema, sorted. */
export async function listIndexes(store: Store): Promise<string[]> {
  const { rows } =
    store.engine === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master
          where type = 'index' and sql is not null order by name`.execute(store.db)
      : await sql<{ name: string }>`select indexname as name from pg_indexes
          where schemaname = current_schema() order by indexname`.execute(store.db);
  return rows.map((r) => r.name);
}
