/**
 * The audit log: an append-only record of who changed what.
 */
import type { Kysely, Selectable } from 'kysely';
import { fromJson, type JsonValue, toJson } from './json.ts';
import type { AuditLogTable, Database } from './schema.ts';

export interface AuditEntry {
  id: number;
  /** Epoch milliseconds. */
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  details: JsonValue;
}

export interface NewAuditEntry {
  actor: string;
  action: string;
  subject?: string | null;
  details?: JsonValue;
}

export interface AuditRepo {
  /** Appends an entry stamped `at` (epoch ms); returns its id. */
  append(entry: NewAuditEntry, at: number): Promise<number>;
  /**
   * Entries oldest first. Without `afterId`: the last `limit` entries. With it: the first `limit`
   * entries after that id, so a follower can page forward without gaps.
   */
  tail(limit: number, afterId?: number): Promise<AuditEntry[]>;
}

export function auditRepo(db: Kysely<Database>): AuditRepo {
  return {
    async append(entry, at) {
      const row = await db
        .insertInto('audit_log')
        .values({
          at,
          actor: entry.actor,
          action: entry.action,
          subject: entry.subject ?? null,
          details: toJson(entry.details ?? {}),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async tail(limit, afterId) {
      if (afterId !== undefined) {
        const rows = await db
          .selectFrom('audit_log')
          .selectAll()
          .where('id', '>', afterId)
          .orderBy('id', 'asc')
          .limit(limit)
          .execute();
        return rows.map(toEntry);
      }
      const rows = await db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit).execute();
      return rows.reverse().map(toEntry);
    },
  };
}

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    details: fromJson(row.details, `audit_log #${row.id}`),
  };
}
