import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MigrationError } from '../../src/core/errors.ts';
import {
  migrate,
  migrateToLatest,
  migrationStatus,
  migrations,
  pendingMigrations,
  type StoreMigration,
} from '../../src/store/index.ts';
import { forEachEngine, listIndexes, listTables, openTestStore, type TestStore } from '../support/engines.ts';

const TABLES = [
  'accounts',
  'audit_log',
  'component_health',
  'copy_decisions',
  'fills',
  'follow_configs',
  'guardrail_events',
  'leader_positions',
  'leader_trade_parts',
  'leader_trades',
  'leaders',
  'markets',
  'orders',
  'positions',
  'settings',
  'tokens',
  'trade_raw',
];

const INDEXES = [
  'audit_log_action_at_idx',
  'audit_log_at_idx',
  'fills_status_created_at_idx',
  'follow_configs_enabled_idx',
  'guardrail_events_created_at_idx',
  'guardrail_events_reason_created_at_idx',
  'leader_trades_leader_trade_at_idx',
  'leaders_enabled_idx',
  'markets_active_end_at_idx',
  'markets_closed_end_at_idx',
  'orders_status_created_at_idx',
  'orders_status_updated_at_idx',
];

/** Creates a table and writes a row, then fails: none of it may survive. */
const failing: StoreMigration = {
  name: '9999_fails_halfway',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('half_written')
      .addColumn('id', 'integer', (col) => col.primaryKey())
      .execute();
    await sql`insert into half_written (id) values (1)`.execute(db);
    await sql`insert into settings (key, value, updated_at, source) values ('leak', '1', 0, 'test')`.execute(
      db,
    );
    await sql`select * from no_such_table`.execute(db);
  },
};

forEachEngine('migrations', (engine) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(engine, false);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('applies every migration to an empty database, then nothing on a second run', async () => {
    const all = migrations.map((m) => m.name);
    expect(all).toEqual([
      '0001_initial',
      '0002_leader_trade_parts',
      '0003_copy_trading',
      '0004_live_trading',
    ]);
    expect(await pendingMigrations(t.store)).toEqual(all);

    expect(await migrateToLatest(t.store)).toEqual({ applied: all });
    expect(await migrateToLatest(t.store)).toEqual({ applied: [] });

    expect(await pendingMigrations(t.store)).toEqual([]);
    const status = await migrationStatus(t.store);
    expect(status.map((s) => [s.name, s.applied])).toEqual(all.map((name) => [name, true]));
    expect(status[0]?.appliedAt).toBeTypeOf('number');
  });

  it('creates every table and the named indexes', async () => {
    await migrateToLatest(t.store);
    const tables = await listTables(t.store);
    expect(tables.filter((name) => !name.startsWith('kysely_'))).toEqual(TABLES);
    const indexes = await listIndexes(t.store);
    for (const index of INDEXES) expect(indexes).toContain(index);
  });

  it('leaves nothing of a failing migration behind and names it', async () => {
    const error = await migrate(t.store, [...migrations, failing]).then(
      () => undefined,
      (err: unknown) => err,
    );

    expect(error).toBeInstanceOf(MigrationError);
    const migrationError = error as MigrationError;
    expect(migrationError.message).toMatch(/^migration 9999_fails_halfway failed: .*no_such_table/);
    expect(migrationError.context).toMatchObject({
      migration: '9999_fails_halfway',
      applied: migrations.map((m) => m.name),
    });

    // The migration before it committed on its own; the failing one left no table, row or record.
    const tables = await listTables(t.store);
    expect(tables).toContain('settings');
    expect(tables).not.toContain('half_written');
    expect(await t.store.db.selectFrom('settings').selectAll().execute()).toEqual([]);
    expect(await pendingMigrations(t.store, [...migrations, failing])).toEqual(['9999_fails_halfway']);
  });

  it('rolls back a failing first migration entirely', async () => {
    const first: StoreMigration = {
      name: '0001_initial',
      async up(db, engineName) {
        await migrations[0]!.up(db, engineName);
        throw new Error('boom after the initial schema');
      },
    };
    await expect(migrate(t.store, [first])).rejects.toThrow(/migration 0001_initial failed: boom/);
    expect((await listTables(t.store)).filter((name) => !name.startsWith('kysely_'))).toEqual([]);
    expect(await pendingMigrations(t.store, [first])).toEqual(['0001_initial']);
  });

  it('refuses two migrations with one name', async () => {
    await expect(migrate(t.store, [...migrations, ...migrations])).rejects.toThrow(MigrationError);
  });
});
