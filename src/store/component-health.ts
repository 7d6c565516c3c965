/**
 * The component_health table: each running component's last reported health. The process that
 * runs the component writes it every few seconds; `polyhunter status` (another process) reads it,
 * and a row that stopped being refreshed says its process is gone.
 */
import type { Kysely } from 'kysely';
import { fromJson, type JsonValue, toJson } from './json.ts';
import type { Database } from './schema.ts';

export interface ComponentHealth {
  component: string;
  healthy: boolean;
  detail: JsonValue;
  pid: number | null;
  host: string | null;
  updatedAt: number;
}

export interface ComponentHealthRepo {
  /** Replaces the rows of the given components in one statement. */
  report(rows: readonly Omit<ComponentHealth, 'updatedAt'>[], now: number): Promise<void>;
  list(): Promise<ComponentHealth[]>;
}

export function componentHealthRepo(db: Kysely<Database>): ComponentHealthRepo {
  return {
    async report(rows, now) {
      if (rows.length === 0) return;
      await db
        .insertInto('component_health')
        .values(
          rows.map((r) => ({
            component: r.component,
            healthy: r.healthy ? 1 : 0,
            detail: toJson(r.detail),
            pid: r.pid,
            host: r.host,
            updated_at: now,
          })),
        )
        .onConflict((oc) =>
          oc.column('component').doUpdateSet((eb) => ({
            healthy: eb.ref('excluded.healthy'),
            detail: eb.ref('excluded.detail'),
            pid: eb.ref('excluded.pid'),
            host: eb.ref('excluded.host'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    },
    async list() {
      const rows = await db.selectFrom('component_health').selectAll().orderBy('component').execute();
      return rows.map((r) => ({
        component: r.component,
        healthy: r.healthy === 1,
        detail: fromJson(r.detail, `component_health.detail of ${r.component}`),
        pid: r.pid,
        host: r.host,
        updatedAt: r.updated_at,
      }));
    },
  };
}
