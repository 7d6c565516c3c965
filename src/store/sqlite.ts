/**
 * Opening the embedded engine: better-sqlite3 with WAL and the pragmas every connection needs.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type LogConfig, SqliteAdapter, SqliteDialect } from 'kysely';
import { DatabaseError, describeError } from '../core/errors.ts';
import type { Database } from './schema.ts';
import { checkedSqliteDatabase } from './sqlite-statements.ts';

/** How long a writer waits for another process's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * SQLite runs DDL inside transactions, but Kysely's adapter says it cannot, so its Migrator would
 * run migrations bare and a failing one would leave half its tables behind. This says it can.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class TransactionalDdlSqliteDialect extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

export function openSqlite(path: string, log: LogConfig | undefined): Kysely<Database> {
  const inMemory = path === ':memory:';
  let raw: BetterSqlite3.Database | undefined;
  try {
    if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
    raw = new BetterSqlite3(path);
    // WAL lets readers run beside the one writer. With WAL, synchronous=NORMAL cannot corrupt the
    // file; a power cut may lose the last commits, which reconciliation with the venue covers.
    raw.pragma('journal_mode = WAL');
    raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    raw.pragma('foreign_keys = ON');
    raw.pragma('synchronous = NORMAL');
  } catch (err) {
    raw?.close();
    throw new DatabaseError(`cannot open SQLite database "${path}": ${describeError(err)}`, false, {
      cause: err,
    });
  }
  const dialect = new TransactionalDdlSqliteDialect({ database: checkedSqliteDatabase(raw) });
  return new Kysely<Database>({ dialect, log });
}
