/**
 * Opening the shared engine: a `pg` pool that returns bigint columns as checked numbers and is
 * proven reachable before anyone uses it.
 */
import { Kysely, type LogConfig, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DatabaseError } from '../core/errors.ts';
import type { Database } from './schema.ts';

const INT8_OID = 20;

export interface PostgresOptions {
  log?: LogConfig | undefined;
  maxConnections?: number | undefined;
  connectTimeoutMs?: number | undefined;
  onBackgroundError?: ((error: Error) => void) | undefined;
}

/** Money, times and ids are bigint columns; they come back as numbers or not at all. */
export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) {
    throw new DatabaseError(`bigint value ${text} is beyond the safe integer range`, false);
  }
  return n;
}

export async function openPostgres(
  url: string,
  displayUrl: string,
  options: PostgresOptions,
): Promise<Kysely<Database>> {
  // Per-pool parsers, not pg.types.setTypeParser: the global one would change every pg user in the process.
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    types: {
      getTypeParser: (oid, format) => (oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)),
    },
  });
  // An idle client that dies (server restart) is dropped by the pool; without a listener the
  // 'error' event would crash the process.
  pool.on('error', (err) => options.onBackgroundError?.(err));

  try {
    const client = await pool.connect();
    try {
      await client.query('select 1');
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    const { reason, retryable } = describeConnectError(err);
    throw new DatabaseError(`cannot connect to PostgreSQL at ${displayUrl}: ${reason}`, retryable, {
      cause: err,
      context: { url: displayUrl },
    });
  }

  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: options.log });
}

/** Network trouble and a server still starting may pass; bad credentials or a missing database won't. */
const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  '57P03', // cannot_connect_now: the server is starting up
  '53300', // too_many_connections
]);

/** One line naming the cause: Node reports a refused multi-address connect as an AggregateError with no message. */
export function describeConnectError(err: unknown): { reason: string; retryable: boolean } {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
  let reason: string;
  if (err instanceof AggregateError && err.message === '') {
    reason = err.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).join('; ');
  } else {
    reason = err instanceof Error ? err.message : String(err);
  }
  if (reason === '') reason = code ?? 'unknown error';
  // SQLSTATE codes (5 characters) say more to a reader when shown beside the server's message.
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code) && !reason.includes(code))
    reason += ` (SQLSTATE ${code})`;
  const timedOut = /timeout/i.test(reason);
  const terminated = /terminated unexpectedly/i.test(reason);
  return { reason, retryable: (code !== undefined && RETRYABLE_CODES.has(code)) || timedOut || terminated };
}
