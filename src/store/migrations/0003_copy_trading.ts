/**
 * Copy trading in paper mode:
 * - `copy_decisions`: what each follow configuration decided about each leader trade (copied,
 *   skipped or refused, with the reason and its numbers). Unique per (follow config, leader trade):
 *   the decision is made once, so a restart never re-decides a trade (and a skip stays a skip).
 * - `component_health`: each running component's last reported health, so `polyhunter status` (a
 *   separate process) can show it, and stale rows tell that the process is gone.
 * - follow_configs: paused (kept but not copying), full close on the leader's exit, and how far
 *   past the leader's price a copy's limit may go.
 * - orders: the leader's price the copy was priced from, whether it was a catch-up, when a resting
 *   paper order expires.
 * - fills: the realized PnL each fill booked, so today's PnL is one sum.
 * - accounts: cash (paper accounts keep their own balance; live accounts read theirs).
 * - positions: when the market resolved (PnL realized) and when the position was redeemed.
 * - markets: the taker fee rate and whether the market accepts orders.
 */
import { sql } from 'kysely';
import { flag, int64, oneOf, strict, withId } from './columns.ts';
import type { StoreMigration } from './types.ts';

export const copyTrading: StoreMigration = {
  name: '0003_copy_trading',
  async up(db, engine) {
    const i64 = int64(engine);
    await db.schema
      .createTable('copy_decisions')
      .$call(withId(engine))
      .addColumn('follow_config_id', i64, (col) => col.notNull().references('follow_configs.id'))
      .addColumn('leader_trade_id', i64, (col) => col.notNull().references('leader_trades.id'))
      .addColumn('account_id', i64, (col) => col.notNull())
      .addColumn('decision', 'text', (col) => col.notNull())
      .addColumn('reason_code', 'text')
      .addColumn('detail', 'text', (col) => col.notNull().defaultTo(''))
      .addColumn('numbers', 'text', (col) => col.notNull().defaultTo('{}'))
      .addColumn('catch_up', 'integer', flag('catch_up', 0))
      .addColumn('order_id', i64, (col) => col.references('orders.id'))
      .addColumn('created_at', i64, (col) => col.notNull())
      .addUniqueConstraint('copy_decisions_follow_trade_key', ['follow_config_id', 'leader_trade_id'])
      .addCheckConstraint('copy_decisions_decision_check', oneOf('decision', ['copy', 'skip', 'refused']))
      .$call(strict(engine))
      .execute();
    await db.schema
      .createIndex('copy_decisions_created_at_idx')
      .on('copy_decisions')
      .column('created_at')
      .execute();

    // What the risk gate's exposure reads for every order: open orders and fills per account.
    await db.schema
      .createIndex('orders_account_status_idx')
      .on('orders')
      .columns(['account_id', 'status'])
      .execute();
    await db.schema
      .createIndex('fills_account_token_idx')
      .on('fills')
      .columns(['account_id', 'token_id'])
      .execute();

    await db.schema
      .createTable('component_health')
      .addColumn('component', 'text', (col) => col.primaryKey())
      .addColumn('healthy', 'integer', flag('healthy', 0))
      .addColumn('detail', 'text', (col) => col.notNull().defaultTo('{}'))
      .addColumn('pid', 'integer')
      .addColumn('host', 'text')
      .addColumn('updated_at', i64, (col) => col.notNull())
      .$call(strict(engine))
      .execute();

    await db.schema.alterTable('follow_configs').addColumn('paused', 'integer', flag('paused', 0)).execute();
    await db.schema
      .alterTable('follow_configs')
      .addColumn('full_close', 'integer', flag('full_close', 0))
      .execute();

    await db.schema
      .alterTable('follow_configs')
      .addColumn('slippage_bps', 'integer', (col) => col.notNull().defaultTo(200))
      .execute();

    await db.schema.alterTable('orders').addColumn('leader_price', i64).execute();
    await db.schema.alterTable('orders').addColumn('catch_up', 'integer', flag('catch_up', 0)).execute();
    await db.schema.alterTable('orders').addColumn('expires_at', i64).execute();

    await db.schema
      .alterTable('fills')
      .addColumn('realized_pnl', i64, (col) => col.notNull().defaultTo(0))
      .execute();

    await db.schema
      .alterTable('accounts')
      .addColumn('cash', i64, (col) => col.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('accounts')
      .addColumn('starting_cash', i64, (col) => col.notNull().defaultTo(0))
      .execute();

    // What pricing a paper fill needs from the catalog: the taker fee rate, and whether the market
    // takes orders at all.
    await db.schema
      .alterTable('markets')
      .addColumn('fee_rate', i64, (col) => col.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('markets')
      .addColumn('accepting_orders', 'integer', flag('accepting_orders', 1))
      .execute();

    await db.schema.alterTable('positions').addColumn('resolved_at', i64).execute();
    await db.schema.alterTable('positions').addColumn('redeemed_at', i64).execute();
    // The payout per share the market resolved at (1 won, 0 lost, a split in between): the PnL is
    // realized then; the shares stay until redeemed.
    await db.schema
      .alterTable('positions')
      .addColumn('resolved_payout', i64, (col) => col.check(sql`resolved_payout between 0 and 1000000`))
      .execute();
  },
};
