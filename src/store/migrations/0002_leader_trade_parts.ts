/**
 * Leader trades collect their sightings as parts, one per source row (see src/copy/ingest): the
 * chain reports a taker order once per transaction while the Data API and RTDS report it once per
 * matched maker order, so a trade's size is the largest total any one source has reported.
 *
 * Also on leader_trades: how much of the trade has been applied to the leader's position (so a
 * trade that grows as more parts arrive applies only the difference), the leader's shares before
 * the trade (the pre-sell shares proportional sells need), and when a reorg took it back.
 */
import { sql } from 'kysely';
import { flag, int64, oneOf, strict, withId } from './columns.ts';
import type { StoreMigration } from './types.ts';

export const leaderTradeParts: StoreMigration = {
  name: '0002_leader_trade_parts',
  async up(db, engine) {
    const i64 = int64(engine);
    await db.schema
      .createTable('leader_trade_parts')
      .$call(withId(engine))
      .addColumn('leader_trade_id', i64, (col) =>
        col.notNull().references('leader_trades.id').onDelete('cascade'),
      )
      .addColumn('source', 'text', (col) => col.notNull())
      .addColumn('part', 'text', (col) => col.notNull())
      .addColumn('price', i64, (col) => col.notNull())
      .addColumn('size', i64, (col) => col.notNull())
      .addColumn('usdc_size', i64, (col) => col.notNull())
      .addColumn('fee', i64)
      .addColumn('block_number', i64)
      .addColumn('log_index', 'integer')
      .addColumn('seen_at', i64, (col) => col.notNull())
      .addColumn('removed', 'integer', flag('removed', 0))
      .addUniqueConstraint('leader_trade_parts_trade_source_part_key', ['leader_trade_id', 'source', 'part'])
      .addCheckConstraint('leader_trade_parts_source_check', oneOf('source', ['api', 'rtds', 'chain']))
      .addCheckConstraint('leader_trade_parts_size_check', sql`size > 0`)
      .addCheckConstraint('leader_trade_parts_usdc_size_check', sql`usdc_size >= 0`)
      .$call(strict(engine))
      .execute();
    await db.schema
      .alterTable('leader_trades')
      .addColumn('applied_size', i64, (col) => col.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('leader_trades').addColumn('pre_trade_shares', i64).execute();
    await db.schema.alterTable('leader_trades').addColumn('retracted_at', i64).execute();
  },
};
