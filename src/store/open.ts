/**
 * `openStore(url)`: the one way in, whichever engine the URL names.
 */
import type { LogConfig } from 'kysely';
import { redactUrl } from '../core/redact.ts';
import { openPostgres } from './postgres.ts';
import { openSqlite } from './sqlite.ts';
import type { Store } from './store.ts';
import { parseStoreUrl } from './url.ts';

export interface OpenStoreOptions {
  /** Kysely query logging: log levels or a logger function. */
  log?: LogConfig;
  /** PostgreSQL pool size (default 10). */
  maxConnections?: number;
  /** How long to wait for a PostgreSQL connection before giving up (default 10 s). */
  connectTimeoutMs?: number;
  /** Told when an idle pooled PostgreSQL connection fails; the pool drops it and goes on. */
  onBackgroundError?: (error: Error) => void;
}

/**
 * Opens `postgres://...`/`postgresql://...` (pool verified with `select 1`), `sqlite:<path>` (parent
 * directory created) or `sqlite::memory:`. Throws a DatabaseError naming the redacted URL.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const target = parseStoreUrl(url);
  if (target.engine === 'sqlite') {
    const db = openSqlite(target.path, options.log);
    return { db, engine: 'sqlite', displayUrl: url.trim(), close: () => db.destroy() };
  }
  const displayUrl = redactUrl(target.url);
  const db = await openPostgres(target.url, displayUrl, options);
  return { db, engine: 'postgres', displayUrl, close: () => db.destroy() };
}
