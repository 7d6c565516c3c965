/**
 * A better-sqlite3 database as Kysely's `SqliteDatabase`, with two changes:
 *
 * - Integers are read as bigint and handed back as numbers only when they are safe integers, so a
 *   value beyond 2^53 throws here exactly as it does on PostgreSQL instead of being silently rounded.
 * - Prepared statements are kept in a small LRU cache: Kysely prepares every query afresh, and
 *   preparing costs about ten times more than running a small statement.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { DatabaseError } from '../core/errors.ts';

const STATEMENT_CACHE_SIZE = 256;

export function checkedSqliteDatabase(raw: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      raw.close();
    },
    prepare: (sql) => {
      const cached = cache.get(sql);
      if (cached !== undefined) {
        // Re-insert to mark as most recently used.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = checkedStatement(raw.prepare(sql));
      cache.set(sql, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return statement;
    },
  };
}

function checkedStatement(statement: BetterSqlite3.Statement): SqliteStatement {
  if (!statement.reader) {
    return {
      reader: false,
      all: (parameters) => statement.all(parameters),
      run: (parameters) => statement.run(parameters),
      iterate: (parameters) => statement.iterate(parameters),
    };
  }
  statement.safeIntegers(true);
  return {
    reader: true,
    all: (parameters) => statement.all(parameters).map(toSafeNumbers),
    run: (parameters) => statement.run(parameters),
    iterate: function* (parameters) {
      for (const row of statement.iterate(parameters)) yield toSafeNumbers(row);
    },
  };
}

function toSafeNumbers(row: unknown): unknown {
  const record = row as Record<string, unknown>;
  for (const key in record) {
    const value = record[key];
    if (typeof value === 'bigint') {
      const n = Number(value);
      if (!Number.isSafeInteger(n)) {
        throw new DatabaseError(`column "${key}" holds ${value}, beyond the safe integer range`, false);
      }
      record[key] = n;
    }
  }
  return record;
}
